"""联系情况: which households of a group leader's, a branch secretary's or the area's part of the
network no member has contacted for N days; its page, its API, who may see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jinlin.chain.forms import MSG_FRESHNESS_DAYS
from jinlin.chain.models import Contact
from jinlin.core.models import Role, User
from tests.conftest import login
from tests.factories import HouseholdFactory, ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)  # tests/party's frozen day
API = "/api/v1"


@pytest.fixture
def louzu(organised) -> User:
    user = UserFactory(username="louzu13", role=Role.NETWORK_MEMBER, area=organised.world.area)
    user.chain_buildings.set([organised.b13])
    return user


@pytest.fixture
def contacted(organised, louzu, frozen_day):
    """13-101 contacted today, 13-102 forty days ago, 12-301 ten days ago; the rest never."""
    for key, days_ago in (("13-101", 0), ("13-102", 40), ("12-301", 10)):
        Contact.objects.create(
            household=organised.households[key],
            member=louzu,
            contacted_on=TODAY - timedelta(days=days_ago),
            how="in_person",
        )
    # An older contact of 13-101 changes nothing: the latest one counts.
    Contact.objects.create(
        household=organised.households["13-101"],
        member=louzu,
        contacted_on=TODAY - timedelta(days=90),
        how="phone",
    )
    return organised


def addresses(group: dict) -> list[str]:
    return [row["address"] for row in group["stale"]]


def test_group_leader_sees_its_group_with_the_longest_uncontacted_first(contacted, group_leader):
    response = login(group_leader).get(f"{API}/areas/{contacted.world.area.pk}/contact-freshness")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["days"] == 30 and data["on"] == TODAY.isoformat()
    # Its group looks after 13号楼 and 14号楼: four lived-in households (13-999 is empty).
    assert data["households"] == 4 and data["fresh"] == 1
    [group] = data["groups"]
    assert addresses(group) == [
        "绿园八村14号楼201室",
        "绿园八村14号楼202室",
        "绿园八村13号楼102室",
    ]
    never, _, forty = group["stale"]
    assert never["last_contacted"] is None and never["days_since"] is None
    assert forty["last_contacted"] == (TODAY - timedelta(days=40)).isoformat()
    assert forty["days_since"] == 40 and forty["contact"]  # its contact member is named


def test_the_number_of_days_is_the_readers_choice(contacted, group_leader):
    url = f"{API}/areas/{contacted.world.area.pk}/contact-freshness?days=60"
    data = login(group_leader).get(url).json()
    assert data["fresh"] == 2  # 13-102, forty days ago, is within sixty


def test_branch_secretary_and_area_secretary_see_the_branch_and_area_by_group(
    contacted, branch_secretary, secretary
):
    area = contacted.world.area.pk
    branch = login(branch_secretary).get(f"{API}/areas/{area}/contact-freshness").json()
    whole = login(secretary).get(f"{API}/areas/{area}/contact-freshness").json()
    # The joint branch covers both compounds, so it sees what the area secretary sees.
    assert branch == whole
    assert whole["households"] == 8 and whole["fresh"] == 2  # 12-301 and 13-101
    by_group = {g["label"]: addresses(g) for g in whole["groups"]}
    assert set(by_group) == {"12号楼、3号楼党小组", "13、14号楼党小组"}
    assert "绿园九村3号楼502室" in by_group["12号楼、3号楼党小组"]
    assert [g["fresh"] for g in whole["groups"]] == [1, 1]


def test_the_page_lists_the_stale_households_in_the_party_pages(contacted, group_leader):
    page = login(group_leader).get(f"/party/areas/{contacted.world.area.pk}/contacts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "联系情况" in html and 'aria-current="page">联系情况' in html
    assert "1/4" in html and "14号楼201室" in html and "从未联系" in html
    assert "40 天前" in html
    assert "13号楼101室" not in html  # contacted today


@pytest.mark.parametrize("days", ["0", "366", "abc", ""])
def test_a_bad_number_of_days_is_refused_with_a_message(contacted, group_leader, days):
    area = contacted.world.area.pk
    page = login(group_leader).get(f"/party/areas/{area}/contacts/", {"days": days})
    assert page.status_code == 422
    assert MSG_FRESHNESS_DAYS in page.content.decode()
    api = login(group_leader).get(f"{API}/areas/{area}/contact-freshness", {"days": days})
    assert api.status_code == 422


def test_nobody_outside_the_network_sees_it(contacted, louzu, worker_out, editor, world):
    area = contacted.world.area.pk
    for user in (louzu, editor):
        client = login(user)
        assert client.get(f"/party/areas/{area}/contacts/").status_code == 404
        assert client.get(f"{API}/areas/{area}/contact-freshness").status_code == 404
    other = world.other_area.pk
    worker = login(worker_out)
    assert worker.get(f"/party/areas/{other}/contacts/").status_code == 404


def test_a_worker_sees_the_households_of_its_patch(contacted, worker_in, worker_out):
    area = contacted.world.area.pk
    inside = login(worker_in).get(f"{API}/areas/{area}/contact-freshness").json()
    outside = login(worker_out).get(f"{API}/areas/{area}/contact-freshness").json()
    assert inside["households"] == 7  # 绿园八村
    assert outside["households"] == 1  # 绿园九村3号楼502室


def test_the_page_costs_the_same_queries_however_many_households(
    contacted, secretary, django_assert_max_num_queries
):
    client = login(secretary)
    url = f"/party/areas/{contacted.world.area.pk}/contacts/"
    client.get(url)
    with django_assert_max_num_queries(14) as before:
        client.get(url)
    for room in range(601, 640):
        household = HouseholdFactory(building=contacted.b12, room=str(room))
        ResidentFactory(household=household)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(url)
