"""Inviting members, 楼组长 and volunteers, and spending the link (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from jinlin.core.models import AuditEvent, Invitation, Role, User
from jinlin.party.services.accounts import account_reinvite, volunteer_invite
from tests.chain.conftest import NEW_PASSWORD, invited_member
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r'id="invite-link"[^>]*value="(http://testserver/invite/([^/"]+)/)"')


def invite_from_members_page(client, member) -> tuple[str, str]:
    response = client.post(f"/party/members/{member.pk}/invite/", {"back": "/party/"})
    assert response.status_code == 200
    html = response.content.decode()
    match = LINK.search(html)
    assert match, html
    assert "<svg" in html and "邀请二维码" in html
    return match.group(1), match.group(2)


def accept(client, token: str, password: str = NEW_PASSWORD):
    return client.post(f"/invite/{token}/", {"new_password1": password, "new_password2": password})


# --- inviting a Party member -----------------------------------------------------------------


def test_secretary_invites_member_from_member_list(organised, secretary, client):
    page = login(secretary).get(f"/party/areas/{organised.world.area.pk}/members/")
    assert "邀请上线" in page.content.decode()
    member = organised.member("陈志强")
    link, token = invite_from_members_page(login(secretary), member)

    account = User.objects.get(party_member=member)
    assert account.role == Role.NETWORK_MEMBER
    assert account.area_id == organised.world.area.pk
    assert account.display_name == "陈志强"
    assert not account.has_usable_password()
    invitation = Invitation.objects.get(user=account)
    assert invitation.token_hash == Invitation.hash(token)
    assert invitation.created_by == secretary
    assert abs(invitation.expires_at - invitation.created_at - timedelta(hours=72)) < timedelta(
        seconds=1
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.INVITE)
    assert event.reason == "邀请 陈志强 上线" and event.area_id == organised.world.area.pk


def test_invitation_hours_come_from_settings(organised, secretary, settings):
    settings.JINLIN = {**settings.JINLIN, "INVITATION_HOURS": 5}
    issued = invited_member(organised.member("陈志强"), secretary)
    lasts = issued.invitation.expires_at - issued.invitation.created_at
    assert abs(lasts - timedelta(hours=5)) < timedelta(seconds=1)


def test_reinviting_reuses_the_account_and_revokes_earlier_links(organised, secretary, client):
    member = organised.member("陈志强")
    first = invited_member(member, secretary)
    second = invited_member(member, secretary)
    assert first.account.pk == second.account.pk
    assert User.objects.filter(party_member=member).count() == 1
    assert client.get(f"/invite/{first.token}/").status_code == 410
    assert client.get(f"/invite/{second.token}/").status_code == 200
    third = account_reinvite(account_id=second.account.pk, actor=secretary)
    assert client.get(f"/invite/{second.token}/").status_code == 410
    assert client.get(f"/invite/{third.token}/").status_code == 200


def test_branch_secretary_invites_members_of_its_branch(organised, branch_secretary):
    issued = invited_member(organised.member("刘芳"), branch_secretary)
    assert issued.account.party_member == organised.member("刘芳")


def test_member_with_staff_account_is_refused_with_message(organised, secretary):
    UserFactory(role=Role.GROUP_LEADER, party_member=organised.member("孙伟"))
    response = login(secretary).post(
        f"/party/members/{organised.member('孙伟').pk}/invite/",
        {"back": f"/party/areas/{organised.world.area.pk}/members/"},
        follow=True,
    )
    assert "该党员已有工作人员账号" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["worker_in", "worker_out", "editor", "other_secretary"])
def test_who_may_not_invite_gets_404(organised, persona, request):
    if persona == "other_secretary":
        user = UserFactory(role=Role.AREA_SECRETARY, area=organised.world.other_area)
    else:
        user = request.getfixturevalue(persona)
    client = login(user)
    member = organised.member("陈志强")
    assert client.post(f"/party/members/{member.pk}/invite/").status_code == 404
    assert client.get(f"/party/areas/{organised.world.area.pk}/invite/").status_code == 404
    assert (
        client.post(
            f"/party/areas/{organised.world.area.pk}/invite/",
            {"name": "钱大妈", "buildings": [organised.b12.pk]},
        ).status_code
        == 404
    )
    assert not User.objects.filter(role=Role.NETWORK_MEMBER).exists()
    assert not Invitation.objects.exists()


def test_group_leader_and_branch_secretary_may_not_invite_volunteers(
    organised, group_leader, branch_secretary
):
    for user in (group_leader, branch_secretary):
        response = login(user).post(f"/party/members/{organised.member('陈志强').pk}/invite/")
        assert response.status_code == (404 if user is group_leader else 200)
        assert login(user).get(f"/party/areas/{organised.world.area.pk}/invite/").status_code == 404


def test_unknown_member_gets_404(secretary):
    assert login(secretary).post("/party/members/999999/invite/").status_code == 404


def test_reinvite_of_another_areas_account_gets_404(organised, secretary):
    other = UserFactory(role=Role.NETWORK_MEMBER, area=organised.world.other_area)
    assert login(secretary).post(f"/party/accounts/{other.pk}/invite/").status_code == 404
    staff = UserFactory(role=Role.WORKER, area=organised.world.area)
    assert login(secretary).post(f"/party/accounts/{staff.pk}/invite/").status_code == 404


# --- inviting a 楼组长 or volunteer ----------------------------------------------------------


def test_secretary_invites_a_volunteer_for_buildings(organised, secretary):
    area = organised.world.area
    response = login(secretary).post(
        f"/party/areas/{area.pk}/invite/",
        {"name": " 钱 大妈 ", "buildings": [organised.b13.pk, organised.b14.pk]},
    )
    assert response.status_code == 200
    assert LINK.search(response.content.decode())
    account = User.objects.get(role=Role.NETWORK_MEMBER)
    assert account.display_name == "钱 大妈" and account.party_member is None
    assert set(account.chain_buildings.all()) == {organised.b13, organised.b14}
    listing = login(secretary).get(f"/party/areas/{area.pk}/invite/").content.decode()
    assert "钱 大妈" in listing and "待设置密码" in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "buildings": []}, "请填写姓名"),
        ({"name": "钱大妈", "buildings": []}, "请至少选择一个楼组"),
        ({"name": "钱大妈", "buildings": ["x"]}, "所选楼组不在本居民区"),
    ],
)
def test_bad_volunteer_input_changes_nothing(organised, secretary, data, message):
    response = login(secretary).post(f"/party/areas/{organised.world.area.pk}/invite/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(role=Role.NETWORK_MEMBER).exists()


def test_volunteer_building_of_another_area_is_refused(organised, secretary):
    from tests.factories import BuildingFactory, CompoundFactory

    elsewhere = BuildingFactory(compound=CompoundFactory(area=organised.world.other_area))
    response = login(secretary).post(
        f"/party/areas/{organised.world.area.pk}/invite/",
        {"name": "钱大妈", "buildings": [elsewhere.pk]},
    )
    assert response.status_code == 400 and "所选楼组不在本居民区" in response.content.decode()
    with pytest.raises(Exception, match="所选楼组不在本居民区"):
        volunteer_invite(
            area_id=organised.world.area.pk,
            name="钱大妈",
            building_ids=[elsewhere.pk],
            actor=secretary,
        )
    assert not User.objects.filter(role=Role.NETWORK_MEMBER).exists()


# --- accepting ----------------------------------------------------------------------------


def test_accepting_sets_password_logs_in_and_spends_the_link(organised, secretary, client):
    issued = invited_member(organised.member("陈志强"), secretary)
    page = client.get(f"/invite/{issued.token}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "陈志强" in html and issued.account.username in html

    response = accept(client, issued.token)
    assert response.status_code == 302 and response["Location"] == "/me/"
    account = User.objects.get(pk=issued.account.pk)
    assert account.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(pk=issued.invitation.pk).used_at is not None
    assert client.get("/me/").status_code == 200
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITE, actor=account, reason="接受邀请，设置密码"
    ).exists()


def test_link_is_single_use(organised, secretary, client):
    issued = invited_member(organised.member("陈志强"), secretary)
    accept(client, issued.token)
    other = type(client)()
    assert other.get(f"/invite/{issued.token}/").status_code == 410
    response = accept(other, issued.token, "another-password-2027")
    assert response.status_code == 410
    assert "邀请链接无效" in response.content.decode()
    assert User.objects.get(pk=issued.account.pk).check_password(NEW_PASSWORD)


def test_expired_link_is_refused_and_changes_nothing(organised, secretary, client):
    issued = invited_member(organised.member("陈志强"), secretary)
    with time_machine.travel(timezone.now() + timedelta(hours=73)):
        response = accept(client, issued.token)
    assert response.status_code == 410 and "邀请链接无效" in response.content.decode()
    assert not User.objects.get(pk=issued.account.pk).has_usable_password()
    assert Invitation.objects.get(pk=issued.invitation.pk).used_at is None


def test_unknown_link_is_404(db, client):
    response = client.get("/invite/not-a-real-token/")
    assert response.status_code == 404 and "邀请链接无效" in response.content.decode()
    assert accept(client, "not-a-real-token").status_code == 404


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("short1", "short1", "密码太短"),
        ("12345678901234", "12345678901234", "全都是数字"),
        ("qingshan-lvshui-2026", "qingshan-lvshui-2027", "两个密码不一致"),
    ],
)
def test_password_validators_apply(organised, secretary, client, password, again, message):
    issued = invited_member(organised.member("陈志强"), secretary)
    response = client.post(
        f"/invite/{issued.token}/", {"new_password1": password, "new_password2": again}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.get(pk=issued.account.pk).has_usable_password()
    assert Invitation.objects.get(pk=issued.invitation.pk).used_at is None


def test_network_member_is_not_forced_into_second_factor(organised, secretary, client, settings):
    settings.JINLIN = {**settings.JINLIN, "SECOND_FACTOR_REQUIRED": True}
    issued = invited_member(organised.member("陈志强"), secretary)
    response = accept(client, issued.token)
    assert response["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    assert client.get("/").url == "/me/"
