"""Login lockout on top of django-axes: one limit per account, a higher one per client address.

Axes compares the largest failure count over its lockout parameters with a single limit. A
residents' committee office reaches us through one address, so the address gets a limit of its
own: its failures are scaled so that it reaches the account limit only at the client limit.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MSG_LOCKED = (
    "登录失败次数过多，该账号或本机已被暂时锁定。请 {minutes} 分钟后再试；"
    "如忘记密码，请联系居民区书记或系统管理员。"
)


def lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return MSG_LOCKED.format(minutes=lockout_minutes())


class LockoutHandler(AxesDatabaseHandler):
    """AXES_LOCKOUT_PARAMETERS is ["username", "ip_address"], in this order."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_client = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        account_limit = settings.AXES_FAILURE_LIMIT
        client_limit = max(settings.JINLIN["LOGIN_CLIENT_FAILURE_LIMIT"], account_limit)
        return max(by_account, by_client * account_limit // client_limit)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again, with the lockout message instead of the usual error (HTTP 429)."""
    from jinlin.core.views import LoginForm

    username = str((credentials or {}).get("username", ""))[:150]
    return render(
        request,
        "core/login.html",
        {
            "form": LoginForm(request, initial={"username": username}),
            "locked_message": lockout_message(),
            "next": request.POST.get("next", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
