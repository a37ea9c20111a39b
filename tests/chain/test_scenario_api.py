"""Issue 13's whole scenario through the API alone, as a phone app and the committee's tools
would drive it: invited, signed in with a token, its households, a notice down and its reach, a
need passed up that the worker then has, a 双报到 need claimed, confirmed and completed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jinlin.fieldwork.concerns.models import Channel
from tests.chain.conftest import NEW_PASSWORD
from tests.conftest import login

pytestmark = pytest.mark.django_db

API = "/api/v1"


class App:
    """A client that speaks JSON with a bearer token (the phone) or a session (the office)."""

    def __init__(self, client: Client, token: str | None = None) -> None:
        self.client = client
        self.headers = {"authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **query):
        return self.client.get(f"{API}{path}", query, headers=self.headers)

    def post(self, path: str, payload: dict):
        return self.client.post(
            f"{API}{path}",
            data=json.dumps(payload),
            content_type="application/json",
            headers=self.headers,
        )


def ok(response, status: int = 200):
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_the_chain_at_work_through_the_api(organised, secretary, worker_in, frozen_day):
    area = organised.world.area
    office = App(login(secretary))
    member = organised.member("陈志强")

    # The secretary invites the member; its phone app spends the link for a token.
    invitation = ok(office.post(f"/party/members/{member.pk}/invitation", {}), 201)
    accepted = ok(
        App(Client()).post(
            "/invitations/accept", {"token": invitation["token"], "password": NEW_PASSWORD}
        ),
        201,
    )
    phone = App(Client(), accepted["token"])

    # Its households, and nothing beyond them.
    households = ok(phone.get("/me/households"))
    addresses = {h["address"]: h["id"] for h in households}
    assert list(addresses) == ["绿园八村13号楼101室"]  # the one household it contacts
    assert phone.get(f"/party/areas/{area.pk}/tree").status_code == 404
    assert phone.get(f"/residents/{organised.world.resident.pk}").status_code == 404

    # A notice comes down to its building; the member marks one household told.
    notice = ok(
        office.post(
            f"/areas/{area.pk}/notices",
            {
                "title": "周六停水",
                "body": "周六 9 点到 12 点停水",
                "building_ids": [organised.b13.pk],
            },
        ),
        201,
    )
    mine = ok(phone.get("/me/notices"))
    assert [n["title"] for n in mine] == ["周六停水"]
    household_id = addresses["绿园八村13号楼101室"]
    ok(phone.post(f"/notices/{notice['id']}/reach", {"household_id": household_id, "how": "phone"}))
    reach = ok(office.get(f"/notices/{notice['id']}/reach"))
    assert reach["reached"] == 1 and reach["households"] == 2  # 13-101, 13-102 (999 is empty)
    assert "绿园八村13号楼101室" not in {h["address"] for h in reach["not_told"]}

    # A need passed up on a contact becomes a concern the patch worker has.
    contact = ok(
        phone.post(
            f"/me/households/{household_id}/contacts",
            {"how": "in_person", "passed_on": "楼道灯坏了一个月，老人晚上不敢出门"},
        ),
        201,
    )
    concerns = ok(App(login(worker_in)).get("/concerns", channel=Channel.PARTY_MEMBER))
    assert [c["id"] for c in concerns] == [contact["concern_id"]]
    assert concerns[0]["words"] == "楼道灯坏了一个月，老人晚上不敢出门"

    # The group leader sees the household contacted in 联系情况.
    freshness = ok(office.get(f"/areas/{area.pk}/contact-freshness"))
    stale = {row["address"] for group in freshness["groups"] for row in group["stale"]}
    assert "绿园八村13号楼101室" not in stale and "绿园八村13号楼102室" in stale

    # A 双报到 need: the committee publishes, the member claims, the committee confirms, the
    # member completes it with a line; the hours count for the member's year.
    need = ok(
        office.post(
            f"/areas/{area.pk}/needs",
            {
                "title": "帮独居老人买菜",
                "place": "绿园八村13号楼",
                "starts_at": "2026-11-25T15:00:00+08:00",
                "hours": "1.5",
                "people_needed": 2,
            },
        ),
        201,
    )
    board = ok(phone.get("/me/needs"))
    assert [n["title"] for n in board["open"]] == ["帮独居老人买菜"]
    claim = ok(phone.post(f"/needs/{need['id']}/claims", {}), 201)
    assert claim["status"] == "claimed"
    early = phone.post(f"/claims/{claim['id']}/complete", {"note": "买好了"})
    assert early.status_code == 422  # not confirmed yet: nothing changes
    ok(office.post(f"/claims/{claim['id']}/confirm", {}))
    done = ok(phone.post(f"/claims/{claim['id']}/complete", {"note": "买了米和青菜送上门"}))
    assert done["status"] == "done" and done["hours_served"] == 1.5
    mine = ok(phone.get("/me/needs"))
    assert mine["hours_this_year"] == 1.5 and mine["done_this_year"] == 1
    hours = ok(office.get(f"/areas/{area.pk}/needs/hours", year=2026))
    assert [(row["name"], row["hours"]) for row in hours["rows"]] == [("陈志强", 1.5)]
    assert phone.get(f"/areas/{area.pk}/needs/hours").status_code == 404

    # A 楼组 activity on its own building, seen in the area's overview.
    activity = ok(
        phone.post(
            f"/buildings/{organised.b13.pk}/activities",
            {
                "kind": "hygiene",
                "held_on": "2026-11-25",
                "summary": "清理楼道堆物",
                "resident_count": 6,
            },
        ),
        201,
    )
    assert activity["kind"] == "hygiene"
    assert phone.get(f"/buildings/{organised.b3.pk}/activities").status_code == 404
    overview = ok(office.get(f"/areas/{area.pk}/activities"))
    recent = {(row["compound"], row["building"]): row["recent"] for row in overview["buildings"]}
    assert recent[("绿园八村", "13号楼")]["hygiene"] == 1
