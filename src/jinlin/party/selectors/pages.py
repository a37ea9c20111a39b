"""A group's page and an organisation's page."""

from __future__ import annotations

from dataclasses import dataclass

from jinlin.party.access import PartyScope
from jinlin.party.models import PartyMember, PartyOrganisation, Position
from jinlin.party.selectors.state import NetworkState, Person, building_sort_key, person
from jinlin.party.selectors.tree import (
    TreeGroup,
    TreeMember,
    group_buildings_text,
    group_order,
    tree_group,
)
from jinlin.places.layout import natural_key
from jinlin.places.models import Building, Compound, Household

Level = PartyOrganisation.Level


# --- a group's page and an organisation's page -------------------------------------------------


@dataclass
class HouseholdRow:
    household: Household
    contact: str  # the contact member's name, "" when none
    gap: str | None


@dataclass
class GroupPage:
    tree: TreeGroup
    buildings: list[Building]
    households: list[tuple[Building, list[HouseholdRow]]]
    gone: list[str]  # members still in the group who moved out
    contact_choices: list[tuple[int, str]]  # the branch committee

    @property
    def members(self) -> list[TreeMember]:
        return self.tree.members


def group_page(state: NetworkState, scope: PartyScope, group: PartyOrganisation) -> GroupPage:
    tree = tree_group(state, scope, group)
    buildings = sorted(
        (
            state.buildings[b]
            for b in state.group_buildings.get(group.pk, [])
            if scope.sees_building(b)
        ),
        key=building_sort_key,
    )
    rows: list[tuple[Building, list[HouseholdRow]]] = []
    for building in buildings:
        lived_in = sorted(
            (
                h
                for h in state.households.values()
                if h.building_id == building.pk and h.is_lived_in  # type: ignore[attr-defined]  # annotated by the query
            ),
            key=lambda h: natural_key(h.room),
        )
        building_rows = []
        for household in lived_in:
            gap = state.household_gap(household)
            contact = state.household_contacts.get(household.pk)
            name = ""
            if contact is not None and gap is None:
                shown = person(state, scope, state.members[contact.member_id])
                name = shown.name if shown else ""
            building_rows.append(HouseholdRow(household, name, gap))
        rows.append((building, building_rows))
    gone = [
        m.resident.name
        for m in state.group_members(group.pk)
        if not state.is_present(m.pk) and scope.sees_building(m.resident.building_id)
    ]
    committee = [
        (p.member_id, state.members[p.member_id].resident.name)
        for p in state.positions_of(group.parent_id or 0)
        if p.is_committee and state.is_present(p.member_id)
    ]
    return GroupPage(tree, buildings, rows, gone, committee)


@dataclass
class PostRow:
    position: Position
    name: str
    is_present: bool


@dataclass
class ChildRow:
    organisation: PartyOrganisation
    territory: str
    leader: Person | None  # groups: the leader; branches: the secretary
    contact: Person | None


@dataclass
class OrganisationPage:
    posts: list[PostRow]
    territory: str
    contact: Person | None
    children: list[ChildRow]
    candidates: list[tuple[int, str]]
    contact_choices: list[tuple[int, str]]
    compounds: list[Compound]


def organisation_page(
    state: NetworkState, scope: PartyScope, organisation: PartyOrganisation
) -> OrganisationPage:
    """The area organisation or a branch (its committee is seen only by whole-area viewers and
    the branch's own secretary, who may see all of the branch)."""
    posts = [
        PostRow(p, state.members[p.member_id].resident.name, state.is_present(p.member_id))
        for p in state.positions_of(organisation.pk)
    ]
    if organisation.level == Level.AREA:
        territory = "、".join(
            c.name for c in sorted(state.compounds.values(), key=lambda c: natural_key(c.name))
        )
        compound_ids = set(state.compounds)
        children = [
            ChildRow(
                branch,
                "、".join(
                    state.compounds[c].name for c in state.branch_compounds.get(branch.pk, [])
                ),
                person(state, scope, _secretary(state, branch.pk)),
                person(state, scope, state.contact_of(branch)),
            )
            for branch in sorted(state.branches.values(), key=lambda b: natural_key(b.name))
        ]
        contact = None
        contact_choices: list[tuple[int, str]] = []
    else:
        compound_ids = set(state.branch_compounds.get(organisation.pk, []))
        territory = "、".join(
            state.compounds[c].name
            for c in sorted(compound_ids, key=lambda c: natural_key(state.compounds[c].name))
        )
        children = [
            ChildRow(
                group,
                group_buildings_text(state, group.pk),
                person(state, scope, state.leader_of(group.pk)),
                person(state, scope, state.contact_of(group)),
            )
            for group in sorted(
                (g for g in state.groups.values() if g.parent_id == organisation.pk),
                key=lambda g: group_order(state, g),
            )
        ]
        contact = person(state, scope, state.contact_of(organisation))
        parent_id = organisation.parent_id or 0
        contact_choices = [
            (p.member_id, state.members[p.member_id].resident.name)
            for p in state.positions_of(parent_id)
            if p.is_committee and state.is_present(p.member_id)
        ]
    candidates = []
    for member in sorted(
        state.members.values(),
        key=lambda m: (
            building_sort_key(state.buildings[m.resident.building_id])
            if m.resident.building_id in state.buildings
            else ((10**9,),),
            m.pk,
        ),
    ):
        if not state.is_present(member.pk) or not member.takes_part:
            continue
        if member.resident.compound_id not in compound_ids:
            continue
        building = state.buildings[member.resident.building_id]
        room = state.households[member.resident.household_id].room
        candidates.append(
            (member.pk, f"{member.resident.name}（{building.compound.name}{building.label}{room}）")
        )
    compounds = sorted(
        (state.compounds[c] for c in compound_ids), key=lambda c: natural_key(c.name)
    )
    return OrganisationPage(
        posts, territory, contact, children, candidates, contact_choices, compounds
    )


def _secretary(state: NetworkState, organisation_id: int) -> PartyMember | None:
    for position in state.positions:
        if (
            position.organisation_id == organisation_id
            and position.kind == Position.Kind.SECRETARY
            and state.is_present(position.member_id)
        ):
            return state.members[position.member_id]
    return None
