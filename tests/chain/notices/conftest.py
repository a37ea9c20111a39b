"""The cast of the notice tests: the organised Party network of tests/party (8 lived-in
households in 12, 13, 14号楼 of 绿园八村 and 3号楼 of 绿园九村; 13号楼 999 is empty), plus
a compound outside the joint branch and network members on their phones."""

from __future__ import annotations

import pytest

from jinlin.chain import notice_services as services
from jinlin.chain.models import Notice
from jinlin.core.models import Role, User
from jinlin.party.models import PartyOrganisation
from tests.factories import BuildingFactory, CompoundFactory, HouseholdFactory, ResidentFactory
from tests.party import conftest as party_fixtures

MEMBER_PASSWORD = "correct-horse-battery"

# The Party network of tests/party, shared (fixtures, not imports: nothing is redefined).
party = party_fixtures.party
organised = party_fixtures.organised
branch_secretary = party_fixtures.branch_secretary


def group_of(building) -> PartyOrganisation:
    return PartyOrganisation.objects.active().get(level="group", buildings=building)


def publish(actor: User, area, **kwargs) -> Notice:
    kwargs.setdefault("title", "停水通知")
    kwargs.setdefault("body", "明天 9:00-17:00 停水，请提前储水。")
    return services.notice_publish(area=area, actor=actor, **kwargs)


@pytest.fixture
def outside(organised):
    """绿园十村: in the area, outside the joint branch; one lived-in household."""
    compound = CompoundFactory(area=organised.world.area, name="绿园十村")
    building = BuildingFactory(compound=compound, number="1")
    household = HouseholdFactory(building=building, room="101")
    ResidentFactory(household=household, name="钱多多")
    return compound, building, household


@pytest.fixture
def member(organised) -> User:
    """A 楼组长 looking after 13号楼 (101 and 102 lived in, 999 empty)."""
    user = User.objects.create_user(
        username="louzu13",
        password=MEMBER_PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=organised.world.area,
        display_name="楼组长老周",
    )
    user.chain_buildings.set([organised.b13])
    return user


@pytest.fixture
def other_member(organised) -> User:
    """A volunteer looking after 3号楼 only."""
    user = User.objects.create_user(
        username="zhiyuan3",
        password=MEMBER_PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=organised.world.area,
    )
    user.chain_buildings.set([organised.b3])
    return user
