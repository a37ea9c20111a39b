"""The cast of the needs tests: the organised Party network of tests/party (its day is frozen
at 2026-11-25 10:00 in Shanghai), two network members of the area (one a Party member in
service who registered with the community, 双报到), one of another area, a worker there."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from jinlin.chain.needs import services
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
from jinlin.core.models import Role, User
from tests.factories import UserFactory
from tests.party import conftest as party_fixtures
from tests.party.conftest import SHANGHAI

MEMBER_PASSWORD = "correct-horse-battery"
TOMORROW_9 = datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI)
TODAY_15 = datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI)

party = party_fixtures.party
organised = party_fixtures.organised


def network_member(username: str, area, name: str = "", party_member=None) -> User:
    return User.objects.create_user(
        username=username,
        password=MEMBER_PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=area,
        display_name=name,
        party_member=party_member,
    )


@pytest.fixture
def member(organised) -> User:
    """党员 陈志强: in service, registered with the community (双报到)."""
    record = organised.member("陈志强")
    record.is_in_service = True
    record.is_dual_registered = True
    record.home_organisation = "区卫健委"
    record.save()
    return network_member("dangyuan", organised.world.area, "党员 陈志强", record)


@pytest.fixture
def second_member(organised) -> User:
    """党员 刘芳, retired."""
    return network_member("liufang", organised.world.area, "党员 刘芳", organised.member("刘芳"))


@pytest.fixture
def stranger(organised) -> User:
    """A network member of 天山居民区."""
    return network_member("tianshan_member", organised.world.other_area, "天山联络员")


@pytest.fixture
def worker_elsewhere(organised) -> User:
    return UserFactory(
        username="tianshan_worker", role=Role.WORKER, area=organised.world.other_area
    )


def publish(actor: User, area, **kwargs) -> Need:
    kwargs.setdefault("title", "陪同独居老人就医")
    kwargs.setdefault("place", "绿园八村12号楼")
    kwargs.setdefault("starts_at", TOMORROW_9)
    kwargs.setdefault("hours", Decimal("2"))
    kwargs.setdefault("people_needed", 2)
    return services.need_publish(area=area, actor=actor, **kwargs)


def confirmed(need: Need, member: User, secretary: User) -> NeedClaim:
    claim = services.need_claim(need=need, actor=member)
    return services.claim_confirm(claim=claim, actor=secretary)


def done_claim(need: Need, member: User, hours: str) -> NeedClaim:
    """A done claim written directly (for needs dated in the past)."""
    return NeedClaim.objects.create(
        need=need,
        member=member,
        status=ClaimStatus.DONE,
        done_note="已完成",
        hours_served=Decimal(hours),
    )


def need_on(area, at: datetime, **kwargs) -> Need:
    """A need on any date, written directly (publishing refuses the past)."""
    kwargs.setdefault("title", "楼道清理")
    kwargs.setdefault("place", "13号楼")
    kwargs.setdefault("hours", Decimal("2"))
    kwargs.setdefault("people_needed", 5)
    return Need.objects.create(area=area, starts_at=at, **kwargs)
