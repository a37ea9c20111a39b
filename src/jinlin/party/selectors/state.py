"""An area's whole Party network read at once (`load_network`), and its members as a user may see
them. The tree, the coverage report, the member list, the proposal and the pages are built
from this state in Python.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from jinlin.party.access import PartyScope
from jinlin.party.models import (
    HouseholdContact,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
)
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.layout import natural_key
from jinlin.places.models import Area, Building, Compound, Household

Level = PartyOrganisation.Level


def building_key(building: Building) -> str:
    """The building's data key in plans: its number, and its stairwell when it has one."""
    return f"{building.number}/{building.stairwell}" if building.stairwell else building.number


def rooms_text(households: list[Household], buildings: dict[int, Building]) -> str:
    """ "12号楼 301、302 · 13号楼 101": households grouped by building, in natural order."""
    by_building: dict[int, list[str]] = defaultdict(list)
    for household in households:
        by_building[household.building_id].append(household.room)
    parts = []
    for building_id in sorted(by_building, key=lambda b: building_sort_key(buildings[b])):
        rooms = sorted(by_building[building_id], key=natural_key)
        parts.append(f"{buildings[building_id].label} {'、'.join(rooms)}")
    return " · ".join(parts)


def building_sort_key(building: Building) -> tuple[Any, ...]:
    return (building.compound_id, natural_key(building.number), natural_key(building.stairwell))


# --- the whole network of an area ----------------------------------------------------------


@dataclass
class NetworkState:
    """Everything of one area's network, read once; no personal data is filtered yet."""

    area: Area
    today: date
    compounds: dict[int, Compound]
    buildings: dict[int, Building]
    households: Mapping[int, Household]  # with `is_lived_in`
    area_organisation: PartyOrganisation | None
    branches: dict[int, PartyOrganisation]
    groups: dict[int, PartyOrganisation]
    branch_compounds: dict[int, list[int]]
    group_buildings: dict[int, list[int]]
    positions: list[Position]
    organisation_contacts: dict[int, OrganisationContact]
    members: dict[int, PartyMember]  # every member living (or having lived) in the area
    household_contacts: dict[int, HouseholdContact]
    group_of_building: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for group_id in sorted(self.group_buildings):
            for building_id in self.group_buildings[group_id]:
                self.group_of_building.setdefault(building_id, group_id)

    # -- positions ------------------------------------------------------------------------

    def positions_of(self, organisation_id: int) -> list[Position]:
        order = {kind: i for i, kind in enumerate(Position.Kind.values)}
        return sorted(
            (p for p in self.positions if p.organisation_id == organisation_id),
            key=lambda p: (order[p.kind], p.started_on, p.pk),
        )

    def titles_of(self, member_id: int) -> list[str]:
        return [p.title for p in self.positions if p.member_id == member_id]

    def leader_of(self, group_id: int) -> PartyMember | None:
        for position in self.positions:
            if (
                position.organisation_id == group_id
                and position.kind == Position.Kind.GROUP_LEADER
                and self.is_present(position.member_id)
            ):
                return self.members[position.member_id]
        return None

    def committee_member_ids(self, organisation_id: int | None) -> set[int]:
        return {
            p.member_id
            for p in self.positions
            if p.organisation_id == organisation_id and p.is_committee
        }

    def contact_of(self, organisation: PartyOrganisation) -> PartyMember | None:
        """The organisation's contact if it is still valid: living here and on the committee
        of the level above."""
        contact = self.organisation_contacts.get(organisation.pk)
        if contact is None or not self.is_present(contact.member_id):
            return None
        if contact.member_id not in self.committee_member_ids(organisation.parent_id):
            return None
        return self.members[contact.member_id]

    # -- members and households --------------------------------------------------------------

    def is_present(self, member_id: int) -> bool:
        """Still living in this area (not moved out, not dead, not moved to another area)."""
        member = self.members.get(member_id)
        return (
            member is not None
            and member.resident.status == LifeStatus.CURRENT
            and member.resident.household_id in self.households
        )

    def is_counted(self, member: PartyMember) -> bool:
        if not member.takes_part or not self.is_present(member.pk):
            return False
        if settings.JINLIN["COUNT_PROBATIONARY"]:
            return True
        return member.full_member_on is not None and member.full_member_on <= self.today

    def group_members(self, group_id: int) -> list[PartyMember]:
        return sorted(
            (m for m in self.members.values() if m.group_id == group_id),
            key=lambda m: (
                building_sort_key(self.buildings[m.resident.building_id]),
                natural_key(self.households[m.resident.household_id].room),
                m.pk,
            ),
        )

    def contacts_of_member(self, member_id: int) -> list[Household]:
        return [
            self.households[c.household_id]
            for c in self.household_contacts.values()
            if c.member_id == member_id
        ]

    def household_gap(self, household: Household) -> str | None:
        """Why a lived-in household has no valid contact, or None when it has one."""
        group_id = self.group_of_building.get(household.building_id)
        if group_id is None:
            return "所在楼组未编入党小组"
        contact = self.household_contacts.get(household.pk)
        if contact is None:
            return "没有联系党员"
        member = self.members.get(contact.member_id)
        if member is None or not self.is_present(member.pk):
            return "联系党员已迁出或去世"
        if not member.can_contact:
            return "联系党员已不能承担联系户"
        if member.group_id != group_id:
            return "联系党员不在本楼组的党小组"
        return None

    def member_gap(self, member: PartyMember) -> str | None:
        """Why a member who takes part here is in no (fitting) group, or None."""
        if not self.is_present(member.pk) or not member.takes_part:
            return None
        expected = self.group_of_building.get(member.resident.building_id)
        if member.group_id is None or member.group_id not in self.groups:
            return "未编入党小组" if expected else "所住楼组未编入党小组"
        if expected != member.group_id:
            return "已搬到其他党小组的楼组"
        return None


def load_network(area: Area) -> NetworkState:
    """The area's network in a fixed number of queries."""
    organisations = list(
        PartyOrganisation.objects.active().filter(area=area).order_by("level", "name", "id")
    )
    area_organisation = next((o for o in organisations if o.level == Level.AREA), None)
    branches = {o.pk: o for o in organisations if o.level == Level.BRANCH}
    groups = {o.pk: o for o in organisations if o.level == Level.GROUP}
    ids = [o.pk for o in organisations]
    branch_compounds: dict[int, list[int]] = defaultdict(list)
    for organisation_id, compound_id in PartyOrganisation.compounds.through.objects.filter(
        partyorganisation_id__in=list(branches)
    ).values_list("partyorganisation_id", "compound_id"):
        branch_compounds[organisation_id].append(compound_id)
    group_buildings: dict[int, list[int]] = defaultdict(list)
    for organisation_id, building_id in PartyOrganisation.buildings.through.objects.filter(
        partyorganisation_id__in=list(groups)
    ).values_list("partyorganisation_id", "building_id"):
        group_buildings[organisation_id].append(building_id)
    positions = list(
        Position.objects.filter(organisation_id__in=ids, ended_on__isnull=True).select_related(
            "organisation"
        )
    )
    organisation_contacts = {
        c.organisation_id: c
        for c in OrganisationContact.objects.filter(organisation_id__in=ids, ended_on__isnull=True)
    }
    compounds = {c.pk: c for c in Compound.objects.filter(area=area)}
    buildings = {
        b.pk: b
        for b in Building.objects.filter(compound__area=area).order_by(
            "compound_id", "sort_key", "number", "stairwell"
        )
    }
    for building in buildings.values():
        building.compound = compounds[building.compound_id]
    lived_in = Resident.objects.filter(household=OuterRef("pk"), status=LifeStatus.CURRENT)
    households = {
        h.pk: h
        for h in Household.objects.filter(area=area)
        .only("id", "building_id", "room", "compound_id", "area_id")
        .annotate(is_lived_in=Exists(lived_in))
    }
    members = {
        m.pk: m
        for m in PartyMember.objects.filter(
            Q(resident__area=area) | Q(group_id__in=list(groups))
        ).select_related("resident")
    }
    household_contacts = {
        c.household_id: c
        for c in HouseholdContact.objects.filter(household__area=area, ended_on__isnull=True)
    }
    # Contacts and posts may name members living elsewhere now: fetch those few too.
    missing = (
        {p.member_id for p in positions}
        | {c.member_id for c in organisation_contacts.values()}
        | {c.member_id for c in household_contacts.values()}
    ) - set(members)
    if missing:
        for member in PartyMember.objects.filter(pk__in=missing).select_related("resident"):
            members[member.pk] = member
    return NetworkState(
        area=area,
        today=timezone.localdate(),
        compounds=compounds,
        buildings=buildings,
        households=households,
        area_organisation=area_organisation,
        branches=branches,
        groups=groups,
        branch_compounds=dict(branch_compounds),
        group_buildings=dict(group_buildings),
        positions=positions,
        organisation_contacts=organisation_contacts,
        members=members,
        household_contacts=household_contacts,
    )


# --- people as a user may see them ------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member as shown: the name only when the user may see where the member lives."""

    member_id: int | None
    name: str
    titles: tuple[str, ...] = ()
    is_visible: bool = True


HIDDEN_PERSON = "已指定（不在您的查看范围）"


def person(state: NetworkState, scope: PartyScope, member: PartyMember | None) -> Person | None:
    if member is None:
        return None
    if not scope.sees_building(member.resident.building_id):
        return Person(None, HIDDEN_PERSON, is_visible=False)
    return Person(member.pk, member.resident.name, tuple(state.titles_of(member.pk)))
