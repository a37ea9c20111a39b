"""Inviting a member and spending the invitation through the API: the phone app's way in."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from jinlin.core.api_accounts import MSG_INVITATION_UNKNOWN
from jinlin.core.models import ApiToken, Invitation, Role, User
from jinlin.core.services import MSG_INVITATION_SPENT
from tests.chain.conftest import NEW_PASSWORD
from tests.conftest import login

pytestmark = pytest.mark.django_db

API = "/api/v1"


def post(client, path, payload):
    return client.post(f"{API}{path}", data=json.dumps(payload), content_type="application/json")


def invite(secretary, member):
    return post(login(secretary), f"/party/members/{member.pk}/invitation", {})


def test_a_member_invited_through_the_api_gets_a_token_and_sees_its_households(
    organised, secretary
):
    member = organised.member("陈志强")
    issued = invite(secretary, member)
    assert issued.status_code == 201, issued.content
    data = issued.json()
    assert data["display_name"] == "陈志强"
    assert data["url"] == f"http://testserver/invite/{data['token']}/"
    account = User.objects.get(party_member=member)
    assert account.role == Role.NETWORK_MEMBER and data["username"] == account.username

    app = Client()  # no session: the phone app
    accepted = post(
        app,
        "/invitations/accept",
        {"token": data["token"], "password": NEW_PASSWORD, "device": "我的手机"},
    )
    assert accepted.status_code == 201, accepted.content
    token = accepted.json()["token"]
    assert ApiToken.objects.get(user=account).name == "我的手机"
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)  # it can sign in on the page too
    mine = app.get(f"{API}/me/households", headers={"authorization": f"Bearer {token}"})
    assert mine.status_code == 200
    assert "绿园八村13号楼101室" in {h["address"] for h in mine.json()}

    again = post(app, "/invitations/accept", {"token": data["token"], "password": NEW_PASSWORD})
    assert again.status_code == 410 and again.json()["detail"] == MSG_INVITATION_SPENT
    assert ApiToken.objects.filter(user=account).count() == 1


def test_a_weak_password_is_refused_and_the_link_still_works(organised, secretary):
    token = invite(secretary, organised.member("陈志强")).json()["token"]
    weak = post(Client(), "/invitations/accept", {"token": token, "password": "123"})
    assert weak.status_code == 422
    [error] = weak.json()["detail"]
    assert error["field"] == "password" and error["message"]
    assert Invitation.objects.get().used_at is None
    assert not ApiToken.objects.exists()
    assert (
        post(
            Client(), "/invitations/accept", {"token": token, "password": NEW_PASSWORD}
        ).status_code
        == 201
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"token": "not-a-token", "password": NEW_PASSWORD},
        {"token": "", "password": NEW_PASSWORD},
    ],
)
def test_an_unknown_token_is_404(organised, payload):
    response = post(Client(), "/invitations/accept", payload)
    assert response.status_code == 404 and response.json()["detail"] == MSG_INVITATION_UNKNOWN


def test_malformed_requests_are_refused_with_messages(organised):
    response = post(Client(), "/invitations/accept", {"token": "x" * 101})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"token", "password"}


def test_who_may_not_invite_gets_404(organised, worker_out, group_leader):
    member = organised.member("陈志强")
    response = post(login(worker_out), f"/party/members/{member.pk}/invitation", {})
    assert response.status_code == 404
    assert post(login(group_leader), "/party/members/999999/invitation", {}).status_code == 404
    assert not User.objects.filter(party_member=member).exists()


def test_a_member_who_moved_away_is_refused_with_a_message(organised, secretary):
    member = organised.member("陈志强")
    member.resident.status = "moved_out"
    member.resident.status_date = date(2026, 11, 1)
    member.resident.save(update_fields=["status", "status_date"])
    response = invite(secretary, member)
    assert response.status_code == 422
    assert response.json()["detail"][0]["message"] == "该党员已不在本居民区居住，不能邀请"
