"""The Party network of the shared cast's area (tests/conftest.py `world`), by hand:

compound A 绿园八村: 12号楼 — 13号楼 — 14号楼 in a row
    12号楼: 张建国 (world.resident, phone consent) + 2 full members      → 3 counted
    13号楼: 1 full member (陈志强, contacts households)                  → 1
    14号楼: 2 full members + 1 probationary (not counted)                → 2
compound B 绿园九村 (adjacent to A): 3号楼: 李秀英 (world.resident_b)   → 1: joins A in a
    joint branch, and its building joins A's lightest group.

The rule gives one joint branch with two groups: {A12, B3} and {A13, A14}.
Personas beyond the shared ones: `branch_secretary` (leads the joint branch once organised) and
`group_leader` (leads the {A13, A14} group).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import factory
import pytest
import time_machine

from jinlin.core.models import Role, User
from jinlin.party import selectors, services
from jinlin.party.models import PartyMember, PartyOrganisation, Position
from jinlin.people.models import PoliticalStatus, Resident
from jinlin.places.models import Building, BuildingAdjacency, CompoundAdjacency, Household
from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory, UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen_day():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI), tick=True):
        yield


class PartyMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyMember

    resident = factory.SubFactory(ResidentFactory, political_status=PoliticalStatus.MEMBER)
    joined_on = date(1990, 7, 1)
    full_member_on = date(1991, 7, 1)


def member_in(household: Household, name: str, **kwargs) -> PartyMember:
    resident_fields = {k: kwargs.pop(k) for k in ("birth_date", "gender", "phone") if k in kwargs}
    resident = ResidentFactory(
        household=household, name=name, political_status=PoliticalStatus.MEMBER, **resident_fields
    )
    return PartyMemberFactory(resident=resident, **kwargs)


def adjacent(first: Building, second: Building) -> None:
    low, high = sorted([first, second], key=lambda b: b.pk)
    BuildingAdjacency.objects.create(first=low, second=high)


@dataclass
class PartyWorld:
    world: object
    b12: Building
    b13: Building
    b14: Building
    b3: Building
    households: dict[str, Household]
    members: dict[str, PartyMember]
    extra: dict[str, object] = field(default_factory=dict)

    def member(self, name: str) -> PartyMember:
        return self.members[name]


@pytest.fixture
def party(world) -> PartyWorld:
    a, b = world.compound_a, world.compound_b
    CompoundAdjacency.objects.create(
        first=min(a, b, key=lambda c: c.pk), second=max(a, b, key=lambda c: c.pk)
    )
    b12 = world.building_a
    b13 = BuildingFactory(compound=a, number="13")
    b14 = BuildingFactory(compound=a, number="14")
    b3 = world.building_b
    adjacent(b12, b13)
    adjacent(b13, b14)
    households = {
        "12-301": world.household_a,
        "12-302": HouseholdFactory(building=b12, room="302"),
        "12-401": HouseholdFactory(building=b12, room="401"),
        "13-101": HouseholdFactory(building=b13, room="101"),
        "13-102": HouseholdFactory(building=b13, room="102"),
        "14-201": HouseholdFactory(building=b14, room="201"),
        "14-202": HouseholdFactory(building=b14, room="202"),
        "3-502": world.household_b,
    }
    members = {
        "张建国": PartyMemberFactory(
            resident=world.resident,
            joined_on=date(1970, 5, 1),
            full_member_on=date(1971, 5, 1),
            phone_consent=True,
        ),
        "王志刚": member_in(households["12-302"], "王志刚", phone="13900001111"),
        "赵丽华": member_in(households["12-401"], "赵丽华", gender="F", phone="13900002222"),
        "陈志强": member_in(households["13-101"], "陈志强", phone="13900003333"),
        "刘芳": member_in(households["14-201"], "刘芳", gender="F", phone="13900004444"),
        "孙伟": member_in(households["14-202"], "孙伟", phone="13900005555"),
        "周敏": member_in(
            households["14-202"],
            "周敏",
            gender="F",
            joined_on=date(2026, 3, 1),
            full_member_on=None,
        ),
        "李秀英": PartyMemberFactory(resident=world.resident_b, phone_consent=False),
    }
    ResidentFactory(
        household=households["13-102"], name="吴桂英", gender="F", birth_date=date(1940, 2, 3)
    )
    ResidentFactory(
        household=households["13-101"], name="黄美玲", gender="F", relation_to_head="spouse"
    )
    # A household with nobody living in it needs no contact.
    HouseholdFactory(building=b13, room="999")
    return PartyWorld(world, b12, b13, b14, b3, households, members)


def organise(party: PartyWorld, actor: User) -> None:
    """Apply the rule's proposal and give every household a contact, as the secretary would."""
    proposal = selectors.area_proposal(party.world.area)
    services.network_apply_proposal(
        area=party.world.area, actor=actor, fingerprint=proposal.fingerprint
    )
    services.area_assign_contacts(area=party.world.area, actor=actor)


def group_of(building: Building) -> PartyOrganisation:
    return PartyOrganisation.objects.active().get(level="group", buildings=building)


@pytest.fixture
def organised(party, secretary) -> PartyWorld:
    """The rule applied, committees appointed, contacts between levels, households assigned."""
    organise(party, secretary)
    area_organisation = PartyOrganisation.objects.get(level="area", area=party.world.area)
    branch = PartyOrganisation.objects.active().get(level="branch")
    left, right = group_of(party.b12), group_of(party.b13)
    appoint = services.position_appoint
    appoint(
        organisation=area_organisation,
        member=party.member("张建国"),
        kind=Position.Kind.SECRETARY,
        actor=secretary,
    )
    appoint(
        organisation=branch,
        member=party.member("王志刚"),
        kind=Position.Kind.SECRETARY,
        actor=secretary,
    )
    appoint(
        organisation=branch,
        member=party.member("刘芳"),
        kind=Position.Kind.COMMITTEE_MEMBER,
        actor=secretary,
    )
    appoint(
        organisation=left,
        member=party.member("赵丽华"),
        kind=Position.Kind.GROUP_LEADER,
        actor=secretary,
    )
    appoint(
        organisation=right,
        member=party.member("孙伟"),
        kind=Position.Kind.GROUP_LEADER,
        actor=secretary,
    )
    services.organisation_set_contact(
        organisation=branch, member=party.member("张建国"), actor=secretary
    )
    services.organisation_set_contact(
        organisation=left, member=party.member("王志刚"), actor=secretary
    )
    services.organisation_set_contact(
        organisation=right, member=party.member("刘芳"), actor=secretary
    )
    party.extra.update(area_organisation=area_organisation, branch=branch, left=left, right=right)
    return party


@pytest.fixture
def branch_secretary(organised) -> User:
    return UserFactory(
        username="zhibu",
        role=Role.BRANCH_SECRETARY,
        area=None,
        party_organisation=organised.extra["branch"],
    )


@pytest.fixture
def group_leader(organised) -> User:
    return UserFactory(
        username="xiaozu", role=Role.GROUP_LEADER, party_organisation=organised.extra["right"]
    )


def move_out(member: PartyMember) -> None:
    resident = member.resident
    resident.status = "moved_out"
    resident.status_date = TODAY
    resident.save(update_fields=["status", "status_date"])
    member.resident = Resident.objects.get(pk=resident.pk)
