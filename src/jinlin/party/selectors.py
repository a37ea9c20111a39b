"""Reads of an area's Party network shaped for pages, API, placards and the command.

`load_network(area)` reads everything of one area in a fixed number of queries (whatever its
size); the tree, the coverage report, the member list and the proposal are built from it in
Python and pruned to what the user may see (`PartyScope`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from jinlin.party.access import PartyScope
from jinlin.party.formation import Building as PlanBuilding
from jinlin.party.models import (
    HouseholdContact,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
    Reorganisation,
)
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
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.layout import natural_key
from jinlin.places.models import (
    Area,
    Building,
    BuildingAdjacency,
    Compound,
    CompoundAdjacency,
    Household,
)

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
    households: dict[int, Household]  # with `is_lived_in`
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
            _tree_group(state, scope, group)
            for group in sorted(
                (g for g in state.groups.values() if g.parent_id == branch.pk),
                key=lambda g: _group_order(state, g),
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
                person(state, scope, state.members[p.member_id])  # type: ignore[misc]
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


def _group_order(state: NetworkState, group: PartyOrganisation) -> tuple[Any, ...]:
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


def _tree_group(state: NetworkState, scope: PartyScope, group: PartyOrganisation) -> TreeGroup:
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
        if h.building_id in territory and h.is_lived_in and scope.sees_building(h.building_id)  # type: ignore[attr-defined]
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


# --- the coverage report ---------------------------------------------------------------------

GAP_BRANCH_NO_CONTACT = "branch_no_contact"
GAP_GROUP_NO_LEADER = "group_no_leader"
GAP_GROUP_TOO_SMALL = "group_too_small"
GAP_GROUP_NO_CONTACT = "group_no_contact"
GAP_BUILDING_NO_GROUP = "building_no_group"
GAP_HOUSEHOLD_NO_CONTACT = "household_no_contact"
GAP_MEMBER_NO_GROUP = "member_no_group"

GAP_LABELS = {
    GAP_BRANCH_NO_CONTACT: "党支部没有联系的党总支委员",
    GAP_GROUP_NO_LEADER: "党小组没有组长",
    GAP_GROUP_TOO_SMALL: "党小组计数党员不足",
    GAP_GROUP_NO_CONTACT: "党小组没有联系的支部委员",
    GAP_BUILDING_NO_GROUP: "楼组未编入党小组",
    GAP_HOUSEHOLD_NO_CONTACT: "户没有联系党员",
    GAP_MEMBER_NO_GROUP: "党员未编入所住楼组的党小组",
}


@dataclass(frozen=True)
class Gap:
    kind: str
    object_type: str  # branch, group, building, household, member
    object_id: int
    label: str  # what it is: "绿园八村党支部", "12号楼301室", a member's name
    reason: str
    group_id: int | None = None  # where to fix it

    @property
    def kind_label(self) -> str:
        return GAP_LABELS[self.kind]


@dataclass
class Coverage:
    gaps: list[Gap]
    households: int
    covered: int

    def by_kind(self) -> list[tuple[str, str, list[Gap]]]:
        return [
            (kind, label, [g for g in self.gaps if g.kind == kind])
            for kind, label in GAP_LABELS.items()
        ]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for g in self.gaps if g.kind == kind) for kind in GAP_LABELS}


def coverage(state: NetworkState, scope: PartyScope) -> Coverage:
    """Every gap of the network the user may see, as the data stands now (nothing is changed:
    SPEC "nothing is reorganised without confirmation")."""
    gaps: list[Gap] = []
    for branch in sorted(state.branches.values(), key=lambda b: natural_key(b.name)):
        compound_ids = state.branch_compounds.get(branch.pk, [])
        territory = [b.pk for b in state.buildings.values() if b.compound_id in compound_ids]
        if scope.sees_any(territory) and state.contact_of(branch) is None:
            gaps.append(
                Gap(
                    GAP_BRANCH_NO_CONTACT,
                    "branch",
                    branch.pk,
                    branch.name,
                    "需指定一名党总支委员联系",
                )
            )
    for group in sorted(state.groups.values(), key=lambda g: _group_order(state, g)):
        if not scope.sees_any(state.group_buildings.get(group.pk, [])):
            continue
        label = f"{group.name}（{group_buildings_text(state, group.pk)}）"
        if state.leader_of(group.pk) is None:
            gaps.append(
                Gap(GAP_GROUP_NO_LEADER, "group", group.pk, label, "需指定党小组长", group.pk)
            )
        counted = sum(1 for m in state.group_members(group.pk) if state.is_counted(m))
        threshold = settings.JINLIN["GROUP_THRESHOLD"]
        if counted < threshold:
            reason = f"只有 {counted} 名计数党员，不足 {threshold} 名：请查看调整方案"
            gaps.append(Gap(GAP_GROUP_TOO_SMALL, "group", group.pk, label, reason))
        if state.contact_of(group) is None:
            gaps.append(
                Gap(
                    GAP_GROUP_NO_CONTACT,
                    "group",
                    group.pk,
                    label,
                    "需指定一名支部委员联系",
                    group.pk,
                )
            )
    for building in sorted(state.buildings.values(), key=building_sort_key):
        if building.pk not in state.group_of_building and scope.sees_building(building.pk):
            gaps.append(
                Gap(
                    GAP_BUILDING_NO_GROUP,
                    "building",
                    building.pk,
                    f"{building.compound.name}{building.label}",
                    "请在“调整方案”中查看原因",
                )
            )
    households = 0
    covered = 0
    for household in sorted(
        state.households.values(),
        key=lambda h: (building_sort_key(state.buildings[h.building_id]), natural_key(h.room)),
    ):
        if not household.is_lived_in or not scope.sees_building(household.building_id):  # type: ignore[attr-defined]
            continue
        households += 1
        reason = state.household_gap(household)
        if reason is None:
            covered += 1
            continue
        building = state.buildings[household.building_id]
        gaps.append(
            Gap(
                GAP_HOUSEHOLD_NO_CONTACT,
                "household",
                household.pk,
                f"{building.compound.name}{building.label}{household.room}室",
                reason,
                state.group_of_building.get(household.building_id),
            )
        )
    for member in sorted(state.members.values(), key=lambda m: (m.resident.name, m.pk)):
        if not state.is_present(member.pk):
            continue
        if not scope.sees_building(member.resident.building_id):
            continue
        reason = state.member_gap(member)
        if reason:
            building = state.buildings[member.resident.building_id]
            gaps.append(
                Gap(
                    GAP_MEMBER_NO_GROUP,
                    "member",
                    member.pk,
                    f"{member.resident.name}（{building.compound.name}{building.label}）",
                    reason,
                    state.group_of_building.get(member.resident.building_id),
                )
            )
    return Coverage(gaps, households, covered)


# --- the member list -------------------------------------------------------------------------


@dataclass
class MemberRow:
    member: PartyMember
    name: str
    address: str
    group: PartyOrganisation | None
    titles: list[str]
    years: int | None
    households: int
    status: str  # 正式党员 / 预备党员
    kind: str  # 退休党员 / 在职党员 / 在职党员（双报到） / 在职党员（组织关系在外）


def member_rows(state: NetworkState, scope: PartyScope) -> list[MemberRow]:
    rows = []
    contact_counts: dict[int, int] = defaultdict(int)
    for contact in state.household_contacts.values():
        contact_counts[contact.member_id] += 1
    for member in state.members.values():
        resident = member.resident
        if not state.is_present(member.pk) or not scope.sees_building(resident.building_id):
            continue
        building = state.buildings[resident.building_id]
        if not member.is_in_service:
            kind = "退休党员"
        elif member.is_dual_registered:
            kind = "在职党员（双报到）"
        elif member.home_organisation:
            kind = "在职党员（组织关系在外，未报到）"
        else:
            kind = "在职党员"
        rows.append(
            MemberRow(
                member=member,
                name=resident.name,
                address=f"{building.compound.name}{building.label}"
                f"{state.households[resident.household_id].room}室",
                group=state.groups.get(member.group_id) if member.group_id else None,
                titles=state.titles_of(member.pk),
                years=member.party_years(state.today),
                households=contact_counts[member.pk],
                status="预备党员" if member.party_years(state.today) is None else "正式党员",
                kind=kind,
            )
        )
    rows.sort(
        key=lambda r: (
            building_sort_key(state.buildings[r.member.resident.building_id]),
            natural_key(state.households[r.member.resident.household_id].room),
            r.member.pk,
        )
    )
    return rows


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
            member = state.members.get(contact.member_id)
            member_after_group = (
                continues.get(member.group_id) if member and member.group_id else None
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
    tree = _tree_group(state, scope, group)
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
                if h.building_id == building.pk and h.is_lived_in  # type: ignore[attr-defined]
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
                key=lambda g: _group_order(state, g),
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


def contact_coverage(area_ids: list[int]) -> dict[int, int]:
    """Per area, the households with a current Party member contacting them (党员联系群众)."""
    return dict(
        HouseholdContact.objects.filter(household__area_id__in=area_ids, ended_on__isnull=True)
        .values("household__area_id")
        .annotate(n=Count("household_id", distinct=True))
        .values_list("household__area_id", "n")
    )
