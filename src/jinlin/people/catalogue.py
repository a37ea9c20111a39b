"""群体类别: the groups an area knows, the eight built-ins of people.groups and its own.

One place every page, mask, form, export, import, due-visit rule and API endpoint asks:
`group_catalogue(area_id)` for the groups of one area (built-ins + its subdistrict's + its
own), `kind_of(code)` for any code met on a membership, `sensitive_q()` to leave sensitive
groups out of a query.

Caching, safely across processes: a custom group's code and sensitivity never change once
made (people.GroupDefinition), so what a process has read of them stays true. A code a
process does not know makes it read the table again, and a code still unknown is treated as
sensitive (fail closed). Labels, visit intervals and retirement may lag another process's
edit by at most CACHE_SECONDS; this process's own edits clear the cache at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from jinlin.people.groups import GROUPS, SENSITIVE_CODES, GroupKind
from jinlin.people.models import GroupDefinition

CACHE_SECONDS = 30.0
UNKNOWN_LABEL = "未知群体"

BUILTINS: dict[str, GroupKind] = {str(code): kind for code, kind in GROUPS.items()}


@dataclass
class _Cache:
    kinds: dict[str, GroupKind] = field(default_factory=dict)  # every custom group
    loaded_at: float = 0.0
    areas: dict[int, tuple[float, list[str]]] = field(default_factory=dict)  # area → codes


_cache = _Cache()


def clear_cache() -> None:
    """Forget every custom group read so far (after an edit; tests between cases)."""
    global _cache
    _cache = _Cache()


@receiver(post_save, sender=GroupDefinition, dispatch_uid="group_catalogue_clear")
def _definition_saved(**_: object) -> None:
    clear_cache()


def kind_from_definition(definition: GroupDefinition) -> GroupKind:
    return GroupKind(
        code=definition.code,
        label=definition.label,
        category=definition.category,
        is_derived=False,
        is_sensitive=definition.is_sensitive,
        default_visit_days=definition.visit_days,
        assignable_by=definition.assignable_by,
        is_custom=True,
        is_retired=definition.retired_at is not None,
        area_id=definition.area_id,
        subdistrict_id=definition.subdistrict_id,
    )


def _load_all() -> None:
    _cache.kinds = {
        definition.code: kind_from_definition(definition)
        for definition in GroupDefinition.objects.all()
    }
    _cache.loaded_at = time.monotonic()


def _fresh() -> bool:
    return bool(_cache.loaded_at) and time.monotonic() - _cache.loaded_at < CACHE_SECONDS


def kind_of(code: str) -> GroupKind:
    """The group of a code met on a membership; built-ins cost nothing, custom groups one
    query per process and CACHE_SECONDS. An unknown code reads as a sensitive 未知群体."""
    builtin = BUILTINS.get(code)
    if builtin is not None:
        return builtin
    kind = _cache.kinds.get(code) if _fresh() else None
    if kind is None:
        _load_all()
        kind = _cache.kinds.get(code)
    if kind is None:
        return GroupKind(code, UNKNOWN_LABEL, "special", False, True, None, is_custom=True)
    return kind


def label_of(code: str) -> str:
    return kind_of(code).label


def is_sensitive(code: str) -> bool:
    """Masked and audited like 困难家庭: the three built-ins and every custom sensitive group."""
    if code in BUILTINS:
        return code in SENSITIVE_CODES
    return kind_of(code).is_sensitive


def sensitive_q(field_name: str = "group") -> Q:
    """Rows whose group is sensitive, read in the same query (no cache to lag)."""
    custom = GroupDefinition.objects.filter(is_sensitive=True).values("code")
    return Q(**{f"{field_name}__in": [str(code) for code in SENSITIVE_CODES]}) | Q(
        **{f"{field_name}__in": custom}
    )


@dataclass(frozen=True)
class Catalogue:
    """The groups of one area: built-ins first, then the subdistrict's and the area's own in
    the order they were made; retired ones are kept for labels and history."""

    area_id: int
    every: tuple[GroupKind, ...]

    @property
    def kinds(self) -> list[GroupKind]:
        """The groups in use (not retired), for columns, lists and exports."""
        return [kind for kind in self.every if not kind.is_retired]

    @property
    def custom(self) -> list[GroupKind]:
        return [kind for kind in self.every if kind.is_custom]

    def get(self, code: str) -> GroupKind | None:
        return next((kind for kind in self.every if kind.code == code), None)

    def by_label(self, label: str) -> GroupKind | None:
        """A group in use by its label (imports): the area's own before the subdistrict's."""
        matches = [kind for kind in self.kinds if kind.label == label]
        return matches[-1] if matches else None

    def assignable(self, role_is_secretary: bool) -> list[GroupKind]:
        """Groups a person may put a resident in by hand: not derived, not retired, and those
        kept for the secretary only when the person is one."""
        return [
            kind
            for kind in self.kinds
            if not kind.is_derived and (role_is_secretary or kind.assignable_by != "secretary")
        ]

    @property
    def sensitive_codes(self) -> frozenset[str]:
        return frozenset(kind.code for kind in self.every if kind.is_sensitive)

    @property
    def visit_days(self) -> dict[str, int]:
        """Each visiting group's default interval (built-ins' SPEC days, custom visit_days)."""
        return {
            kind.code: kind.default_visit_days
            for kind in self.kinds
            if kind.default_visit_days is not None
        }


def group_known(code: str, *, area_id: int | None = None) -> bool:
    """A code of the catalogue: of that area when one is named, else of any area."""
    if code in BUILTINS:
        return True
    if area_id is not None:
        return group_catalogue(area_id).get(code) is not None
    return GroupDefinition.objects.filter(code=code).exists()


def scope_q(area_id: int) -> Q:
    """Custom groups of an area: its own and its subdistrict's."""
    return Q(area_id=area_id) | Q(subdistrict__area__id=area_id)


def group_catalogue(area_id: int) -> Catalogue:
    """The catalogue of one area: one query per process and CACHE_SECONDS."""
    cached = _cache.areas.get(area_id)
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        codes = cached[1]
        if all(code in _cache.kinds for code in codes):
            return Catalogue(area_id, (*BUILTINS.values(), *(_cache.kinds[c] for c in codes)))
    definitions = list(GroupDefinition.objects.filter(scope_q(area_id)).distinct())
    custom = [kind_from_definition(definition) for definition in definitions]
    for kind in custom:
        _cache.kinds[kind.code] = kind
    _cache.areas[area_id] = (time.monotonic(), [kind.code for kind in custom])
    return Catalogue(area_id, (*BUILTINS.values(), *custom))
