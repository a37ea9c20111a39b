"""Writes on accounts that mean something to a user: API tokens issued and revoked (audited)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import ApiToken, AuditEvent, User


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
