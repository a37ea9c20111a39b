"""Login (password, then the code of a second factor when the account has one), the home page
that sends each role to its starting page, the health check, and error pages."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe
from django_otp import login as otp_login

from jinlin.core import selectors
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Role, User
from jinlin.core.second_factor import MSG_WRONG_CODE, check_code, confirmed_device
from jinlin.core.web import AuthedRequest

# The password was right; the second factor is awaited for this long, for this many codes.
PENDING_KEY = "jinlin_pending_login"
PENDING_SECONDS = 300
PENDING_ATTEMPTS = 5
MSG_PENDING_EXPIRED = "验证已超时或错误次数过多，请重新输入密码登录。"


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。",
        "inactive": "该账号已停用。",
    }


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if confirmed_device(user) is None:
            return super().form_valid(form)
        # Not logged in yet: the session only remembers who passed the password, for a while.
        self.request.session[PENDING_KEY] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "attempts": 0,
            "next": self.get_success_url(),
        }
        return redirect("login_verify")


def _pending_user(request: HttpRequest) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, pending
    if pending.get("attempts", 0) >= PENDING_ATTEMPTS:
        return None, pending
    user = selectors.active_user(pending.get("user"))
    return user, pending


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: the 6-digit code of the user's authenticator app."""
    user, pending = _pending_user(request)
    device = confirmed_device(user) if user is not None else None
    if user is None or device is None:
        request.session.pop(PENDING_KEY, None)
        return render(
            request, "core/login.html", {"form": LoginForm(request), "error": MSG_PENDING_EXPIRED}
        )
    error = ""
    if request.method == "POST":
        if check_code(user=user, device=device, code=request.POST.get("code", "")):
            request.session.pop(PENDING_KEY, None)
            user.backend = pending["backend"]
            auth_login(request, user)
            otp_login(request, device)
            target = pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "/"
            return HttpResponseRedirect(target)
        pending["attempts"] = pending.get("attempts", 0) + 1
        request.session[PENDING_KEY] = pending
        audit(
            actor=None,
            actor_name=user.username,
            action=AuditEvent.Action.LOGIN_FAILED,
            reason="动态码错误",
            request=request,
            area_id=user.area_id,
        )
        error = MSG_WRONG_CODE
    return render(request, "core/login_verify.html", {"error": error}, status=400 if error else 200)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.SUBDISTRICT_ADMIN or user.is_superuser:
        return redirect("subdistrict_overview")
    if user.role == Role.EDITOR:
        return render(request, "core/editor_home.html")
    if user.role == Role.NETWORK_MEMBER:
        return redirect("member_home")  # the chain's page: its own households and notices
    if user.role == Role.WORKER:
        return redirect("fieldwork_today")  # a worker's day starts from what is due
    if user.area_id:
        return redirect("area_overview", area_id=user.area_id)
    return render(request, "core/no_scope.html")


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For a load balancer or monitor: 200 when this process can reach the database, else 503.
    No session, no template, nothing about the data (bench/load.py uses it as its baseline)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
