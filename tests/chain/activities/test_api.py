"""The activities API: the pages' gate and services; 422 with Chinese messages, else 404."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from jinlin.chain.activities import services
from jinlin.chain.activities.models import BuildingActivity
from jinlin.core.api_schemas import MSG_BLANK
from tests.chain.activities.conftest import TODAY, record
from tests.conftest import login

pytestmark = pytest.mark.django_db


def post(client, path, payload):
    return client.post(path, json.dumps(payload), content_type="application/json")


def payload(**overrides):
    data = {"kind": "new_customs", "held_on": TODAY.isoformat(), "summary": "移风易俗宣传"}
    data.update(overrides)
    return data


def test_record_and_list(organised, louzu):
    client = login(louzu)
    member = organised.member("陈志强")
    response = post(
        client,
        f"/api/v1/buildings/{organised.b13.pk}/activities",
        payload(party_member_ids=[member.pk], resident_count=12),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind_label"], body["party_members"], body["resident_total"]) == (
        "新风",
        ["陈志强"],
        12,
    )
    listed = client.get(f"/api/v1/buildings/{organised.b13.pk}/activities").json()
    assert [row["id"] for row in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "party"}, "kind", "应为以下之一：mutual_help、hygiene、mediation、new_customs"),
        ({"held_on": (TODAY + timedelta(days=2)).isoformat()}, "held_on", services.MSG_DATE_FUTURE),
        ({"summary": ""}, "summary", MSG_BLANK),
        ({"resident_ids": [999999]}, "residents", services.MSG_RESIDENT_OUTSIDE),
    ],
)
def test_bad_input_is_422(organised, louzu, overrides, field, message):
    response = post(
        login(louzu), f"/api/v1/buildings/{organised.b13.pk}/activities", payload(**overrides)
    )
    assert response.status_code == 422
    assert {"field": field, "message": message} in response.json()["detail"]
    assert not BuildingActivity.objects.exists()


def test_out_of_scope_is_404(organised, louzu):
    client = login(louzu)
    assert (
        post(client, f"/api/v1/buildings/{organised.b12.pk}/activities", payload()).status_code
        == 404
    )
    assert client.get(f"/api/v1/buildings/{organised.b12.pk}/activities").status_code == 404
    assert client.get(f"/api/v1/areas/{organised.world.area.pk}/activities").status_code == 404
    assert not BuildingActivity.objects.exists()


def test_withdraw(organised, louzu, group_leader):
    activity = record(louzu, organised.b13)
    path = f"/api/v1/activities/{activity.pk}/withdraw"
    assert post(login(group_leader), path, {"reason": "x"}).status_code == 404
    client = login(louzu)
    refused = post(client, path, {"reason": " "})
    assert refused.status_code == 422
    assert refused.json()["detail"] == [{"field": "reason", "message": MSG_BLANK}]
    done = post(client, path, {"reason": "记错楼了"})
    assert done.status_code == 200
    assert done.json()["withdraw_reason"] == "记错楼了"


def test_area_overview(organised, secretary, louzu):
    record(louzu, organised.b13, kind="hygiene")
    record(louzu, organised.b13, kind="mediation", held_on=TODAY - timedelta(days=100))
    record(louzu, organised.b13, kind="mutual_help", held_on=TODAY - timedelta(days=10))
    body = login(secretary).get(f"/api/v1/areas/{organised.world.area.pk}/activities").json()
    rows = {row["building_id"]: row for row in body["buildings"]}
    b13 = rows[organised.b13.pk]
    assert (b13["liveliness"], b13["liveliness_label"]) == ("active", "活跃")
    assert b13["recent"] == {"mutual_help": 1, "hygiene": 1, "mediation": 0, "new_customs": 0}
    assert b13["year"]["mediation"] == 1
    assert rows[organised.b12.pk]["liveliness"] == "quiet"
    assert "活跃" in body["rule"]


def test_a_withdrawn_activity_does_not_count(organised, secretary, louzu):
    activity = record(louzu, organised.b13, kind="hygiene")
    services.activity_withdraw(activity=activity, actor=louzu, reason="记错了")
    body = login(secretary).get(f"/api/v1/areas/{organised.world.area.pk}/activities").json()
    b13 = next(row for row in body["buildings"] if row["building_id"] == organised.b13.pk)
    assert (b13["liveliness"], b13["recent"]["hygiene"]) == ("quiet", 0)


def test_named_residents_and_the_count_add_up(organised, louzu):
    resident = organised.households["13-102"].residents.get()
    record(louzu, organised.b13, resident_ids=[resident.pk], resident_count=4)
    (row,) = login(louzu).get(f"/api/v1/buildings/{organised.b13.pk}/activities").json()
    assert (row["residents"], row["resident_total"]) == (["吴桂英"], 5)


def test_the_api_list_runs_a_fixed_number_of_queries(
    organised, louzu, django_assert_max_num_queries
):
    client = login(louzu)
    path = f"/api/v1/buildings/{organised.b13.pk}/activities"
    record(louzu, organised.b13)
    with django_assert_max_num_queries(30) as first:
        client.get(path)
    member = organised.member("陈志强")
    for _ in range(4):
        record(louzu, organised.b13, party_member_ids=[member.pk], resident_count=2)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get(path).json()) == 5
