"""Accounts and sessions: lockout, password policy and change, session expiry, cookies, CSRF,
security headers, and the production profile's deploy check."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from jinlin.core.lockout import lockout_message
from jinlin.core.models import AuditEvent
from jinlin.core.passwords import MSG_CONTAINS_USERNAME, MSG_TOO_SHORT
from tests.conftest import PASSWORD

SRC = Path(__file__).resolve().parents[2] / "src" / "jinlin"


def attempt(client: Client, username: str, password: str = "wrong-password-1", ip="10.0.0.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- lockout ---------------------------------------------------------------------------------


def test_account_is_locked_after_five_failures_with_a_chinese_message(secretary, client):
    for _ in range(4):
        response = attempt(client, "shuji")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = attempt(client, "shuji")
    assert response.status_code == 429
    page = response.content.decode()
    assert lockout_message() in page and "15 分钟" in page
    # Locked means locked: the right password is refused too, without being checked.
    response = attempt(client, "shuji", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_account_lock_holds_from_another_address(secretary, client):
    for _ in range(5):
        attempt(client, "shuji", ip="10.0.0.1")
    assert attempt(Client(), "shuji", PASSWORD, ip="10.9.9.9").status_code == 429


def test_lock_ends_after_the_cool_off(secretary, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            attempt(client, "shuji")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = attempt(client, "shuji", PASSWORD)
    assert response.status_code == 302


def test_success_before_the_limit_resets_the_count(secretary, client):
    for _ in range(4):
        attempt(client, "shuji")
    assert attempt(client, "shuji", PASSWORD).status_code == 302
    Client().post("/logout/")
    for _ in range(4):
        assert attempt(Client(), "shuji").status_code == 200


def test_client_is_locked_after_twenty_failures_across_accounts(world, client):
    # An office shares one address: a few typos by several people lock nobody out…
    for n in range(19):
        assert attempt(client, f"someone{n}").status_code == 200
    # …but twenty failures from one address lock that address, whatever the account.
    assert attempt(client, "someone-else").status_code == 429
    assert attempt(Client(), "someone-else", ip="10.0.0.2").status_code == 200


@pytest.fixture
def behind_one_proxy(settings):
    settings.JINLIN = {**settings.JINLIN, "TRUSTED_PROXIES": 1}


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(world, client, behind_one_proxy):
    def through_proxy(username: str, real: str, forged: str = "6.6.6.6"):
        return client.post(
            "/login/",
            {"username": username, "password": "wrong-password-1"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
        )

    for n in range(20):
        through_proxy(f"someone{n}", real="10.0.0.7", forged=f"6.6.6.{n}")
    # The address the client forged changes nothing; the office behind it is locked…
    assert through_proxy("someone-else", real="10.0.0.7").status_code == 429
    # …and the proxy's own address (everybody's REMOTE_ADDR) is not.
    assert through_proxy("someone-else", real="10.0.0.8").status_code == 200
    assert AuditEvent.objects.filter(ip="10.0.0.7").count() == 21 + 1  # failures + lockout


def test_lockout_is_audited_once_and_later_attempts_as_failures(secretary, client):
    for _ in range(7):
        attempt(client, "shuji")
    lockouts = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT)
    assert lockouts.count() == 1
    lockout = lockouts.get()
    assert lockout.actor_name == "shuji" and lockout.ip == "10.0.0.1"
    assert lockout.area_id == secretary.area_id
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED, actor_name="shuji")
    assert failures.count() == 7
    assert failures.filter(reason="账号或本机已锁定").count() == 2


def test_logins_are_audited_without_the_password(secretary, client):
    attempt(client, "shuji", "Secret-typo-123")
    attempt(client, "shuji", PASSWORD)
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    success = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert failed.actor_name == "shuji" and failed.ip == "10.0.0.1"
    assert success.actor == secretary and success.area_id == secretary.area_id
    for event in AuditEvent.objects.all():
        assert "Secret-typo" not in json.dumps([event.reason, event.fields, event.object_id])


# --- password policy and change --------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-1", MSG_TOO_SHORT.format(min_length=10)),
        ("password123", "这个密码太常见了。"),
        ("my-shegong_in-2024", MSG_CONTAINS_USERNAME),
        ("1234509876", "密码只包含数字。"),
    ],
)
def test_password_policy_speaks_chinese(worker_in, as_user, new_password, message):
    response = as_user(worker_in).post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_password_page_lists_the_policy(worker_in, as_user):
    page = as_user(worker_in).get("/account/password/").content.decode()
    assert "密码至少 10 个字符" in page and "不能是一个常见密码" in page
    assert "密码不能包含用户名" in page


def test_wrong_old_password_is_refused(worker_in, as_user):
    response = as_user(worker_in).post(
        "/account/password/",
        {
            "old_password": "not-my-password",
            "new_password1": "Qingshan-lu-88",
            "new_password2": "Qingshan-lu-88",
        },
    )
    assert "旧密码不正确" in response.content.decode()


def test_password_change_ends_other_sessions_and_keeps_this_one(worker_in, as_user):
    here, elsewhere = as_user(worker_in), as_user(worker_in)
    assert elsewhere.get("/account/").status_code == 200
    old_key = here.session.session_key
    response = here.post(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Qingshan-lu-88",
            "new_password2": "Qingshan-lu-88",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert here.session.session_key != old_key
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/account/")["Location"].startswith("/login/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE)
    assert event.actor == worker_in


# --- sessions --------------------------------------------------------------------------------


def test_session_minutes_default_to_thirty(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_the_session_is_written_at_most_once_a_minute_while_in_use(worker_in):
    from django.contrib.sessions.models import Session

    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(worker_in)
        client.get("/account/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        client.get("/account/")  # a read: the row stays as it was
    assert Session.objects.get(session_key=key).expire_date == first
    with time_machine.travel(start + timedelta(seconds=70), tick=False):
        client.get("/account/")
    assert Session.objects.get(session_key=key).expire_date > first


def test_session_ends_after_thirty_idle_minutes_and_activity_extends_it(worker_in):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(worker_in)
        assert client.get("/account/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/account/").status_code == 200  # moves the expiry on
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/account/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/account/")


def test_login_page_explains_why_it_is_asked(db, client):
    page = client.get("/login/?next=/account/").content.decode()
    assert "请先登录" in page and "30 分钟未操作会自动退出" in page


def test_session_and_csrf_cookies_are_http_only_and_same_site(secretary, client):
    client.get("/login/")
    response = attempt(client, "shuji", PASSWORD)
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == 30 * 60
    csrf = client.get("/login/").cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


# --- CSRF ------------------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(secretary):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "shuji", "password": PASSWORD})
    assert response.status_code == 403


def test_page_post_without_csrf_token_is_refused(world, worker_in):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_in)
    response = client.post(
        f"/residents/{world.resident.pk}/unmask/", {"field": "phone", "reason": "核实"}
    )
    assert response.status_code == 403


def test_api_post_with_session_but_without_csrf_token_is_refused(world, worker_in):
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker_in)
    response = client.post("/api/v1/visits", {}, content_type="application/json")
    assert response.status_code == 403


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_no_page_is_exempt_from_csrf():
    """Only the API may skip Django's check: django-ninja checks CSRF itself for the session
    cookie, and bearer tokens are not sent by browsers on their own."""
    exempt = [
        route
        for route, view in _walk(get_resolver().url_patterns)
        if getattr(view, "csrf_exempt", False) and not route.startswith("api/v1/")
    ]
    assert exempt == []


# --- headers ---------------------------------------------------------------------------------


def test_pages_carry_the_security_headers(db, client):
    response = client.get("/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]


def test_personal_pages_are_not_cached(world, worker_in, as_user):
    response = as_user(worker_in).get(f"/residents/{world.resident.pk}/")
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/admin/login/", "/api/v1/docs"])
def test_admin_and_api_docs_run_under_the_same_policy(client, world, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_templates_hold_no_inline_script():
    """The CSP forbids inline script: no <script> without src, no on…= handlers."""
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "application/json" not in tag:
                offenders.append(f"{template.relative_to(SRC)}: {tag}")
        for handler in re.findall(r"<[^>]+\son[a-z]+\s*=", text):
            offenders.append(f"{template.relative_to(SRC)}: {handler[:60]}")
    assert offenders == []


# --- the production profile ------------------------------------------------------------------

PRODUCTION_PROBE = """
import json
from django.conf import settings
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
print(json.dumps({
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_age": settings.SESSION_COOKIE_AGE,
}))
"""


def _run_with(env: dict[str, str], code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    # A deployment's environment: none of ours, nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JINLIN_", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "jinlin.settings",
            "JINLIN_VAR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_profile_passes_the_deploy_check(tmp_path):
    result = _run_with(
        {
            "JINLIN_PROFILE": "production",
            "SECRET_KEY": "k7Qe-" + "x9Lm2pR4vT8wZ1nB6cF3hJ5sD0gK" * 2,
            "ALLOWED_HOSTS": "jinlin.example.cn",
            "JINLIN_SESSION_MINUTES": "20",
        },
        PRODUCTION_PROBE,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "System check identified no issues" in result.stdout + result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "debug": False,
        "session_secure": True,
        "csrf_secure": True,
        "hsts": 365 * 24 * 3600,
        "ssl_redirect": True,
        "session_age": 20 * 60,
    }


def test_production_profile_refuses_the_demo_secret_key(tmp_path):
    result = _run_with({"JINLIN_PROFILE": "production"}, "pass", tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
