"""The Party API: one test per access rule and per bad input; refusals change nothing."""

from __future__ import annotations

import json

import pytest

from jinlin.core.models import AuditEvent
from jinlin.party.models import Meeting, PartyOrganisation
from tests.party.conftest import member_in, move_out
from tests.party.test_views import login

pytestmark = pytest.mark.django_db
API = "/api/v1/party"


def post(client, path, payload):
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def names_in(payload) -> set[str]:
    text = json.dumps(payload, ensure_ascii=False)
    return {
        n
        for n in ("张建国", "王志刚", "赵丽华", "陈志强", "刘芳", "孙伟", "周敏", "李秀英")
        if n in text
    }


ALL = {"张建国", "王志刚", "赵丽华", "陈志强", "刘芳", "孙伟", "周敏", "李秀英"}


@pytest.mark.parametrize(
    ("persona", "status", "names"),
    [
        ("secretary", 200, ALL),
        ("branch_secretary", 200, ALL),
        ("group_leader", 200, {"陈志强", "刘芳", "孙伟", "周敏"}),
        ("worker_in", 200, ALL - {"李秀英"}),
        ("worker_out", 200, {"李秀英"}),
        ("editor", 404, set()),
        ("admin", 404, set()),
    ],
)
def test_tree_shows_each_persona_its_own_party_data(request, organised, persona, status, names):
    client = login(request.getfixturevalue(persona))
    response = client.get(f"{API}/areas/{organised.world.area.pk}/tree")
    assert response.status_code == status
    if status == 200:
        assert names_in(response.json()) == names


def test_anonymous_gets_401(organised, client):
    assert client.get(f"{API}/areas/{organised.world.area.pk}/tree").status_code == 401


def test_tree_shape(organised, secretary):
    tree = login(secretary).get(f"{API}/areas/{organised.world.area.pk}/tree").json()
    assert tree["organisation"] == "绿八居民区党总支"
    [branch] = tree["branches"]
    assert branch["is_joint"] and branch["contact"]["name"] == "张建国"
    groups = {g["name"]: g for g in branch["groups"]}
    right = groups["13、14号楼党小组"]
    assert right["leader"]["name"] == "孙伟" and right["contact"]["name"] == "刘芳"
    assert right["counted_members"] == 3 and right["covered"] == right["households"] == 4
    zhou = next(m for m in right["members"] if m["name"] == "周敏")
    assert zhou["is_probationary"] and zhou["party_years"] is None
    assert tree["totals"]["covered"] == 8


def test_hidden_post_holders_are_named_as_such(organised, group_leader):
    tree = login(group_leader).get(f"{API}/areas/{organised.world.area.pk}/tree").json()
    [branch] = tree["branches"]
    assert (
        branch["contact"]["member_id"] is None and "不在您的查看范围" in branch["contact"]["name"]
    )
    assert [g["name"] for g in branch["groups"]] == ["13、14号楼党小组"]
    assert tree["committee"] == []


def test_coverage_lists_gaps_after_a_move_out(organised, secretary):
    client = login(secretary)
    assert client.get(f"{API}/areas/{organised.world.area.pk}/coverage").json()["gaps"] == []
    move_out(organised.member("孙伟"))
    report = client.get(f"{API}/areas/{organised.world.area.pk}/coverage").json()
    assert report["counts"]["group_no_leader"] == 1
    assert report["counts"]["household_no_contact"] >= 1


def test_proposal_apply_round_trip(party, secretary):
    client = login(secretary)
    proposal = client.get(f"{API}/areas/{party.world.area.pk}/proposal").json()
    assert not proposal["is_empty"] and proposal["threshold"] == 3
    assert proposal["counts"]["groups_new"] == 2
    [branch] = proposal["branches"]
    assert branch["change"] == "new" and branch["is_joint"]
    response = post(
        client,
        f"/areas/{party.world.area.pk}/proposal/apply",
        {"fingerprint": proposal["fingerprint"]},
    )
    assert response.status_code == 201 and response.json()["applied_by"] == "shuji"
    assert PartyOrganisation.objects.filter(level="group").count() == 2
    again = post(
        client,
        f"/areas/{party.world.area.pk}/proposal/apply",
        {"fingerprint": proposal["fingerprint"]},
    )
    assert again.status_code == 409


def test_stale_fingerprint_is_409_and_changes_nothing(party, secretary):
    client = login(secretary)
    proposal = client.get(f"{API}/areas/{party.world.area.pk}/proposal").json()
    member_in(party.households["13-102"], "吴刚")
    response = post(
        client,
        f"/areas/{party.world.area.pk}/proposal/apply",
        {"fingerprint": proposal["fingerprint"]},
    )
    assert response.status_code == 409 and "数据已有变化" in response.json()["detail"]
    assert not PartyOrganisation.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.REORGANISE).exists()


@pytest.mark.parametrize("persona", ["worker_in", "branch_secretary", "group_leader", "editor"])
def test_proposal_is_only_for_the_area_secretary(request, organised, persona):
    client = login(request.getfixturevalue(persona))
    area = organised.world.area.pk
    assert client.get(f"{API}/areas/{area}/proposal").status_code == 404
    assert post(client, f"/areas/{area}/proposal/apply", {"fingerprint": "x"}).status_code == 404


def test_apply_needs_a_fingerprint(party, secretary):
    response = post(login(secretary), f"/areas/{party.world.area.pk}/proposal/apply", {})
    assert response.status_code == 422


def test_members_list_with_years(organised, secretary):
    rows = login(secretary).get(f"{API}/areas/{organised.world.area.pk}/members").json()
    zhang = next(r for r in rows if r["name"] == "张建国")
    assert zhang["party_years"] == 55 and zhang["titles"] == ["党总支书记"]
    assert {r["name"] for r in rows} == ALL


def test_group_detail_and_access(organised, group_leader, worker_out):
    right = organised.extra["right"]
    detail = login(group_leader).get(f"{API}/groups/{right.pk}").json()
    assert {h["room"] for h in detail["households"]} == {"101", "102", "201", "202"}
    assert all(h["contact"] and h["gap"] is None for h in detail["households"])
    assert login(group_leader).get(f"{API}/groups/{organised.extra['left'].pk}").status_code == 404
    assert login(worker_out).get(f"{API}/groups/{right.pk}").status_code == 404


def test_assign_dry_run_and_access(organised, secretary, group_leader):
    right = organised.extra["right"]
    move_out(organised.member("陈志强"))
    preview = post(login(secretary), f"/groups/{right.pk}/assign", {"dry_run": True}).json()
    assert preview["changed"] > 0
    assert post(login(group_leader), f"/groups/{right.pk}/assign", {}).status_code == 404
    done = post(login(secretary), f"/groups/{right.pk}/assign", {}).json()
    assert done["changed"] == preview["changed"] and done["uncovered"] == 0


def test_meetings_recorded_by_the_group_leader(organised, group_leader, worker_in):
    right = organised.extra["right"]
    payload = {
        "held_on": "2026-11-20",
        "topics": ["楼道堆物清理"],
        "attendance": {str(organised.member("刘芳").pk): "present"},
    }
    response = post(login(group_leader), f"/groups/{right.pk}/meetings", payload)
    assert response.status_code == 201
    assert response.json()["attendance"][str(organised.member("刘芳").pk)] == "present"
    listed = login(group_leader).get(f"{API}/groups/{right.pk}/meetings").json()
    assert [m["topics"] for m in listed] == [["楼道堆物清理"]]
    assert post(login(worker_in), f"/groups/{right.pk}/meetings", payload).status_code == 404


def test_meeting_with_bad_input_is_422(organised, secretary):
    right = organised.extra["right"]
    response = post(
        login(secretary),
        f"/groups/{right.pk}/meetings",
        {"held_on": "2027-01-01", "topics": [], "attendance": {"999999": "present"}},
    )
    assert response.status_code == 422
    fields = {item["field"] for item in response.json()["detail"]}
    assert fields == {"held_on", "topics", "attendance"}
    assert not Meeting.objects.exists()


def test_placard_endpoints_check_access(organised, secretary, worker_out):
    assert (
        login(worker_out).get(f"{API}/buildings/{organised.b12.pk}/placard.pdf").status_code == 404
    )
    assert (
        login(worker_out)
        .get(f"{API}/compounds/{organised.world.compound_a.pk}/placards.pdf")
        .status_code
        == 404
    )
    response = login(secretary).get(f"{API}/buildings/{organised.b12.pk}/placard.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_openapi_lists_the_party_endpoints(secretary):
    paths = login(secretary).get("/api/v1/openapi.json").json()["paths"]
    for path in ("/tree", "/proposal", "/proposal/apply", "/coverage"):
        assert any(p.startswith("/api/v1/party/areas/") and p.endswith(path) for p in paths)
