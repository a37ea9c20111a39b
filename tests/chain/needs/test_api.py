"""The needs API: publish, list, claim, confirm, complete, hours — the same rules as the pages;
out of scope is 404, bad input 422 in Chinese with nothing changed."""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jinlin.chain.needs import services
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
from jinlin.core.api_schemas import MSG_BLANK
from tests.chain.needs.conftest import TODAY_15, confirmed, done_claim, need_on, publish

API = "/api/v1"
GOOD = {
    "title": "辅导三年级功课",
    "place": "居委会活动室",
    "starts_at": "2026-11-25T15:00:00+08:00",
    "hours": 2,
    "people_needed": 2,
}


def post(client, path, payload=None):
    body = json.dumps(payload if payload is not None else {})
    return client.post(f"{API}{path}", data=body, content_type="application/json")


def messages(response) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["detail"]}


def test_a_member_claims_and_completes_a_need_through_the_api(
    organised, secretary, member, as_user
):
    area = organised.world.area
    staff, phone = as_user(secretary), as_user(member)
    created = post(staff, f"/areas/{area.pk}/needs", GOOD)
    assert created.status_code == 201, created.content
    need_id = created.json()["id"]
    assert created.json()["places_left"] == 2 and created.json()["hours"] == 2.0

    mine = phone.get(f"{API}/me/needs").json()
    assert [n["title"] for n in mine["open"]] == ["辅导三年级功课"]
    assert mine["open"][0]["my_claim"] is None
    claimed = post(phone, f"/needs/{need_id}/claims")
    assert claimed.status_code == 201 and claimed.json()["status"] == "claimed"
    claim_id = claimed.json()["id"]

    listed = staff.get(f"{API}/areas/{area.pk}/needs").json()
    assert listed[0]["claims"][0]["member"] == "党员 陈志强"
    assert listed[0]["places_left"] == 1
    confirmed_ = post(staff, f"/claims/{claim_id}/confirm")
    assert confirmed_.status_code == 200 and confirmed_.json()["status_label"] == "已确认"

    done = post(phone, f"/claims/{claim_id}/complete", {"note": "讲了两道应用题", "hours": "1.5"})
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["hours_served"]) == ("done", 1.5)
    mine = phone.get(f"{API}/me/needs").json()
    assert (mine["hours_this_year"], mine["done_this_year"]) == (1.5, 1)
    assert mine["claims"][0]["done_note"] == "讲了两道应用题"

    hours = staff.get(f"{API}/areas/{area.pk}/needs/hours", {"year": 2026}).json()
    assert hours["rows"] == [
        {
            "member_id": member.pk,
            "name": "党员 陈志强",
            "is_in_service": True,
            "is_dual_registered": True,
            "done": 1,
            "hours": 1.5,
        }
    ]


def test_bad_input_is_422_in_chinese_and_changes_nothing(organised, secretary, member, as_user):
    area = organised.world.area
    staff = as_user(secretary)
    for changes, field, message in [
        ({"title": " "}, "title", MSG_BLANK),
        ({"hours": 0.3}, "hours", "应为 0.5 的整数倍"),
        ({"hours": 0}, "hours", "不能小于 0.5"),
        ({"hours": 1.2}, "hours", "应为 0.5 的整数倍"),
        ({"hours": "1e400"}, "hours", "不能大于 24.0"),
        ({"people_needed": 99}, "people_needed", "不能大于 50"),
        ({"starts_at": "2026-11-24T09:00:00+08:00"}, "starts_at", services.MSG_STARTS_PAST),
    ]:
        response = post(staff, f"/areas/{area.pk}/needs", {**GOOD, **changes})
        assert response.status_code == 422, changes
        assert messages(response)[field] == message
    assert post(staff, f"/areas/{area.pk}/needs", {"title": "x"}).status_code == 422
    assert Need.objects.count() == 0

    need = need_on(area, TODAY_15)
    claim = confirmed(need, member, secretary)
    phone = as_user(member)
    refused = post(phone, f"/claims/{claim.pk}/complete", {"note": ""})
    assert refused.status_code == 422 and messages(refused)["note"] == MSG_BLANK
    refused = post(phone, f"/claims/{claim.pk}/complete", {"note": "好", "hours": 48})
    assert refused.status_code == 422 and messages(refused)["hours"] == "不能大于 24.0"
    again = post(phone, f"/needs/{need.pk}/claims")
    assert again.status_code == 422 and messages(again)[""] == services.MSG_ALREADY_CLAIMED
    assert NeedClaim.objects.get().status == ClaimStatus.CONFIRMED
    assert staff.get(f"{API}/areas/{area.pk}/needs/hours", {"year": 1999}).status_code == 422


def test_out_of_scope_is_404(
    organised, secretary, member, second_member, stranger, worker_elsewhere, worker_in, as_user
):
    area = organised.world.area
    need = publish(secretary, area)
    claim = services.need_claim(need=need, actor=member)
    for user in (member, worker_elsewhere):  # not the area's committee
        client = as_user(user)
        assert client.get(f"{API}/areas/{area.pk}/needs").status_code == 404
        assert post(client, f"/areas/{area.pk}/needs", GOOD).status_code == 404
        assert client.get(f"{API}/areas/{area.pk}/needs/hours").status_code == 404
        assert post(client, f"/claims/{claim.pk}/confirm").status_code == 404
        assert post(client, f"/claims/{claim.pk}/decline").status_code == 404
        assert post(client, f"/needs/{need.pk}/withdraw").status_code == 404
    for user in (second_member, worker_in):  # not the claim's member
        client = as_user(user)
        assert post(client, f"/claims/{claim.pk}/complete", {"note": "x"}).status_code == 404
        assert post(client, f"/claims/{claim.pk}/withdraw").status_code == 404
    assert post(as_user(stranger), f"/needs/{need.pk}/claims").status_code == 404
    assert post(as_user(worker_in), f"/needs/{need.pk}/claims").status_code == 404  # staff
    assert as_user(worker_in).get(f"{API}/me/needs").status_code == 404
    assert as_user(stranger).get(f"{API}/me/needs").json()["open"] == []
    assert NeedClaim.objects.get().status == ClaimStatus.CLAIMED


def test_member_withdraws_and_committee_declines_and_withdraws(
    organised, secretary, member, second_member, as_user
):
    area = organised.world.area
    need = publish(secretary, area)
    first = services.need_claim(need=need, actor=member)
    second = services.need_claim(need=need, actor=second_member)
    assert post(as_user(member), f"/claims/{first.pk}/withdraw").json()["status"] == "withdrawn"
    staff = as_user(secretary)
    assert post(staff, f"/claims/{second.pk}/decline").json()["status"] == "declined"
    withdrawn = post(staff, f"/needs/{need.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    assert post(staff, f"/needs/{need.pk}/withdraw").status_code == 422


def test_lists_read_in_a_fixed_number_of_queries(
    organised, secretary, member, second_member, as_user
):
    area = organised.world.area
    staff, phone = as_user(secretary), as_user(member)
    urls = [
        (staff, f"{API}/areas/{area.pk}/needs"),
        (staff, f"{API}/areas/{area.pk}/needs/hours"),
        (phone, f"{API}/me/needs"),
    ]

    def counts() -> list[int]:
        result = []
        for client, url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    confirmed(publish(secretary, area), member, secretary)
    done_claim(need_on(area, TODAY_15), member, "1")
    counts()  # the first request of a session does its one-off reads
    before = counts()
    for n in range(3):
        need = publish(secretary, area, title=f"楼道清理 {n}")
        confirmed(need, member, secretary)
        services.need_claim(need=need, actor=second_member)
        done_claim(need_on(area, TODAY_15), second_member, "2")
    assert counts() == before
