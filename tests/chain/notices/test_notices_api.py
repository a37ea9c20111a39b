"""The notices API: create, reach, the member's notices, marking; refusals in Chinese."""

from __future__ import annotations

import json

from jinlin.chain.models import Notice, Reach
from jinlin.core.api_schemas import MSG_BLANK
from tests.chain.notices.conftest import group_of, publish

API = "/api/v1"


def post(client, path, payload):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(f"{API}{path}", data=body, content_type="application/json")


def messages(response) -> dict[str, str]:
    return {item["field"]: item["message"] for item in response.json()["detail"]}


def test_create_read_reach_mark_happy_path(organised, secretary, member, as_user):
    area = organised.world.area
    staff = as_user(secretary)
    created = post(
        staff,
        f"/areas/{area.pk}/notices",
        {"title": "防汛提醒", "body": "今晚有暴雨", "group_ids": [group_of(organised.b13).pk]},
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["households"] == 4 and data["group_ids"] == [group_of(organised.b13).pk]
    notice_id = data["id"]

    phone = as_user(member)
    mine = phone.get(f"{API}/me/notices").json()
    assert [n["title"] for n in mine] == ["防汛提醒"]
    assert [h["address"] for h in mine[0]["households"]] == [
        "绿园八村13号楼101室",
        "绿园八村13号楼102室",
    ]
    household_id = mine[0]["households"][0]["household_id"]
    marked = post(
        phone, f"/notices/{notice_id}/reach", {"household_id": household_id, "how": "wechat"}
    )
    assert marked.status_code == 200
    assert marked.json()["how_label"] == "微信"
    again = post(
        phone, f"/notices/{notice_id}/reach", {"household_id": household_id, "how": "posted"}
    )
    assert again.json()["how"] == "posted" and Reach.objects.count() == 1

    reach = staff.get(f"{API}/notices/{notice_id}/reach").json()
    assert (reach["households"], reach["reached"]) == (4, 1)
    assert {w["label"]: w["count"] for w in reach["ways"]}["张贴"] == 1
    assert len(reach["not_told"]) == 3 and all(u["contact"] for u in reach["not_told"])
    assert reach["buildings"][0]["reached"] == 0


def test_bad_input_is_refused_in_chinese_and_changes_nothing(organised, secretary, member, as_user):
    area = organised.world.area
    staff = as_user(secretary)
    response = post(staff, f"/areas/{area.pk}/notices", {"title": "", "body": "x" * 2001})
    assert response.status_code == 422
    assert messages(response) == {"title": MSG_BLANK, "body": "最多 2000 个字"}
    response = post(
        staff, f"/areas/{area.pk}/notices", {"title": "t", "body": "b", "building_ids": ["x"]}
    )
    assert response.status_code == 422 and messages(response) == {"building_ids.0": "应为整数"}
    response = post(staff, f"/areas/{area.pk}/notices", '{"title": ')
    assert response.status_code == 400
    assert Notice.objects.count() == 0

    notice = publish(secretary, area)
    household = organised.households["13-101"]
    response = post(
        as_user(member), f"/notices/{notice.pk}/reach", {"household_id": household.pk, "how": "喊"}
    )
    assert response.status_code == 422
    assert messages(response) == {
        "how": "应为以下之一：in_person、phone、wechat、posted、unreachable"
    }
    assert Reach.objects.count() == 0


def test_others_objects_are_404(organised, secretary, worker_in, member, editor, as_user):
    area = organised.world.area
    notice = publish(secretary, area)
    assert (
        post(
            as_user(worker_in), f"/areas/{area.pk}/notices", {"title": "t", "body": "b"}
        ).status_code
        == 404
    )
    assert (
        post(
            as_user(secretary),
            f"/areas/{organised.world.other_area.pk}/notices",
            {"title": "t", "body": "b"},
        ).status_code
        == 404
    )
    assert as_user(editor).get(f"{API}/notices/{notice.pk}/reach").status_code == 404
    assert as_user(member).get(f"{API}/notices/{notice.pk}/reach").status_code == 404
    not_mine = organised.households["12-301"]
    response = post(
        as_user(member),
        f"/notices/{notice.pk}/reach",
        {"household_id": not_mine.pk, "how": "phone"},
    )
    assert response.status_code == 404
    assert as_user(secretary).get(f"{API}/me/notices").json() == []
