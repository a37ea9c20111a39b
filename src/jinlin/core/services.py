"""Writes on accounts that mean something to a user: a password changed, API tokens issued and
revoked (audited)."""

from __future__ import annotations

from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import ApiToken, AuditEvent, Invitation, User


def token_issue(
    *, user: User, actor: User | None, name: str = "", request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new personal token for `user`; the token itself is returned once and stored hashed."""
    with transaction.atomic():
        row, token = ApiToken.issue(user=user, name=name)
        audit(
            actor=actor,
            actor_name="" if actor is not None else "jinlin token",
            action=AuditEvent.Action.TOKEN,
            object_type="token",
            object_id=row.prefix,
            reason=f"签发给 {user.username}" + (f"（{name}）" if name else ""),
            request=request,
            area_id=user.area_id,
        )
    return row, token


def token_revoke(
    *, token: ApiToken, actor: User | None, request: HttpRequest | None = None
) -> bool:
    """Revoke one token; False when it was revoked already."""
    with transaction.atomic():
        count = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if count:
            audit(
                actor=actor,
                actor_name="" if actor is not None else "jinlin token",
                action=AuditEvent.Action.TOKEN,
                object_type="token",
                object_id=token.prefix,
                reason=f"撤销 {token.user.username} 的令牌",
                request=request,
                area_id=token.user.area_id,
            )
    return bool(count)


def password_change(*, form: PasswordChangeForm, user: User, request: HttpRequest) -> None:
    """Save the new password of a valid form; this session goes on under a fresh key while
    every other session of the account ends (Django checks a hash of the password)."""
    with transaction.atomic():
        form.save()
        audit(
            actor=user,
            action=AuditEvent.Action.PASSWORD_CHANGE,
            object_type="user",
            object_id=user.pk,
            request=request,
            area_id=user.area_id,
        )
    update_session_auth_hash(request, form.user)


MSG_INVITATION_SPENT = "这个邀请链接已经用过或已失效，请联系居委会重新邀请"


def invitation_spend(
    *, invitation: Invitation, form: SetPasswordForm, request: HttpRequest | None
) -> User:
    """Spend an invitation: the account's password is the form's and the link is used. A link
    spent meanwhile (two taps) changes nothing: ValidationError(MSG_INVITATION_SPENT)."""
    with transaction.atomic():
        row = Invitation.objects.select_for_update().select_related("user").get(pk=invitation.pk)
        if not row.is_usable or not row.user.is_active:
            raise ValidationError(MSG_INVITATION_SPENT)
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        user = form.save()
        audit(
            actor=user,
            action=AuditEvent.Action.INVITE,
            object_type="user",
            object_id=user.pk,
            reason="接受邀请，设置密码",
            request=request,
            area_id=user.area_id,
        )
    return user


def invitation_accept(
    *, invitation: Invitation, form: SetPasswordForm, request: HttpRequest
) -> User:
    """Spend an invitation on the page: the browser that opened it is signed in."""
    user = invitation_spend(invitation=invitation, form=form, request=request)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return user


def invitation_accept_for_app(
    *, invitation: Invitation, form: SetPasswordForm, device: str, request: HttpRequest
) -> tuple[User, str]:
    """Spend an invitation from a phone app through the API: the app gets a personal API token
    (returned once, stored hashed) instead of a session; the password is set all the same."""
    with transaction.atomic():
        user = invitation_spend(invitation=invitation, form=form, request=request)
        _row, token = token_issue(user=user, actor=user, name=device, request=request)
    return user, token
