"""A network member's own households: its page /me/, the API, and 404 everywhere else."""

from __future__ import annotations

from datetime import date

import pytest

from jinlin.party.models import HouseholdContact
from jinlin.party.services.accounts import volunteer_invite
from jinlin.people.models import GroupMembership
from tests.chain.conftest import invited_member
from tests.conftest import login
from tests.factories import HouseholdFactory, ResidentFactory

pytestmark = pytest.mark.django_db


def contacted_by(member) -> set[int]:
    return set(
        HouseholdContact.objects.filter(member=member, ended_on__isnull=True).values_list(
            "household_id", flat=True
        )
    )


def shown_ids(client) -> set[int]:
    response = client.get("/api/v1/me/households")
    assert response.status_code == 200
    return {row["id"] for row in response.json()}


def mark(resident, group: str) -> None:
    GroupMembership.objects.create(
        resident=resident,
        household=resident.household,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        group=group,
        source=GroupMembership.Source.MANUAL,
        since=date(2020, 1, 1),
        reason="测试",
    )


def test_member_sees_exactly_its_contacts(organised, secretary):
    member = organised.member("陈志强")
    account = invited_member(member, secretary).account
    mine = contacted_by(member)
    assert mine
    neighbour = contacted_by(organised.member("刘芳")) - mine
    assert neighbour
    client = login(account)
    assert shown_ids(client) == mine
    html = client.get("/me/").content.decode()
    assert "陈志强，您好" in html
    for household_id in mine:
        assert f'id="household-{household_id}"' in html
    for household_id in neighbour:
        assert f'id="household-{household_id}"' not in html


def test_volunteer_sees_the_households_of_its_buildings(organised, secretary):
    account = volunteer_invite(
        area_id=organised.world.area.pk,
        name="钱大妈",
        building_ids=[organised.b14.pk],
        actor=secretary,
    ).account
    expected = set(organised.b14.households.values_list("id", flat=True))
    assert shown_ids(login(account)) == expected


def test_member_with_buildings_sees_both(organised, secretary):
    member = organised.member("陈志强")
    account = invited_member(member, secretary).account
    account.chain_buildings.set([organised.b3])
    expected = contacted_by(member) | set(organised.b3.households.values_list("id", flat=True))
    assert shown_ids(login(account)) == expected


def test_page_shows_names_ages_and_only_non_sensitive_groups(organised, secretary):
    account = volunteer_invite(
        area_id=organised.world.area.pk,
        name="钱大妈",
        building_ids=[organised.b12.pk],
        actor=secretary,
    ).account
    resident = organised.world.resident  # 张建国, born 1950-03-02, 12号楼301
    mark(resident, "retired_cadre")
    mark(resident, "hardship")  # sensitive: never shown to a network member
    html = login(account).get("/me/").content.decode()
    assert "绿园八村12号楼" in html and "301室" in html
    assert "张建国" in html and "76岁" in html
    assert "老干部" in html
    assert "困难家庭" not in html
    assert resident.id_number not in html and resident.phone not in html
    assert "1950" not in html
    assert 'href="/me/notices/"' in html
    row = next(r for r in login(account).get("/api/v1/me/households").json() if r["room"] == "301")
    names = {line["name"]: line for line in row["residents"]}
    assert names["张建国"]["age"] == 76
    assert "老干部" in names["张建国"]["groups"] and "困难家庭" not in row["groups"]
    assert set(names["张建国"]) == {"name", "age", "groups"}


def test_member_nav_shows_only_its_links(organised, secretary):
    account = invited_member(organised.member("陈志强"), secretary).account
    html = login(account).get("/me/").content.decode()
    assert "我的联系户" in html and "/me/notices/" in html
    for other in ("党建", "今日", "审计日志", "搜索居民", "纠错有奖"):
        assert other not in html


def test_query_count_does_not_grow_with_households(
    organised, secretary, django_assert_max_num_queries
):
    account = volunteer_invite(
        area_id=organised.world.area.pk,
        name="钱大妈",
        building_ids=[organised.b13.pk],
        actor=secretary,
    ).account
    client = login(account)
    client.get("/me/")
    # 8 for the page, + the last contacts and the passed-on concerns (chain.Contact).
    with django_assert_max_num_queries(10) as few:
        client.get("/me/")
    for room in range(20):
        household = HouseholdFactory(building=organised.b13, room=f"6{room:02d}")
        resident = ResidentFactory(household=household, name=f"新住户{room}")
        mark(resident, "talent")
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get("/me/").content.decode()
    assert "新住户19" in html


@pytest.mark.parametrize("persona", ["secretary", "worker_in", "editor"])
def test_other_roles_get_404_on_member_pages(organised, persona, request):
    client = login(request.getfixturevalue(persona))
    assert client.get("/me/").status_code == 404
    assert client.get("/api/v1/me/households").status_code == 404


def test_anonymous_is_sent_to_login(db, client):
    assert client.get("/me/").status_code == 302
    assert client.get("/api/v1/me/households").status_code == 401


def test_member_gets_404_on_every_registry_fieldwork_and_party_page(organised, secretary):
    member = organised.member("陈志强")
    account = invited_member(member, secretary).account
    household_id = next(iter(contacted_by(member)))
    world = organised.world
    client = login(account)
    area = world.area.pk
    for path in (
        f"/residents/{world.resident.pk}/",
        f"/residents/{member.resident_id}/",
        f"/households/{household_id}/",
        f"/buildings/{organised.b13.pk}/",
        f"/areas/{area}/",
        f"/compounds/{world.compound_a.pk}/",
        f"/areas/{area}/groups/living_alone/",
        "/search/?q=张",
        "/today/",
        "/party/",
        f"/party/areas/{area}/",
        f"/party/areas/{area}/members/",
        f"/party/areas/{area}/invite/",
        f"/party/groups/{organised.extra['right'].pk}/",
        f"/api/v1/residents/{world.resident.pk}",
        f"/api/v1/households/{household_id}",
        f"/api/v1/buildings/{organised.b13.pk}",
        f"/api/v1/party/areas/{area}/tree",
        f"/api/v1/party/areas/{area}/members",
        f"/api/v1/party/groups/{organised.extra['right'].pk}",
    ):
        assert client.get(path).status_code == 404, path
    listing = client.get("/api/v1/residents")  # a list answers with nothing in it
    assert listing.status_code == 200 and listing.json() == []
    assert client.get("/api/v1/cases").json() == []
    assert client.post(f"/party/members/{member.pk}/invite/").status_code == 404


def test_staff_never_sees_member_nav(organised, secretary):
    html = login(secretary).get(f"/party/areas/{organised.world.area.pk}/").content.decode()
    assert "我的联系户" not in html
