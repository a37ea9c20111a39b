"""Reads of accounts for their pages: recent sign-ins, the account a half-done login is for."""

from __future__ import annotations

from django.db.models import QuerySet

from jinlin.core.models import AuditEvent, Invitation, User

SIGN_IN_ACTIONS = (
    AuditEvent.Action.LOGIN,
    AuditEvent.Action.LOGIN_FAILED,
    AuditEvent.Action.LOCKOUT,
    AuditEvent.Action.PASSWORD_CHANGE,
    AuditEvent.Action.SECOND_FACTOR,
)


def recent_sign_ins(user: User, limit: int = 10) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor_name=user.username, action__in=SIGN_IN_ACTIONS)[:limit]


def active_user(user_id: int | None) -> User | None:
    if not user_id:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link carries (used or not, expired or not); None for an unknown one."""
    return (
        Invitation.objects.select_related("user").filter(token_hash=Invitation.hash(token)).first()
    )
