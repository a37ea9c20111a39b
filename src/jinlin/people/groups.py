"""The vulnerable and special groups of the SPEC, their scope and sensitivity.

Plain data, no Django: used by models, pages, exports and the due-visit rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class GroupCode(StrEnum):
    HARDSHIP = "hardship"
    SERIOUS_ILLNESS = "serious_illness"
    LIVING_ALONE = "living_alone"
    LOST_ONLY_CHILD = "lost_only_child"
    RETIRED_CADRE = "retired_cadre"
    MODEL_WORKER = "model_worker"
    VETERAN_MEMBER = "veteran_member"
    TALENT = "talent"


@dataclass(frozen=True)
class GroupKind:
    """One group of the catalogue: a built-in below, or an area's own (people.GroupDefinition,
    read through people.catalogue)."""

    code: str
    label: str
    category: str  # "vulnerable" 弱势群体 or "special" 特殊群体
    is_derived: bool
    is_sensitive: bool
    default_visit_days: int | None
    assignable_by: str = "worker"  # "worker" 社工及以上 or "secretary" 仅书记
    is_custom: bool = False
    is_retired: bool = False
    area_id: int | None = None  # a custom group's scope: one area ...
    subdistrict_id: int | None = None  # ... or every area of a subdistrict


GROUPS: dict[GroupCode, GroupKind] = {
    GroupCode(kind.code): kind
    for kind in [
        GroupKind(GroupCode.HARDSHIP, "困难家庭", "vulnerable", False, True, 30),
        GroupKind(GroupCode.SERIOUS_ILLNESS, "大病重病家庭", "vulnerable", False, True, 14),
        GroupKind(GroupCode.LIVING_ALONE, "独居老人", "vulnerable", True, False, 7),
        GroupKind(GroupCode.LOST_ONLY_CHILD, "失独家庭", "vulnerable", False, True, 14),
        GroupKind(GroupCode.RETIRED_CADRE, "老干部", "special", False, False, None),
        GroupKind(GroupCode.MODEL_WORKER, "老劳模", "special", False, False, None),
        GroupKind(GroupCode.VETERAN_MEMBER, "老党员", "special", True, False, None),
        GroupKind(GroupCode.TALENT, "社区能人", "special", False, False, None),
    ]
}

GROUP_CHOICES = [(str(kind.code), kind.label) for kind in GROUPS.values()]
DERIVED_CODES = frozenset(code for code, kind in GROUPS.items() if kind.is_derived)
SENSITIVE_CODES = frozenset(code for code, kind in GROUPS.items() if kind.is_sensitive)
MANUAL_CODES = frozenset(GROUPS) - DERIVED_CODES

TALENT_SKILLS = ["法律", "医疗", "维修", "文艺", "教育", "心理疏导", "书法", "摄影", "电脑", "调解"]
