"""The area's proposed organisation and its diff against today's, with recent reorganisations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from jinlin.party.formation import Building as PlanBuilding
from jinlin.party.models import HouseholdContact, PartyMember, Reorganisation
from jinlin.party.reorganisation import (
    AreaPlan,
    BuildingKey,
    CompoundInput,
    CurrentBranch,
    CurrentGroup,
    NetworkDiff,
    diff_network,
    fingerprint,
    plan_area,
)
from jinlin.party.selectors.state import NetworkState, building_key, building_sort_key, load_network
from jinlin.places.layout import natural_key
from jinlin.places.models import Area, Building, BuildingAdjacency, CompoundAdjacency

# --- the proposal ------------------------------------------------------------------------------


@dataclass
class MemberChange:
    member: PartyMember
    before: int | None  # current group id
    after: tuple[int, int] | None  # planned group


@dataclass
class Proposal:
    """The area's proposed organisation, its diff against today's, and what applying it does to
    members and household contacts. Applied only with the same `fingerprint`."""

    state: NetworkState
    plan: AreaPlan
    diff: NetworkDiff
    building_of_key: dict[BuildingKey, Building]
    counted_by_building: dict[int, int]
    member_changes: list[MemberChange]
    contacts_ending: list[HouseholdContact]
    contacts_moving: list[tuple[HouseholdContact, tuple[int, int]]]  # → their new group
    threshold: int
    count_probationary: bool
    fingerprint: str

    @property
    def is_empty(self) -> bool:
        return (
            self.diff.is_empty
            and not self.member_changes
            and not self.contacts_ending
            and not self.contacts_moving
        )

    def label(self, key: BuildingKey) -> str:
        return self.building_of_key[key].label

    def keys_text(self, keys: tuple[BuildingKey, ...] | list[BuildingKey]) -> str:
        compounds = {k[0] for k in keys}
        if len(compounds) > 1:
            return "、".join(f"{k[0]}{self.label(k)}" for k in keys)
        return "、".join(self.label(k) for k in keys)

    def planned_group_name(self, planned: tuple[int, int]) -> str:
        """The name a planned group will have: a group it continues keeps its name, unless
        that name was only the one made from its buildings (then it follows the buildings)."""
        new_name = group_name_for(
            [
                self.building_of_key[k]
                for k in self.plan.branches[planned[0]].groups[planned[1]].buildings
            ]
        )
        current_id = self.diff.group_ids.get(planned)
        if current_id is None:
            return new_name
        current = self.state.groups[current_id]
        old_buildings = [
            self.state.buildings[b] for b in self.state.group_buildings.get(current_id, [])
        ]
        if old_buildings and current.name == group_name_for(old_buildings):
            return new_name
        return current.name

    def planned_branch_name(self, index: int) -> str:
        new_name = branch_name_for(self.plan.branches[index].compounds)
        current_id = self.diff.branch_ids.get(index)
        if current_id is None:
            return new_name
        current = self.state.branches[current_id]
        old = [
            self.state.compounds[c].name for c in self.state.branch_compounds.get(current_id, [])
        ]
        if old and current.name == branch_name_for(sorted(old, key=natural_key)):
            return new_name
        return current.name

    def summary(self) -> str:
        counts = self.diff.counts()
        parts = []
        if counts["branches_new"]:
            parts.append(f"新建党支部 {counts['branches_new']} 个")
        if counts["branches_dissolved"]:
            parts.append(f"撤销党支部 {counts['branches_dissolved']} 个")
        if counts["branches_changed"]:
            parts.append(f"调整党支部 {counts['branches_changed']} 个")
        if counts["groups_new"]:
            parts.append(f"新建党小组 {counts['groups_new']} 个")
        if counts["groups_dissolved"]:
            parts.append(f"撤销党小组 {counts['groups_dissolved']} 个")
        if counts["groups_changed"]:
            parts.append(f"调整党小组 {counts['groups_changed']} 个")
        if counts["buildings_moved"]:
            parts.append(f"楼组变动 {counts['buildings_moved']} 个")
        if self.member_changes:
            parts.append(f"党员调整所在党小组 {len(self.member_changes)} 名")
        if self.contacts_ending:
            parts.append(f"联系户关系失效 {len(self.contacts_ending)} 户")
        return "；".join(parts) or "无需调整"

    def as_json(self) -> dict[str, Any]:
        data = self.diff.as_json()
        data["member_changes"] = [
            {"member": c.member.pk, "before": c.before, "after": list(c.after) if c.after else None}
            for c in self.member_changes
        ]
        data["contacts_ending"] = sorted(c.household_id for c in self.contacts_ending)
        data["contacts_moving"] = [[c.household_id, list(g)] for c, g in self.contacts_moving]
        return data


def group_name_for(buildings: list[Building]) -> str:
    """ "12号楼党小组", "12、14号楼党小组", "3号楼等5个楼组党小组" (joint ones with compounds)."""
    buildings = sorted(buildings, key=building_sort_key)
    compounds = []
    for building in buildings:
        if building.compound.name not in compounds:
            compounds.append(building.compound.name)
    prefix = compounds[0] if len(compounds) > 1 else ""
    if len(buildings) > 3:
        return f"{prefix}{buildings[0].label}等{len(buildings)}个楼组党小组"
    if all(not b.stairwell for b in buildings) and len(compounds) == 1:
        return "、".join(b.number for b in buildings) + "号楼党小组"
    return "、".join(b.label for b in buildings) + "党小组"


def branch_name_for(compounds: tuple[str, ...] | list[str]) -> str:
    if len(compounds) > 1:
        return "、".join(compounds) + "联合党支部"
    return f"{compounds[0]}党支部"


def counted_members_by_building(area: Area, on: date) -> dict[int, int]:
    """Counted members (SPEC: full members only unless JINLIN_COUNT_PROBATIONARY) per building."""
    counts: dict[int, int] = defaultdict(int)
    for building_id in (
        PartyMember.objects.counted(on=on, count_probationary=settings.JINLIN["COUNT_PROBATIONARY"])
        .filter(resident__area=area)
        .values_list("resident__building_id", flat=True)
    ):
        counts[building_id] += 1
    return counts


def area_proposal(area: Area, state: NetworkState | None = None) -> Proposal:
    """Propose the area's organisation from today's data and diff it against today's."""
    state = state or load_network(area)
    threshold = settings.JINLIN["GROUP_THRESHOLD"]
    count_probationary = settings.JINLIN["COUNT_PROBATIONARY"]
    counted = counted_members_by_building(area, state.today)
    key_of: dict[int, BuildingKey] = {}
    building_of_key: dict[BuildingKey, Building] = {}
    per_compound: dict[int, list[PlanBuilding]] = defaultdict(list)
    for building in state.buildings.values():
        key = (state.compounds[building.compound_id].name, building_key(building))
        key_of[building.pk] = key
        building_of_key[key] = building
        per_compound[building.compound_id].append(PlanBuilding(key[1], counted.get(building.pk, 0)))
    adjacency: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for first, second in BuildingAdjacency.objects.filter(first__compound__area=area).values_list(
        "first_id", "second_id"
    ):
        if first in key_of and second in key_of and key_of[first][0] == key_of[second][0]:
            adjacency[state.buildings[first].compound_id].append(
                (key_of[first][1], key_of[second][1])
            )
    compound_pairs = [
        (state.compounds[a].name, state.compounds[b].name)
        for a, b in CompoundAdjacency.objects.filter(
            first__area=area, second__area=area
        ).values_list("first_id", "second_id")
    ]
    plan = plan_area(
        (
            CompoundInput(
                compound.name, tuple(per_compound[compound.pk]), tuple(adjacency[compound.pk])
            )
            for compound in state.compounds.values()
        ),
        compound_pairs,
        threshold,
    )
    current_branches = [
        CurrentBranch(
            branch.pk,
            branch.name,
            frozenset(state.compounds[c].name for c in state.branch_compounds.get(branch.pk, [])),
        )
        for branch in state.branches.values()
    ]
    current_groups = [
        CurrentGroup(
            group.pk,
            group.name,
            group.parent_id,
            frozenset(key_of[b] for b in state.group_buildings.get(group.pk, []) if b in key_of),
        )
        for group in state.groups.values()
    ]
    diff = diff_network(current_branches, current_groups, plan)

    planned_of_building = {
        building_of_key[key].pk: planned for key, planned in plan.group_of().items()
    }
    continues = {current: planned for planned, current in diff.group_ids.items()}
    member_changes = []
    for member in sorted(state.members.values(), key=lambda m: m.pk):
        present = state.is_present(member.pk) and member.takes_part
        after = planned_of_building.get(member.resident.building_id) if present else None
        before = member.group_id
        before_planned = continues.get(before) if before is not None else None
        if before is None and after is None:
            continue
        if before is not None and after is not None and before_planned == after:
            continue
        member_changes.append(MemberChange(member, before, after))
    member_after = {c.member.pk: c.after for c in member_changes}
    contacts_ending = []
    contacts_moving: list[tuple[HouseholdContact, tuple[int, int]]] = []
    for contact in state.household_contacts.values():
        household_after = planned_of_building.get(
            state.households[contact.household_id].building_id
        )
        if contact.member_id in member_after:
            member_after_group = member_after[contact.member_id]
        else:
            contact_member = state.members.get(contact.member_id)
            member_after_group = (
                continues.get(contact_member.group_id)
                if contact_member and contact_member.group_id
                else None
            )
        if household_after is None or member_after_group != household_after:
            contacts_ending.append(contact)
        elif continues.get(contact.group_id) != household_after:
            # Member and household stay together in a group that is new or continues another:
            # the contact stays and moves with them.
            contacts_moving.append((contact, household_after))
    contacts_ending.sort(key=lambda c: c.household_id)
    contacts_moving.sort(key=lambda pair: pair[0].household_id)
    proposal = Proposal(
        state=state,
        plan=plan,
        diff=diff,
        building_of_key=building_of_key,
        counted_by_building=dict(counted),
        member_changes=member_changes,
        contacts_ending=contacts_ending,
        contacts_moving=contacts_moving,
        threshold=threshold,
        count_probationary=count_probationary,
        fingerprint="",
    )
    proposal.fingerprint = fingerprint(threshold, count_probationary, proposal.as_json())
    return proposal


def recent_reorganisations(area: Area, limit: int = 5) -> list[Reorganisation]:
    return list(Reorganisation.objects.filter(area=area)[:limit])
