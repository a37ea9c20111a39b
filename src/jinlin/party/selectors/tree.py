"""The tree of an area's network (branches, groups, members), pruned to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from jinlin.party.access import PartyScope
from jinlin.party.models import PartyMember, PartyOrganisation
from jinlin.party.selectors.state import NetworkState, Person, building_sort_key, person, rooms_text
from jinlin.places.layout import natural_key
from jinlin.places.models import Area, Compound

# --- the tree --------------------------------------------------------------------------------


@dataclass
class TreeMember:
    member: PartyMember
    name: str
    building: str
    room: str
    titles: list[str]
    years: int | None
    households: str
    household_count: int
    is_leader: bool


@dataclass
class TreeGroup:
    organisation: PartyOrganisation
    buildings: str
    leader: Person | None
    contact: Person | None
    members: list[TreeMember]
    counted: int
    households: int
    covered: int
    uncovered: str
    gaps: list[str]


@dataclass
class TreeBranch:
    organisation: PartyOrganisation
    compounds: str
    committee: list[Person]
    contact: Person | None
    groups: list[TreeGroup]
    gaps: list[str]


@dataclass
class Tree:
    area: Area
    organisation: PartyOrganisation | None
    committee: list[Person]
    branches: list[TreeBranch]
    unorganised: list[tuple[Compound, str]]  # buildings in no group, per compound
    totals: dict[str, int]


def network_tree(state: NetworkState, scope: PartyScope) -> Tree:
    """Area organisation → branches → groups → members → the households each contacts."""
    committee = []
    if scope.is_whole_area and state.area_organisation is not None:
        committee = [
            person(state, scope, state.members[p.member_id])
            for p in state.positions_of(state.area_organisation.pk)
            if state.is_present(p.member_id)
        ]
    branches = []
    totals = dict.fromkeys(("groups", "members", "counted", "households", "covered"), 0)
    for branch in sorted(state.branches.values(), key=lambda b: natural_key(b.name)):
        compound_ids = state.branch_compounds.get(branch.pk, [])
        territory = [b.pk for b in state.buildings.values() if b.compound_id in compound_ids]
        if not scope.sees_any(territory) and not (scope.led and scope.led.pk == branch.pk):
            continue
        groups = [
            tree_group(state, scope, group)
            for group in sorted(
                (g for g in state.groups.values() if g.parent_id == branch.pk),
                key=lambda g: group_order(state, g),
            )
            if scope.sees_any(state.group_buildings.get(group.pk, []))
        ]
        contact = person(state, scope, state.contact_of(branch))
        gaps = [] if contact else ["没有联系的党总支委员"]
        tree_branch = TreeBranch(
            organisation=branch,
            compounds="、".join(
                state.compounds[c].name
                for c in sorted(compound_ids, key=lambda c: natural_key(state.compounds[c].name))
            ),
            committee=[
                person(state, scope, state.members[p.member_id])  # type: ignore[misc]  # a committee member is a Person
                for p in state.positions_of(branch.pk)
                if state.is_present(p.member_id)
            ],
            contact=contact,
            groups=groups,
            gaps=gaps,
        )
        branches.append(tree_branch)
        for group in groups:
            totals["groups"] += 1
            totals["members"] += len(group.members)
            totals["counted"] += group.counted
            totals["households"] += group.households
            totals["covered"] += group.covered
    unorganised = []
    for compound in sorted(state.compounds.values(), key=lambda c: natural_key(c.name)):
        loose = [
            b
            for b in state.buildings.values()
            if b.compound_id == compound.pk
            and b.pk not in state.group_of_building
            and scope.sees_building(b.pk)
        ]
        if loose:
            unorganised.append((compound, "、".join(b.label for b in loose)))
    return Tree(
        area=state.area,
        organisation=state.area_organisation,
        committee=[p for p in committee if p is not None],
        branches=branches,
        unorganised=unorganised,
        totals=totals,
    )


def group_order(state: NetworkState, group: PartyOrganisation) -> tuple[Any, ...]:
    buildings = [state.buildings[b] for b in state.group_buildings.get(group.pk, [])]
    first = min((building_sort_key(b) for b in buildings), default=((10**9,),))
    return (first, group.pk)


def group_buildings_text(state: NetworkState, group_id: int) -> str:
    buildings = sorted(
        (state.buildings[b] for b in state.group_buildings.get(group_id, [])), key=building_sort_key
    )
    compounds = {b.compound_id for b in buildings}
    if len(compounds) > 1:
        return "、".join(f"{b.compound.name}{b.label}" for b in buildings)
    return "、".join(b.label for b in buildings)


def tree_group(state: NetworkState, scope: PartyScope, group: PartyOrganisation) -> TreeGroup:
    leader = state.leader_of(group.pk)
    members = []
    counted = 0
    for member in state.group_members(group.pk):
        if not state.is_present(member.pk):
            continue
        counted += state.is_counted(member)
        if not scope.sees_building(member.resident.building_id):
            continue
        contacts = [
            h for h in state.contacts_of_member(member.pk) if scope.sees_building(h.building_id)
        ]
        members.append(
            TreeMember(
                member=member,
                name=member.resident.name,
                building=state.buildings[member.resident.building_id].label,
                room=state.households[member.resident.household_id].room,
                titles=state.titles_of(member.pk),
                years=member.party_years(state.today),
                households=rooms_text(contacts, state.buildings),
                household_count=len(contacts),
                is_leader=leader is not None and leader.pk == member.pk,
            )
        )
    territory = set(state.group_buildings.get(group.pk, []))
    households = [
        h
        for h in state.households.values()
        if h.building_id in territory and h.is_lived_in and scope.sees_building(h.building_id)  # type: ignore[attr-defined]  # annotated by the query
    ]
    uncovered = [h for h in households if state.household_gap(h)]
    gaps = []
    threshold = settings.JINLIN["GROUP_THRESHOLD"]
    if counted < threshold:
        gaps.append(f"计数党员不足 {threshold} 名")
    if leader is None:
        gaps.append("没有党小组长")
    contact = person(state, scope, state.contact_of(group))
    if contact is None:
        gaps.append("没有联系的支部委员")
    if uncovered:
        gaps.append(f"{len(uncovered)} 户没有联系党员")
    return TreeGroup(
        organisation=group,
        buildings=group_buildings_text(state, group.pk),
        leader=person(state, scope, leader),
        contact=contact,
        members=members,
        counted=counted,
        households=len(households),
        covered=len(households) - len(uncovered),
        uncovered=rooms_text(uncovered, state.buildings),
        gaps=gaps,
    )
