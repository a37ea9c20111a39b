"""Accounts of the chain's lower links: a Party member, a 楼组长 or a volunteer gets a network
member account (no password of its own yet) and a single-use link to set one.

Re-inviting revokes the account's earlier unused links; each invitation is audited, with no
personal data beyond the display name.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Invitation, Role, User
from jinlin.party import access
from jinlin.party.models import PartyMember
from jinlin.places.models import Building

MSG_MEMBER_GONE = "该党员已不在本居民区居住，不能邀请"
MSG_STAFF_ACCOUNT = "该党员已有工作人员账号，请用该账号登录，无需邀请"
MSG_ACCOUNT_DISABLED = "该账号已停用，不能邀请"
MSG_NAME_NEEDED = "请填写姓名"
MSG_BUILDINGS_NEEDED = "请至少选择一个楼组"
MSG_BUILDINGS_ELSEWHERE = "所选楼组不在本居民区"
NAME_MAX = 50


@dataclass(frozen=True)
class Issued:
    """What the inviting page shows once: for whom, and the token of the link."""

    account: User
    invitation: Invitation
    token: str


def _new_username() -> str:
    """A short name to sign in with later (lx + 6 digits), never one in use."""
    while True:
        username = f"lx{secrets.randbelow(1_000_000):06d}"
        if not User.objects.filter(username=username).exists():
            return username


def _new_account(*, area_id: int, display_name: str, party_member: PartyMember | None) -> User:
    account = User(
        username=_new_username(),
        role=Role.NETWORK_MEMBER,
        area_id=area_id,
        display_name=display_name,
        party_member=party_member,
    )
    account.set_unusable_password()
    account.save()
    return account


def _issue(*, account: User, actor: User, request: HttpRequest | None) -> Issued:
    now = timezone.now()
    Invitation.objects.filter(user=account, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    invitation, token = Invitation.issue(
        user=account, created_by=actor, hours=settings.JINLIN["INVITATION_HOURS"]
    )
    audit(
        actor=actor,
        action=AuditEvent.Action.INVITE,
        object_type="user",
        object_id=account.pk,
        reason=f"邀请 {account.display_name} 上线",
        request=request,
        area_id=account.area_id,
    )
    return Issued(account, invitation, token)


def member_invite(*, member_id: int, actor: User, request: HttpRequest | None = None) -> Issued:
    """Invite a Party member: its account is created once (reused afterwards), its households
    are those it contacts. PermissionDenied when the actor may not invite it."""
    member = PartyMember.objects.select_related("resident__area").filter(pk=member_id).first()
    if member is None:
        raise PermissionDenied
    resident = member.resident
    if not access.can_invite_member(actor, resident.area, resident.building_id):
        raise PermissionDenied
    if not resident.is_current:
        raise ValidationError(MSG_MEMBER_GONE)
    with transaction.atomic():
        account = User.objects.select_for_update().filter(party_member=member).first()
        if account is None:
            account = _new_account(
                area_id=resident.area_id, display_name=resident.name, party_member=member
            )
        elif account.role != Role.NETWORK_MEMBER:
            raise ValidationError(MSG_STAFF_ACCOUNT)
        elif not account.is_active:
            raise ValidationError(MSG_ACCOUNT_DISABLED)
        elif account.display_name != resident.name or account.area_id != resident.area_id:
            account.display_name = resident.name
            account.area_id = resident.area_id
            account.save(update_fields=["display_name", "area"])
        return _issue(account=account, actor=actor, request=request)


def volunteer_invite(
    *,
    area_id: int,
    name: str,
    building_ids: Iterable[int],
    actor: User,
    request: HttpRequest | None = None,
) -> Issued:
    """Invite a 楼组长 or volunteer (Party member or not) for some buildings of the area: a new
    account whose households are those of the buildings."""
    if not access.can_invite_volunteers(actor, area_id):
        raise PermissionDenied
    name = " ".join(name.split())
    wanted = {int(pk) for pk in building_ids}
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = MSG_NAME_NEEDED
    elif len(name) > NAME_MAX:
        errors["name"] = f"姓名最多 {NAME_MAX} 个字"
    buildings = list(Building.objects.filter(pk__in=wanted, compound__area_id=area_id))
    if not wanted:
        errors["buildings"] = MSG_BUILDINGS_NEEDED
    elif len(buildings) != len(wanted):
        errors["buildings"] = MSG_BUILDINGS_ELSEWHERE
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        account = _new_account(area_id=area_id, display_name=name, party_member=None)
        account.chain_buildings.set(buildings)
        return _issue(account=account, actor=actor, request=request)


def account_reinvite(*, account_id: int, actor: User, request: HttpRequest | None = None) -> Issued:
    """A new link for an existing network member account (lost link, forgotten password):
    whoever may invite it anew."""
    account = (
        User.objects.select_related("party_member__resident__area")
        .filter(pk=account_id, role=Role.NETWORK_MEMBER)
        .first()
    )
    if account is None or account.area_id is None:
        raise PermissionDenied
    member = account.party_member
    if member is not None:
        resident = member.resident
        allowed = access.can_invite_member(actor, resident.area, resident.building_id)
    else:
        allowed = access.can_invite_volunteers(actor, account.area_id)
    if not allowed:
        raise PermissionDenied
    if not account.is_active:
        raise ValidationError(MSG_ACCOUNT_DISABLED)
    with transaction.atomic():
        return _issue(account=account, actor=actor, request=request)
