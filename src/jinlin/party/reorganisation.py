"""A whole area's Party organisation proposed by the three-member rule, and its diff against
today's organisation (which buildings move, which groups and branches appear or go).

SPEC 三级联络管理网: groups per building by the rule; "a compound with fewer than three members
in all forms a joint branch 联合支部 with an adjacent compound by the same rule one level up";
"proposals are shown as a diff against the current organisation".

Pure: no Django. Compounds and buildings are named by data keys (compound name, building number
and stairwell), never by database ids, so a plan depends only on the data.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinlin.party.formation import (
    DEFAULT_THRESHOLD,
    Building,
    Compound,
    propose_groups,
    propose_joint_branches,
)
from jinlin.places.layout import natural_key

BuildingKey = tuple[str, str]  # (compound id, building id)

JOINT_NO_HOST_REASON = (
    "小区党员合计仅{members}名，所在联合支部的{host}尚未形成党小组：请补充相邻关系或手工编组"
)

KEEP = "keep"
CHANGE = "change"
NEW = "new"
DISSOLVE = "dissolve"


@dataclass(frozen=True, slots=True)
class CompoundInput:
    id: str
    buildings: tuple[Building, ...]
    adjacency: tuple[tuple[str, str], ...] = ()

    @property
    def members(self) -> int:
        return sum(building.members for building in self.buildings)


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    buildings: tuple[BuildingKey, ...]
    members: int


@dataclass(frozen=True, slots=True)
class PlannedBranch:
    compounds: tuple[str, ...]
    members: int
    groups: tuple[PlannedGroup, ...]

    @property
    def is_joint(self) -> bool:
        return len(self.compounds) > 1


@dataclass(frozen=True, slots=True)
class Unplaced:
    """Buildings no group can take, with the reason and what the user can do about it."""

    buildings: tuple[BuildingKey, ...]
    members: int
    reason: str


@dataclass(frozen=True, slots=True)
class AreaPlan:
    threshold: int
    branches: tuple[PlannedBranch, ...]
    unplaced: tuple[Unplaced, ...]
    unplaced_compounds: tuple[str, ...]  # compounds that fit in no branch

    def group_of(self) -> dict[BuildingKey, tuple[int, int]]:
        """Each grouped building → (branch index, group index)."""
        return {
            key: (b, g)
            for b, branch in enumerate(self.branches)
            for g, group in enumerate(branch.groups)
            for key in group.buildings
        }


def building_order(key: BuildingKey) -> tuple[Any, ...]:
    return (natural_key(key[0]), natural_key(key[1]))


def plan_area(
    compounds: Iterable[CompoundInput],
    compound_adjacency: Iterable[tuple[str, str]],
    threshold: int = DEFAULT_THRESHOLD,
) -> AreaPlan:
    """Branches over compounds, then groups over each branch's buildings.

    A compound reaching the threshold gets its own groups by `propose_groups`. The compounds of
    a joint branch that are below it (they could form no group alone) join, whole, the group
    with the fewest counted members of the branch's compound that has groups (the first in
    natural order on a tie: the same "light joins the lightest neighbour" rule); a joint branch
    of small compounds only is one group, since the branch reaches the threshold and, by the
    rule one level up, cannot be split.
    """
    by_id = {compound.id: compound for compound in compounds}
    branch_plan = propose_joint_branches(
        (Compound(compound.id, compound.members) for compound in by_id.values()),
        compound_adjacency,
        threshold,
    )
    branches: list[PlannedBranch] = []
    unplaced: list[Unplaced] = []
    for branch in branch_plan.branches:
        groups: list[PlannedGroup] = []
        small = [c for c in branch.compounds if by_id[c].members < threshold]
        large = [c for c in branch.compounds if by_id[c].members >= threshold]
        for compound_id in large:
            compound = by_id[compound_id]
            plan = propose_groups(compound.buildings, compound.adjacency, threshold)
            groups.extend(
                PlannedGroup(tuple((compound_id, b) for b in group.buildings), group.members)
                for group in plan.groups
            )
            unplaced.extend(
                Unplaced(tuple((compound_id, b) for b in part.buildings), part.members, part.reason)
                for part in plan.unplaceable
            )
        if small:
            small_keys = tuple(
                (compound_id, building.id)
                for compound_id in small
                for building in sorted(
                    by_id[compound_id].buildings, key=lambda b: natural_key(b.id)
                )
            )
            small_members = sum(by_id[c].members for c in small)
            if groups:
                host = min(
                    range(len(groups)),
                    key=lambda i: (groups[i].members, building_order(groups[i].buildings[0])),
                )
                groups[host] = PlannedGroup(
                    groups[host].buildings + small_keys, groups[host].members + small_members
                )
            elif large:
                for compound_id in small:
                    unplaced.append(
                        Unplaced(
                            tuple(k for k in small_keys if k[0] == compound_id),
                            by_id[compound_id].members,
                            JOINT_NO_HOST_REASON.format(
                                members=by_id[compound_id].members, host="、".join(large)
                            ),
                        )
                    )
            else:
                groups.append(PlannedGroup(small_keys, small_members))
        groups = [
            PlannedGroup(tuple(sorted(group.buildings, key=building_order)), group.members)
            for group in groups
        ]
        groups.sort(key=lambda group: building_order(group.buildings[0]))
        branches.append(PlannedBranch(branch.compounds, branch.members, tuple(groups)))
    unplaced_compounds: list[str] = []
    for part in branch_plan.unplaceable:
        unplaced_compounds.extend(part.compounds)
        for compound_id in part.compounds:
            keys = tuple(
                (compound_id, building.id)
                for building in sorted(
                    by_id[compound_id].buildings, key=lambda b: natural_key(b.id)
                )
            )
            if keys:
                unplaced.append(Unplaced(keys, by_id[compound_id].members, part.reason))
    unplaced.sort(key=lambda part: building_order(part.buildings[0]))
    return AreaPlan(threshold, tuple(branches), tuple(unplaced), tuple(unplaced_compounds))


# --- the diff ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CurrentBranch:
    id: int
    name: str
    compounds: frozenset[str]


@dataclass(frozen=True, slots=True)
class CurrentGroup:
    id: int
    name: str
    branch_id: int | None
    buildings: frozenset[BuildingKey]


@dataclass(frozen=True, slots=True)
class BranchChange:
    change: str  # keep, change, new, dissolve
    current: CurrentBranch | None
    planned: int | None  # index in plan.branches
    compounds_before: tuple[str, ...]
    compounds_after: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GroupChange:
    change: str  # keep, change, new, dissolve
    current: CurrentGroup | None
    planned: tuple[int, int] | None  # (branch index, group index) in the plan
    buildings_before: tuple[BuildingKey, ...]
    buildings_after: tuple[BuildingKey, ...]
    added: tuple[BuildingKey, ...]
    removed: tuple[BuildingKey, ...]
    members: int  # counted members after the change (0 for a group that goes)
    changes_branch: bool


@dataclass(frozen=True, slots=True)
class BuildingMove:
    building: BuildingKey
    before: int | None  # current group id, None when in no group
    after: tuple[int, int] | None  # planned group, None when unplaceable


@dataclass(frozen=True, slots=True)
class NetworkDiff:
    branches: tuple[BranchChange, ...]
    groups: tuple[GroupChange, ...]
    moves: tuple[BuildingMove, ...]
    group_ids: Mapping[tuple[int, int], int]  # planned group → the current group it continues
    branch_ids: Mapping[int, int]  # planned branch → the current branch it continues

    @property
    def is_empty(self) -> bool:
        return (
            not self.moves
            and all(change.change == KEEP for change in self.branches)
            and all(change.change == KEEP for change in self.groups)
        )

    def counts(self) -> dict[str, int]:
        return {
            "groups_new": sum(1 for g in self.groups if g.change == NEW),
            "groups_dissolved": sum(1 for g in self.groups if g.change == DISSOLVE),
            "groups_changed": sum(1 for g in self.groups if g.change == CHANGE),
            "groups_kept": sum(1 for g in self.groups if g.change == KEEP),
            "branches_new": sum(1 for b in self.branches if b.change == NEW),
            "branches_dissolved": sum(1 for b in self.branches if b.change == DISSOLVE),
            "branches_changed": sum(1 for b in self.branches if b.change == CHANGE),
            "buildings_moved": len(self.moves),
        }

    def as_json(self) -> dict[str, Any]:
        """Plain JSON of the diff: what the fingerprint covers and what a reorganisation keeps."""
        return {
            "branches": [
                {
                    "change": b.change,
                    "id": b.current.id if b.current else None,
                    "planned": b.planned,
                    "compounds_before": list(b.compounds_before),
                    "compounds_after": list(b.compounds_after),
                }
                for b in self.branches
            ],
            "groups": [
                {
                    "change": g.change,
                    "id": g.current.id if g.current else None,
                    "planned": list(g.planned) if g.planned else None,
                    "buildings_before": [list(k) for k in g.buildings_before],
                    "buildings_after": [list(k) for k in g.buildings_after],
                    "members": g.members,
                    "changes_branch": g.changes_branch,
                }
                for g in self.groups
            ],
            "moves": [
                {
                    "building": list(m.building),
                    "before": m.before,
                    "after": list(m.after) if m.after else None,
                }
                for m in self.moves
            ],
        }


def diff_network(
    current_branches: Iterable[CurrentBranch],
    current_groups: Iterable[CurrentGroup],
    plan: AreaPlan,
) -> NetworkDiff:
    """Match today's branches and groups to the planned ones and list what changes.

    A planned group continues the current group it shares the most buildings with (greedily,
    largest overlap first, then lowest id, then plan order); so does a planned branch with
    compounds. Unmatched planned ones are new, unmatched current ones go.
    """
    branches_now = sorted(current_branches, key=lambda b: b.id)
    groups_now = sorted(current_groups, key=lambda g: g.id)
    planned_branches = [frozenset(branch.compounds) for branch in plan.branches]
    branch_ids = _match(
        [(b.id, b.compounds) for b in branches_now], list(enumerate(planned_branches))
    )
    planned_groups = [
        ((b, g), frozenset(group.buildings))
        for b, branch in enumerate(plan.branches)
        for g, group in enumerate(branch.groups)
    ]
    group_ids = _match([(g.id, g.buildings) for g in groups_now], planned_groups)

    branch_changes = _branch_changes(branches_now, plan, branch_ids)
    group_changes = _group_changes(groups_now, plan, planned_groups, group_ids, branch_ids)
    continued_groups = {current: planned for planned, current in group_ids.items()}
    group_now_of: dict[BuildingKey, int] = {}
    for group_now in groups_now:
        for key in group_now.buildings:
            group_now_of.setdefault(key, group_now.id)
    group_after_of = plan.group_of()
    moves = []
    for key in sorted(set(group_now_of) | set(group_after_of), key=building_order):
        before_id = group_now_of.get(key)
        after = group_after_of.get(key)
        if before_id is not None and after is not None and continued_groups.get(before_id) == after:
            continue
        moves.append(BuildingMove(key, before_id, after))
    return NetworkDiff(
        tuple(branch_changes), tuple(group_changes), tuple(moves), group_ids, branch_ids
    )


def _branch_changes(
    branches_now: list[CurrentBranch], plan: AreaPlan, branch_ids: Mapping[int, int]
) -> list[BranchChange]:
    changes: list[BranchChange] = []
    by_id = {b.id: b for b in branches_now}
    for index, planned in enumerate(plan.branches):
        after = tuple(sorted(planned.compounds, key=natural_key))
        current_id = branch_ids.get(index)
        if current_id is None:
            changes.append(BranchChange(NEW, None, index, (), after))
            continue
        current = by_id[current_id]
        before = tuple(sorted(current.compounds, key=natural_key))
        changes.append(
            BranchChange(KEEP if before == after else CHANGE, current, index, before, after)
        )
    continued = set(branch_ids.values())
    for current in branches_now:
        if current.id not in continued:
            before = tuple(sorted(current.compounds, key=natural_key))
            changes.append(BranchChange(DISSOLVE, current, None, before, ()))
    return changes


def _group_changes(
    groups_now: list[CurrentGroup],
    plan: AreaPlan,
    planned_groups: list[tuple[tuple[int, int], frozenset[BuildingKey]]],
    group_ids: Mapping[tuple[int, int], int],
    branch_ids: Mapping[int, int],
) -> list[GroupChange]:
    changes: list[GroupChange] = []
    by_id = {g.id: g for g in groups_now}
    for (b, g), buildings in planned_groups:
        planned = plan.branches[b].groups[g]
        after = planned.buildings
        current_id = group_ids.get((b, g))
        if current_id is None:
            changes.append(
                GroupChange(NEW, None, (b, g), (), after, after, (), planned.members, False)
            )
            continue
        current = by_id[current_id]
        before = tuple(sorted(current.buildings, key=building_order))
        added = tuple(k for k in after if k not in current.buildings)
        removed = tuple(k for k in before if k not in buildings)
        changes_branch = branch_ids.get(b) != current.branch_id
        change = KEEP if not added and not removed and not changes_branch else CHANGE
        changes.append(
            GroupChange(
                change,
                current,
                (b, g),
                before,
                after,
                added,
                removed,
                planned.members,
                changes_branch,
            )
        )
    continued = set(group_ids.values())
    for current in groups_now:
        if current.id not in continued:
            before = tuple(sorted(current.buildings, key=building_order))
            changes.append(GroupChange(DISSOLVE, current, None, before, (), (), before, 0, False))
    return changes


def _match(
    current: Sequence[tuple[int, frozenset[Any]]], planned: Sequence[tuple[Any, frozenset[Any]]]
) -> dict[Any, int]:
    """Planned key → current id, greedily by overlap (largest first, then lowest id, plan order)."""
    pairs = sorted(
        (-len(items & planned_items), current_id, position)
        for current_id, items in current
        for position, (_key, planned_items) in enumerate(planned)
        if items & planned_items
    )
    taken_current: set[int] = set()
    taken_planned: set[int] = set()
    matched: dict[Any, int] = {}
    for _overlap, current_id, position in pairs:
        if current_id in taken_current or position in taken_planned:
            continue
        taken_current.add(current_id)
        taken_planned.add(position)
        matched[planned[position][0]] = current_id
    return matched


def fingerprint(*parts: Any) -> str:
    """A short stable hash of JSON-able parts: a proposal is applied only as it was seen."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]
