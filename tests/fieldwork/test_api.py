"""The fieldwork API: one test per access rule and per bad input; refusals change nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from jinlin.core.models import AreaOpening
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.common import services as common_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.models import Case, CaseAction, Concern, Finding, FindingPhoto, Patrol, Visit
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.visits import services as visit_services
from tests.factories import UserFactory
from tests.fieldwork.conftest import TODAY, jpeg_bytes

API = "/api/v1"


def post(client, path, payload):
    return client.post(
        f"{API}{path}", data=json.dumps(payload, default=str), content_type="application/json"
    )


def messages(response) -> list[str]:
    return [item["message"] for item in response.json()["detail"]]


# --- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary", 200), ("worker_in", 200), ("worker_out", 404), ("editor", 404), ("admin", 404)],
)
def test_case_is_visible_to_its_area_and_patch_only(request, case, as_user, persona, status):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(f"{API}/cases/{case.pk}").status_code == status
    listed = client.get(f"{API}/cases").json()
    assert (case.pk in [c["id"] for c in listed]) == (status == 200)


def test_anonymous_gets_401(client, case):
    assert client.get(f"{API}/cases/{case.pk}").status_code == 401
    assert client.get(f"{API}/visits/due").status_code == 401


def test_worker_sees_a_case_it_owns_outside_its_patch(case, worker_out, as_user, secretary):
    client = as_user(worker_out)
    assert client.get(f"{API}/cases/{case.pk}").status_code == 404
    Case.objects.filter(pk=case.pk).update(owner=worker_out)
    assert client.get(f"{API}/cases/{case.pk}").status_code == 200


def test_worker_sees_a_case_it_has_an_action_in(case, worker_in, worker_out, as_user):
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="没有紧急呼叫手段")
    case_services.case_record_plan(
        case=case,
        actor=worker_in,
        actions=[
            case_services.ActionInput(description="送呼叫器", owner_id=worker_out.pk, due_on=TODAY)
        ],
    )
    assert as_user(worker_out).get(f"{API}/cases/{case.pk}").status_code == 200


def test_subdistrict_admin_sees_an_opened_area_but_cannot_write(case, admin, as_user, world):
    AreaOpening.objects.create(
        user=admin, area=world.area, reason="检查", expires_at=timezone.now() + timedelta(hours=1)
    )
    client = as_user(admin)
    assert client.get(f"{API}/cases/{case.pk}").status_code == 200
    response = post(client, f"/cases/{case.pk}/root-cause", {"root_cause": "没有紧急呼叫手段"})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["worker_out", "editor"])
def test_outsiders_get_404_for_every_kind_of_record(
    request, world, worker_in, as_user, persona, concern, case
):
    visit = visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(household_id=world.household_a.pk, visited_on=TODAY),
    )
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(category="fire_lane", place="南门", severity="high"),
    )
    client = as_user(request.getfixturevalue(persona))
    for path in (
        f"/concerns/{concern.pk}",
        f"/visits/{visit.pk}",
        f"/patrols/{patrol.pk}",
        f"/findings/{finding.pk}",
        f"/cases/{case.pk}",
        f"/cases/{case.pk}/timeline",
    ):
        assert client.get(f"{API}{path}").status_code == 404, path
    assert (
        post(client, f"/cases/{case.pk}/root-cause", {"root_cause": "随便写写看看"}).status_code
        == 404
    )
    assert (
        post(
            client,
            f"/visits/{visit.pk}/proposals",
            {"resident_id": world.resident.pk, "field": "notes", "value": "x"},
        ).status_code
        == 404
    )


def test_due_list_api(world, worker_in, worker_out, as_user):
    body = as_user(worker_in).get(f"{API}/visits/due").json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["address"] == "绿园八村12号楼301室"
    assert item["reason"] == "独居老人 · 每7天"
    assert item["residents"] == ["张建国"]
    assert item["last_visit"] is None
    assert [
        i["household_id"] for i in as_user(worker_out).get(f"{API}/visits/due").json()["items"]
    ] == [world.household_b.pk]
    assert as_user(worker_in).get(f"{API}/visits/due?date=2009-01-01").json()["total"] == 0


# --- bad input: refused with a Chinese message, nothing changed ------------------------------------


def test_visit_in_the_future_is_refused(world, worker_in, as_user):
    response = post(
        as_user(worker_in),
        "/visits",
        {"household_id": world.household_a.pk, "visited_on": TODAY + timedelta(days=1)},
    )
    assert response.status_code == 422
    assert messages(response) == [visit_services.MSG_VISIT_IN_FUTURE]
    assert Visit.objects.count() == 0


def test_visit_outside_the_patch_is_refused(world, worker_out, as_user):
    response = post(
        as_user(worker_out), "/visits", {"household_id": world.household_a.pk, "visited_on": TODAY}
    )
    assert response.status_code == 422
    assert messages(response) == [common_services.MSG_HOUSEHOLD_OUTSIDE]


def test_recording_a_visit_removes_it_from_the_due_list(world, worker_in, as_user):
    client = as_user(worker_in)
    response = post(
        client,
        "/visits",
        {
            "household_id": world.household_a.pk,
            "visited_on": TODAY,
            "mode": "phone",
            "condition": "good",
        },
    )
    assert response.status_code == 201
    assert client.get(f"{API}/visits/due").json()["total"] == 0


def test_concern_for_a_resident_outside_the_patch_is_refused(world, worker_in, as_user):
    response = post(
        as_user(worker_in),
        "/concerns",
        {
            "channel": "phone",
            "scope": "family",
            "subcategory": "health",
            "words": "想问问医保",
            "resident_id": world.resident_b.pk,
        },
    )
    assert response.status_code == 422
    assert messages(response) == [common_services.MSG_RESIDENT_OUTSIDE]
    assert Concern.objects.count() == 0


def test_concern_in_another_area_is_refused_the_same_way(world, worker_in, as_user):
    response = post(
        as_user(worker_in),
        "/concerns",
        {
            "channel": "phone",
            "scope": "family",
            "subcategory": "health",
            "words": "想问问医保",
            "resident_id": world.other_resident.pk,
        },
    )
    assert messages(response) == [common_services.MSG_RESIDENT_OUTSIDE]


def test_concern_create_search_and_update(world, worker_in, as_user):
    client = as_user(worker_in)
    response = post(
        client,
        "/concerns",
        {
            "channel": "building_leader",
            "scope": "community",
            "subcategory": "environment",
            "words": "3号楼后面垃圾堆了一周",
            "compound_id": world.compound_a.pk,
            "urgency": "urgent",
        },
    )
    assert response.status_code == 201
    concern_id = response.json()["id"]
    assert response.json()["is_anonymous"] is True
    assert [c["id"] for c in client.get(f"{API}/concerns?q=垃圾").json()] == [concern_id]
    patched = client.patch(
        f"{API}/concerns/{concern_id}",
        data=json.dumps({"real_need": "清运与分类督导"}),
        content_type="application/json",
    )
    assert patched.json()["real_need"] == "清运与分类督导"


def test_concerns_are_listed_with_or_without_a_case(world, case, concern, worker_in, as_user):
    """The list's case filter and each concern's cases; the page shows 已立案 on the same ones."""
    loose = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="community",
            subcategory="environment",
            words="楼道堆物",
            compound_id=world.compound_a.pk,
        ),
    )
    client = as_user(worker_in)
    listed = {c["id"]: c["case_ids"] for c in client.get(f"{API}/concerns").json()}
    assert listed[concern.pk] == [case.pk] and listed[loose.pk] == []
    assert [c["id"] for c in client.get(f"{API}/concerns?has_case=true").json()] == [concern.pk]
    without = [c["id"] for c in client.get(f"{API}/concerns?has_case=false").json()]
    assert loose.pk in without and concern.pk not in without
    page = client.get("/concerns/").content.decode()
    rows = {row.split("</li>")[0] for row in page.split("<li")[1:]}
    assert [row for row in rows if "楼道堆物" in row and "已立案" not in row]
    assert [row for row in rows if "紧急呼叫" in row and "已立案" in row]


def test_plan_without_root_cause_is_refused(case, worker_in, as_user):
    response = post(
        as_user(worker_in),
        f"/cases/{case.pk}/plan",
        {
            "actions": [
                {
                    "description": "装呼叫器",
                    "owner_id": worker_in.pk,
                    "due_on": TODAY + timedelta(days=3),
                }
            ]
        },
    )
    assert response.status_code == 422
    assert messages(response) == [case_services.MSG_PLAN_BEFORE_ROOT_CAUSE]
    assert CaseAction.objects.count() == 0


def test_action_due_before_the_case_opened_is_refused(case, worker_in, as_user):
    client = as_user(worker_in)
    post(client, f"/cases/{case.pk}/root-cause", {"root_cause": "没有紧急呼叫手段"})
    response = post(
        client,
        f"/cases/{case.pk}/plan",
        {
            "actions": [
                {
                    "description": "装呼叫器",
                    "owner_id": worker_in.pk,
                    "due_on": TODAY - timedelta(days=1),
                }
            ]
        },
    )
    assert response.status_code == 422
    assert messages(response) == ["完成期限不能早于立案日期（2025-11-25）"]
    assert CaseAction.objects.count() == 0


def test_case_lifecycle_through_the_api(world, concern, worker_in, as_user):
    client = as_user(worker_in)
    created = post(
        client,
        "/cases",
        {
            "title": "夜间跌倒",
            "scope": "family",
            "subcategory": "elderly_care",
            "concern_ids": [concern.pk],
        },
    )
    assert created.status_code == 201
    case_id = created.json()["id"]
    assert created.json()["status"] == "diagnosing"
    post(client, f"/cases/{case_id}/root-cause", {"root_cause": "独居且没有紧急呼叫手段"})
    body = post(
        client,
        f"/cases/{case_id}/plan",
        {
            "actions": [
                {
                    "description": "装呼叫器",
                    "owner_id": worker_in.pk,
                    "due_on": TODAY + timedelta(days=3),
                }
            ]
        },
    ).json()
    assert body["status"] == "acting"
    action_id = body["actions"][0]["id"]
    assert (
        post(client, f"/cases/{case_id}/actions/{action_id}/done", {"note": "已装"}).json()[
            "status"
        ]
        == "closing"
    )
    closed = post(
        client, f"/cases/{case_id}/close", {"outcome": "已装呼叫器", "feedback": "satisfied"}
    ).json()
    assert closed["status"] == "closed"
    reopened = post(client, f"/cases/{case_id}/reopen", {"reason": "呼叫器没电"}).json()
    assert reopened["status"] == "closing"
    assert [e["kind"] for e in reopened["timeline"]] == [
        "opened",
        "evidence",
        "root_cause",
        "action",
        "action_done",
        "closed",
        "reopened",
    ]
    assert client.get(f"{API}/cases/{case_id}/timeline").json()[-1]["text"] == "呼叫器没电"


def test_case_with_evidence_the_user_cannot_see_is_refused(world, worker_out, concern, as_user):
    response = post(
        as_user(worker_out),
        "/cases",
        {"title": "x", "scope": "family", "subcategory": "other", "concern_ids": [concern.pk]},
    )
    assert response.status_code == 422
    assert Case.objects.count() == 0


def test_adding_evidence_needs_exactly_one_item(case, worker_in, as_user):
    response = post(as_user(worker_in), f"/cases/{case.pk}/evidence", {})
    assert response.status_code == 422


def test_photo_upload_accepts_images_and_strips_exif(world, worker_in, as_user):
    from PIL import Image

    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="2楼", severity="low"
        ),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = as_user(worker_in)
    photo = SimpleUploadedFile("p.jpg", jpeg_bytes(exif_gps=True), content_type="image/jpeg")
    response = client.post(f"{API}/findings/{finding.pk}/photos", {"photo": photo})
    assert response.status_code == 201
    row = FindingPhoto.objects.get()
    with Image.open(row.image.path) as image:
        assert not image.getexif()
    served = client.get(response.json()["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"


def test_photo_upload_refuses_non_images_and_oversized(world, worker_in, as_user, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="2楼", severity="low"
        ),
    )
    client = as_user(worker_in)
    fake = SimpleUploadedFile(
        "p.jpg", b"MZ\x90\x00 definitely not a photo", content_type="image/jpeg"
    )
    response = client.post(f"{API}/findings/{finding.pk}/photos", {"photo": fake})
    assert response.status_code == 422
    assert "只能上传照片" in messages(response)[0]
    settings.JINLIN = {**settings.JINLIN, "PHOTO_MAX_BYTES": 2048}
    big = SimpleUploadedFile(
        "big.jpg", jpeg_bytes(size=(600, 600)) + b"\x00" * 4096, content_type="image/jpeg"
    )
    response = client.post(f"{API}/findings/{finding.pk}/photos", {"photo": big})
    assert response.status_code == 422
    assert "不能超过" in messages(response)[0]
    assert FindingPhoto.objects.count() == 0


def test_photo_of_a_finding_outside_the_patch_is_404(world, worker_in, worker_out, as_user):
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    finding = patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="2楼", severity="low"
        ),
        photos=[jpeg_bytes()],
    )
    photo = finding.photos.get()
    assert as_user(worker_out).get(f"/photos/{photo.pk}/").status_code == 404
    assert as_user(worker_in).get(f"/photos/{photo.pk}/").status_code == 200


def test_patrol_and_finding_api(world, worker_in, as_user):
    client = as_user(worker_in)
    patrol = post(
        client, "/patrols", {"compound_id": world.compound_a.pk, "patrolled_on": TODAY}
    ).json()
    bad = post(
        client, f"/patrols/{patrol['id']}/findings", {"category": "fire_lane", "place": "南门"}
    )
    assert bad.status_code == 422
    assert messages(bad) == [patrol_services.MSG_HAZARD_SEVERITY]
    good = post(
        client,
        f"/patrols/{patrol['id']}/findings",
        {"category": "fire_lane", "place": "南门", "severity": "high"},
    )
    assert good.status_code == 201
    assert Finding.objects.count() == 1
    assert (
        post(
            client, "/patrols", {"compound_id": world.compound_b.pk, "patrolled_on": TODAY}
        ).status_code
        == 422
    )
    assert Patrol.objects.count() == 1


def test_proposals_api_mask_sensitive_values(world, worker_in, secretary, as_user):
    client = as_user(worker_in)
    visit = post(
        client, "/visits", {"household_id": world.household_a.pk, "visited_on": TODAY}
    ).json()
    created = post(
        client,
        f"/visits/{visit['id']}/proposals",
        {"resident_id": world.resident.pk, "field": "phone", "value": "13911112222"},
    )
    assert created.status_code == 201
    assert created.json()["value"] == "139****2222"
    assert post(client, f"/proposals/{created.json()['id']}/accept", {}).status_code == 403
    accepted = post(
        as_user(secretary), f"/proposals/{created.json()['id']}/accept", {"note": "核实"}
    )
    assert accepted.json()["status"] == "accepted"


def test_intervals_api(world, secretary, worker_in, as_user):
    rows = as_user(secretary).get(f"{API}/areas/{world.area.pk}/visit-intervals").json()
    assert {r["group"]: r["days"] for r in rows} == {
        "hardship": 30,
        "serious_illness": 14,
        "living_alone": 7,
        "lost_only_child": 14,
    }
    response = as_user(secretary).put(
        f"{API}/areas/{world.area.pk}/visit-intervals",
        data=json.dumps({"group": "hardship", "days": 21}),
        content_type="application/json",
    )
    assert {r["group"]: r["days"] for r in response.json()}["hardship"] == 21
    refused = as_user(worker_in).put(
        f"{API}/areas/{world.area.pk}/visit-intervals",
        data=json.dumps({"group": "hardship", "days": 3}),
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_dashboard_api_for_secretary_only(world, secretary, worker_in, as_user, case):
    body = as_user(secretary).get(f"{API}/areas/{world.area.pk}/fieldwork-dashboard").json()
    assert body["status_counts"]["diagnosing"] == 1
    assert (
        as_user(worker_in).get(f"{API}/areas/{world.area.pk}/fieldwork-dashboard").status_code
        == 404
    )
    other = UserFactory(role="area_secretary", area=world.other_area)
    assert as_user(other).get(f"{API}/areas/{world.area.pk}/fieldwork-dashboard").status_code == 404


def test_talents_api(world, secretary, as_user):
    from tests.fieldwork.conftest import add_group

    add_group(world.resident, "talent", TODAY - timedelta(days=300), skills=["法律"])
    assert [t["name"] for t in as_user(secretary).get(f"{API}/talents?skill=法律").json()] == [
        "张建国"
    ]


@pytest.mark.parametrize(
    "path", ["/concerns", "/cases", "/visits", "/patrols", "/visits/due", "/proposals"]
)
def test_list_endpoints_query_count_is_constant(world, worker_in, as_user, path):

    from tests.fieldwork.test_pages import grow, queries_after_a_write

    client = as_user(worker_in)
    grow(world, worker_in, 1)
    client.get(f"{API}{path}")
    small = queries_after_a_write(world, lambda: client.get(f"{API}{path}"), write=True)
    assert small[1] > 3
    grow(world, worker_in, 8)
    assert queries_after_a_write(world, lambda: client.get(f"{API}{path}")) == small
