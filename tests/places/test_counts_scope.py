"""Counts only of what one may see; sensitive counts below 3 suppressed where the people behind
them cannot be opened (docs/security.md, "Counts")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jinlin.core.models import AreaOpening, Role
from jinlin.party.models import PartyOrganisation
from jinlin.people import services
from tests.conftest import login
from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory, UserFactory


@pytest.fixture
def hardship(world, secretary):
    """One 困难家庭 in building A (compound A), three in another building of compound A."""
    services.group_add_manual(
        resident=world.resident, actor=secretary, group="hardship", reason="低保"
    )
    other = BuildingFactory(compound=world.compound_a, number="14")
    for room in ("101", "102", "103"):
        resident = ResidentFactory(household=HouseholdFactory(building=other, room=room))
        services.group_add_manual(
            resident=resident, actor=secretary, group="hardship", reason="低保"
        )
    return other


@pytest.fixture
def leader(world):
    """A 党小组长: a volunteer who sees its group's one building (building A)."""
    group = PartyOrganisation.objects.create(area=world.area, level="group", name="第一党小组")
    group.buildings.set([world.building_a])
    return UserFactory(username="xiaozu", role=Role.GROUP_LEADER, party_organisation=group)


def _area(rows, world):
    return next(row for row in rows if row["id"] == world.area.pk)


def test_a_worker_counts_only_its_patch(world, worker_in, hardship):
    """The probe: shegong got the whole area's households and residents."""
    row = _area(login(worker_in).get("/api/v1/areas").json(), world)
    # Compound A: 张建国's household and the three of building 14; not compound B's.
    assert (row["households"], row["residents"]) == (4, 4)
    assert row["groups"]["hardship"] == 4  # a worker may open the list: no suppression


def test_a_group_leader_counts_only_its_building_and_small_sensitive_counts_are_hidden(
    world, leader, hardship
):
    """The probe: xiaozu got the compound's 174 households and its hardship and illness counts."""
    client = login(leader)
    row = _area(client.get("/api/v1/areas").json(), world)
    assert (row["households"], row["residents"]) == (1, 1)
    assert row["groups"]["hardship"] == "<3"
    overview = client.get(f"/api/v1/areas/{world.area.pk}/overview").json()
    assert [(r["name"], r["households"], r["buildings"]) for r in overview] == [("绿园八村", 1, 1)]
    assert overview[0]["groups"]["hardship"] == "<3"
    page = client.get(f"/areas/{world.area.pk}/").content.decode()
    assert "&lt;3" in page


def test_the_secretary_sees_every_count_of_its_area(world, secretary, hardship):
    overview = login(secretary).get(f"/api/v1/areas/{world.area.pk}/overview").json()
    assert {r["name"]: r["groups"].get("hardship", 0) for r in overview} == {
        "绿园八村": 4,
        "绿园九村": 0,
    }


def test_the_subdistrict_sees_whole_areas_with_small_sensitive_counts_hidden_until_it_opens(
    world, secretary, admin
):
    services.group_add_manual(
        resident=world.resident, actor=secretary, group="lost_only_child", reason="失独"
    )
    client = login(admin)
    row = _area(client.get("/api/v1/areas").json(), world)
    assert (row["households"], row["residents"]) == (2, 2)
    assert row["groups"]["lost_only_child"] == "<3"
    export = client.get("/subdistrict/export.xlsx")
    assert export.status_code == 200
    AreaOpening.objects.create(
        user=admin,
        area=world.area,
        reason="核查",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    admin.refresh_from_db()
    row = _area(login(admin).get("/api/v1/areas").json(), world)
    assert row["groups"]["lost_only_child"] == 1


def test_the_subdistrict_page_is_for_those_who_oversee_whole_areas(
    world, secretary, worker_in, leader, admin
):
    assert login(worker_in).get("/subdistrict/").status_code == 404
    assert login(leader).get("/subdistrict/export.xlsx").status_code == 404
    assert login(secretary).get("/subdistrict/").status_code == 200
    assert login(admin).get("/subdistrict/").status_code == 200


def test_a_total_over_suppressed_cells_tells_nothing_the_cells_do_not(world, secretary, hardship):
    """Two compounds of a group leader's area: 1 and 3 hardship families; total "≥4", not 4."""
    services.group_add_manual(
        resident=world.resident_b, actor=secretary, group="hardship", reason="低保"
    )
    group = PartyOrganisation.objects.create(area=world.area, level="group", name="联合党小组")
    group.buildings.set([world.building_b, hardship])
    leader = UserFactory(role=Role.GROUP_LEADER, party_organisation=group)
    page = login(leader).get(f"/areas/{world.area.pk}/").content.decode()
    assert "≥4" in page
