"""The optional second factor (TOTP): enrolment with a QR code drawn here, the code step after
the password, the setting that requires it. Codes are computed at frozen times."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jinlin.core.models import AuditEvent
from jinlin.core.second_factor import MSG_REQUIRED, MSG_WRONG_CODE
from jinlin.core.views import MSG_PENDING_EXPIRED
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice, at=None) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


@pytest.fixture
def now():
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        yield traveller


def password_step(client: Client, user, next_url: str = "") -> object:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


# --- enrolment --------------------------------------------------------------------------------


def test_enrolment_page_shows_a_qr_code_drawn_here(worker_in, as_user):
    page = as_user(worker_in).get("/account/second-factor/").content.decode()
    assert 'src="data:image/svg+xml' in page
    device = TOTPDevice.objects.get(user=worker_in)
    assert not device.confirmed
    assert "otpauth" not in page  # the address is inside the image only
    assert 'id="otp-secret"' in page


def test_roles_without_unmasking_have_no_second_factor_page(editor, as_user):
    assert as_user(editor).get("/account/second-factor/").status_code == 404


def test_wrong_first_code_does_not_enrol(worker_in, as_user, now):
    client = as_user(worker_in)
    client.get("/account/second-factor/")
    response = client.post("/account/second-factor/", {"intent": "enrol", "code": "000000"})
    assert response.status_code == 400 and MSG_WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.get(user=worker_in).confirmed


def test_first_code_confirms_the_device_and_is_audited(worker_in, as_user, now):
    client = as_user(worker_in)
    client.get("/account/second-factor/")
    device = TOTPDevice.objects.get(user=worker_in)
    response = client.post("/account/second-factor/", {"intent": "enrol", "code": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECOND_FACTOR)
    assert event.actor == worker_in and event.reason == "启用两步验证"
    assert "已启用" in client.get("/account/").content.decode()


# --- login with a second factor -----------------------------------------------------------------


def test_password_alone_does_not_log_in_an_enrolled_user(worker_in, client, now):
    enrolled(worker_in)
    response = password_step(client, worker_in)
    assert response.status_code == 302 and response["Location"] == "/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/account/").status_code == 302
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN).exists()


def test_right_code_completes_the_login(worker_in, client, now):
    device = enrolled(worker_in)
    password_step(client, worker_in, next_url="/account/")
    response = client.post("/login/verify/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert client.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN, actor=worker_in).exists()


def test_code_from_two_minutes_ago_is_refused_and_audited(worker_in, client, now):
    device = enrolled(worker_in)
    password_step(client, worker_in)
    stale = code_for(device, timezone.now() - timedelta(minutes=2))
    response = client.post("/login/verify/", {"code": stale})
    assert response.status_code == 400
    assert MSG_WRONG_CODE in response.content.decode()
    assert "_auth_user_id" not in client.session
    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.actor_name == worker_in.username and failed.reason == "动态码错误"


def test_a_code_cannot_be_used_twice(worker_in, now):
    device = enrolled(worker_in)
    code = code_for(device)
    first, second = Client(), Client()
    password_step(first, worker_in)
    assert first.post("/login/verify/", {"code": code}).status_code == 302
    password_step(second, worker_in)
    assert second.post("/login/verify/", {"code": code}).status_code == 400


def test_code_step_expires_after_five_minutes(worker_in, client):
    device = enrolled(worker_in)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        password_step(client, worker_in)
    later = start + timedelta(minutes=6)
    with time_machine.travel(later, tick=False):
        response = client.post("/login/verify/", {"code": code_for(device, later)})
    assert MSG_PENDING_EXPIRED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_wrong_codes_send_the_user_back_to_the_password(worker_in, client, now):
    device = enrolled(worker_in)
    password_step(client, worker_in)
    for _ in range(5):
        now.shift(timedelta(seconds=40))  # past django-otp's growing pause after failures
        client.post("/login/verify/", {"code": "000000"})
    now.shift(timedelta(seconds=40))
    response = client.post("/login/verify/", {"code": code_for(device)})
    assert MSG_PENDING_EXPIRED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_verify_page_without_a_password_step_asks_for_the_password(client, world):
    response = client.post("/login/verify/", {"code": "123456"})
    assert MSG_PENDING_EXPIRED in response.content.decode()


# --- turning it off, requiring it ---------------------------------------------------------------


def test_turning_off_needs_a_current_code(worker_in, now):
    device = enrolled(worker_in)
    client = Client()
    password_step(client, worker_in)
    client.post("/login/verify/", {"code": code_for(device)})
    now.shift(timedelta(seconds=60))
    refused = client.post("/account/second-factor/", {"intent": "remove", "code": "000000"})
    assert MSG_WRONG_CODE in refused.content.decode()
    assert TOTPDevice.objects.filter(user=worker_in).exists()
    now.shift(timedelta(seconds=60))
    client.post("/account/second-factor/", {"intent": "remove", "code": code_for(device)})
    assert not TOTPDevice.objects.filter(user=worker_in).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.SECOND_FACTOR, reason="关闭两步验证"
    ).exists()


@pytest.fixture
def required(settings):
    settings.JINLIN = {**settings.JINLIN, "SECOND_FACTOR_REQUIRED": True}


def test_required_second_factor_holds_a_session_at_enrolment(
    world, worker_in, as_user, required, now
):
    client = as_user(worker_in)
    response = client.get(f"/residents/{world.resident.pk}/")
    assert response.status_code == 302 and response["Location"] == "/account/second-factor/"
    assert client.get("/api/v1/residents").status_code == 403
    client.get("/account/second-factor/")
    device = TOTPDevice.objects.get(user=worker_in)
    client.post("/account/second-factor/", {"intent": "enrol", "code": code_for(device)})
    assert client.get(f"/residents/{world.resident.pk}/").status_code == 200


def test_required_second_factor_cannot_be_turned_off(worker_in, required, now):
    device = enrolled(worker_in)
    client = Client()
    password_step(client, worker_in)
    client.post("/login/verify/", {"code": code_for(device)})
    now.shift(timedelta(seconds=60))
    response = client.post(
        "/account/second-factor/", {"intent": "remove", "code": code_for(device)}
    )
    assert MSG_REQUIRED in response.content.decode() or "不能关闭" in response.content.decode()
    assert TOTPDevice.objects.filter(user=worker_in).exists()


def test_session_of_an_enrolled_user_that_skipped_the_code_must_verify(
    worker_in, as_user, required, now
):
    device = enrolled(worker_in)
    client = as_user(worker_in)  # e.g. a session from before the requirement
    assert client.get("/account/")["Location"] == "/account/second-factor/"
    now.shift(timedelta(seconds=31))
    client.post("/account/second-factor/", {"intent": "verify", "code": code_for(device)})
    assert client.get("/account/").status_code == 200


def test_requirement_leaves_other_roles_alone(editor, as_user, required):
    assert as_user(editor).get("/account/").status_code == 200
