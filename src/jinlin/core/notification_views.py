"""The notification centre's pages: the list, one notification opened (marked read, then its
page), all marked read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from jinlin.core import notifications
from jinlin.core.web import AuthedRequest


@require_safe
@login_required
def notification_list(request: AuthedRequest) -> HttpResponse:
    items = list(notifications.notification_list(request.user)[: notifications.LIST_LIMIT])
    return render(request, "core/notifications.html", {"items": items})


@require_safe
@login_required
def notification_open(request: AuthedRequest, notification_id: int) -> HttpResponse:
    item = notifications.access_notification(request.user, notification_id)
    notifications.notification_mark_read(user=request.user, notification=item)
    return redirect(item.link or "notifications")


@require_POST
@login_required
def notification_read_all(request: AuthedRequest) -> HttpResponse:
    changed = notifications.notification_mark_all_read(user=request.user)
    messages.success(request, f"已将 {changed} 条通知标为已读")
    return redirect("notifications")
