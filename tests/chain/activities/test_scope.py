"""Who records for which building: a network member its own, a group leader its group's, a
branch secretary its branch's compounds, the area's staff the whole area; nobody else."""

from __future__ import annotations

import pytest

from jinlin.chain.access import member_households
from jinlin.chain.activities.access import recordable_buildings
from jinlin.core.models import Role
from tests.chain.activities.conftest import record
from tests.chain.conftest import invited_member
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ids(user) -> set[int]:
    return set(recordable_buildings(user).values_list("id", flat=True))


def test_louzu_records_only_its_building(organised, louzu):
    assert ids(louzu) == {organised.b13.pk}
    client = login(louzu)
    assert client.get(f"/buildings/{organised.b13.pk}/activities/new/").status_code == 200
    assert client.get(f"/buildings/{organised.b12.pk}/activities/new/").status_code == 404
    assert client.get(f"/buildings/{organised.b12.pk}/activities/").status_code == 404


def test_party_member_records_for_the_buildings_of_its_households(organised, secretary):
    member = organised.member("陈志强")
    account = invited_member(member, secretary).account
    expected = set(member_households(account).values_list("building_id", flat=True))
    assert expected and ids(account) == expected


def test_group_leader_only_its_groups_buildings(organised, group_leader):
    assert ids(group_leader) == {organised.b13.pk, organised.b14.pk}
    client = login(group_leader)
    assert client.get(f"/buildings/{organised.b14.pk}/activities/").status_code == 200
    assert client.get(f"/buildings/{organised.b12.pk}/activities/").status_code == 404


def test_branch_secretary_its_branchs_compounds(organised, branch_secretary, outside):
    building, _ = outside
    assert ids(branch_secretary) == {
        organised.b12.pk,
        organised.b13.pk,
        organised.b14.pk,
        organised.b3.pk,
    }
    assert login(branch_secretary).get(f"/buildings/{building.pk}/activities/").status_code == 404


def test_the_secretary_the_whole_area_a_worker_its_patch(organised, secretary, worker_out, outside):
    building, _ = outside
    assert building.pk in ids(secretary)
    # A record names the residents who took part: a worker reads its patch (绿园九村) only.
    assert ids(worker_out) == {organised.b3.pk}
    client = login(worker_out)
    assert client.get(f"/buildings/{organised.b12.pk}/activities/").status_code == 404
    assert client.get(f"/api/v1/buildings/{organised.b12.pk}/activities").status_code == 404
    assert client.get(f"/buildings/{organised.b3.pk}/activities/").status_code == 200


def test_other_areas_worker_and_other_roles_get_404(organised, louzu, editor, admin):
    activity = record(louzu, organised.b13)
    stranger = UserFactory(username="tianshan", role=Role.WORKER, area=organised.world.other_area)
    for user in (stranger, editor, admin):
        client = login(user)
        assert organised.b13.pk not in ids(user)
        assert client.get(f"/buildings/{organised.b13.pk}/activities/").status_code == 404
        assert client.get(f"/buildings/{organised.b13.pk}/activities/new/").status_code == 404
        assert client.get(f"/areas/{organised.world.area.pk}/activities/").status_code == 404
        response = client.post(f"/activities/{activity.pk}/withdraw/", {"reason": "x"})
        assert response.status_code == 404
        api = client.get(f"/api/v1/buildings/{organised.b13.pk}/activities")
        assert api.status_code == 404


def test_network_member_and_group_leader_do_not_see_the_area_overview(
    organised, louzu, group_leader
):
    for user in (louzu, group_leader):
        assert login(user).get(f"/areas/{organised.world.area.pk}/activities/").status_code == 404
