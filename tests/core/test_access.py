"""Object-level access for each persona, in pages and in the API (SPEC "Users and what they may see")."""

import pytest

from jinlin.core.models import AuditEvent, Role
from tests.conftest import login
from tests.factories import UserFactory


def resident_urls(world):
    return [
        f"/residents/{world.resident.pk}/",
        f"/households/{world.household_a.pk}/",
        f"/buildings/{world.building_a.pk}/",
        f"/compounds/{world.compound_a.pk}/",
        f"/api/v1/residents/{world.resident.pk}",
        f"/api/v1/households/{world.household_a.pk}",
        f"/api/v1/buildings/{world.building_a.pk}",
    ]


def test_worker_inside_patch_sees_the_resident_everywhere(world, worker_in):
    client = login(worker_in)
    for url in resident_urls(world):
        assert client.get(url).status_code == 200, url


def test_worker_outside_patch_gets_404(world, worker_out):
    client = login(worker_out)
    for url in resident_urls(world):
        assert client.get(url).status_code == 404, url


def test_secretary_sees_its_whole_area_but_not_another_area(world, secretary):
    client = login(secretary)
    for url in resident_urls(world):
        assert client.get(url).status_code == 200, url
    assert client.get(f"/residents/{world.resident_b.pk}/").status_code == 200
    assert client.get(f"/residents/{world.other_resident.pk}/").status_code == 404
    assert client.get(f"/api/v1/residents/{world.other_resident.pk}").status_code == 404


def test_editor_sees_no_resident_data(world, editor):
    client = login(editor)
    for url in resident_urls(world):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/areas/{world.area.pk}/").status_code == 404
    assert client.get("/api/v1/residents").json() == []


def test_anonymous_reader_is_sent_to_login_and_api_says_401(world, client):
    response = client.get(f"/residents/{world.resident.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(f"/api/v1/residents/{world.resident.pk}").status_code == 401


def test_resident_list_api_only_lists_the_patch(world, worker_in, worker_out):
    names_in = {row["name"] for row in login(worker_in).get("/api/v1/residents").json()}
    names_out = {row["name"] for row in login(worker_out).get("/api/v1/residents").json()}
    assert names_in == {"张建国"}
    assert names_out == {"李秀英"}


def test_worker_with_a_building_patch_sees_only_that_building(world):
    user = UserFactory(role=Role.WORKER, area=world.area)
    user.patch_buildings.set([world.building_b])
    client = login(user)
    assert client.get(f"/residents/{world.resident_b.pk}/").status_code == 200
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 404
    assert client.get(f"/buildings/{world.building_a.pk}/").status_code == 404


def test_subdistrict_admin_sees_aggregates_but_no_person_until_it_opens_the_area(world, admin):
    client = login(admin)
    overview = client.get("/api/v1/areas").json()
    assert {row["name"] for row in overview} == {"绿八居民区", "天山居民区"}
    assert next(row for row in overview if row["name"] == "绿八居民区")["residents"] == 2
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 404
    # The area's page says that a reason opens it, instead of counting zeros.
    closed = client.get(f"/areas/{world.area.pk}/").content.decode()
    assert 'id="area-closed"' in closed and "须先写明事由打开" in closed
    assert '<div class="tile">' not in closed

    refused = client.post(f"/areas/{world.area.pk}/open/", {"reason": ""})
    assert refused.status_code == 302
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 404

    client.post(f"/areas/{world.area.pk}/open/", {"reason": "核查困难家庭补助"})
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 200
    opened = client.get(f"/areas/{world.area.pk}/").content.decode()
    assert 'id="area-closed"' not in opened and '<p class="stat">2</p>在住居民' in opened
    assert client.get(f"/residents/{world.other_resident.pk}/").status_code == 404
    event = AuditEvent.objects.get(action=AuditEvent.Action.OPEN_AREA)
    assert (
        event.actor == admin
        and event.reason == "核查困难家庭补助"
        and event.area_id == world.area.pk
    )


def test_group_leader_sees_only_its_group_territory(world):
    from jinlin.party.models import PartyOrganisation

    group = PartyOrganisation.objects.create(area=world.area, level="group", name="12号楼党小组")
    group.buildings.set([world.building_a])
    leader = UserFactory(role=Role.GROUP_LEADER, area=world.area, party_organisation=group)
    client = login(leader)
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 200
    assert client.get(f"/residents/{world.resident_b.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["worker_out", "editor"])
def test_outsiders_cannot_unmask(world, persona, request):
    client = login(request.getfixturevalue(persona))
    response = client.post(
        f"/api/v1/residents/{world.resident.pk}/unmask",
        {"fields": ["id_number"], "reason": "核实"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UNMASK).exists()
