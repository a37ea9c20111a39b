"""The notification centre 通知: any app notifies a user; the bell and /notifications/ read it.

Titles are short Chinese text a user may see on any screen; no ID numbers, phone numbers or
sensitive groups (they may be read over a shoulder). `key` makes a notification once-only per
user: a task that runs again after a crash does not notify twice.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import Notification, User

MSG_NO_NOTIFICATION = "没有找到该通知"
LIST_LIMIT = 100  # the page shows the newest hundred


def notify(*, user: User, kind: str, title: str, link: str = "", key: str = "") -> bool:
    """Adds a notification to the user's centre; False when `key` was already used for this
    user (nothing is added). `link` is a path inside Jinlin."""
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError("a notification links to a path inside Jinlin")
    try:
        with transaction.atomic():
            Notification.objects.create(user=user, kind=kind, title=title[:200], link=link, key=key)
            User.objects.filter(pk=user.pk).update(
                unread_notifications=F("unread_notifications") + 1
            )
    except IntegrityError:
        if not key:
            raise
        return False
    return True


def notification_list(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def access_notification(user: User, notification_id: int) -> Notification:
    """One of the user's own notifications, or 404 (another user's is as absent as none)."""
    try:
        return Notification.objects.get(pk=notification_id, user=user)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_NOTIFICATION) from None


def _recount(user: User) -> None:
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    User.objects.filter(pk=user.pk).update(unread_notifications=unread)
    user.unread_notifications = unread


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise Http404(MSG_NO_NOTIFICATION)
    changed = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if changed:
        _recount(user)


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    changed = Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _recount(user)
    return changed
