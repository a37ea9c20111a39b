"""The optional second factor (TOTP, django-otp) for the roles that may unmask or export.

SPEC "Privacy" and issue 7: a password alone should not open health, hardship and ID numbers.
Enrolment shows a QR code drawn here (segno), never by an outside service.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from jinlin.core.audit import audit, update_audited
from jinlin.core.models import AuditEvent, Role, User

# The roles that can unmask or export (core.access.UNMASK_POLICY gives them the sensitive fields).
SECOND_FACTOR_ROLES = frozenset({Role.AREA_SECRETARY, Role.WORKER, Role.SUBDISTRICT_ADMIN})

MSG_WRONG_CODE = "动态码不正确或已过期，请看验证器上最新的 6 位数字再试。"
MSG_NOT_ENROLLED = "该账号尚未启用两步验证。"
MSG_REQUIRED = "本系统要求启用两步验证，不能关闭。"


def may_use_second_factor(user: User) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.role in SECOND_FACTOR_ROLES


def is_second_factor_required(user: User) -> bool:
    return bool(settings.JINLIN["SECOND_FACTOR_REQUIRED"]) and may_use_second_factor(user)


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def is_session_verified(user: User) -> bool:
    """True when this request's session passed a code (OTPMiddleware sets `is_verified`)."""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def owes_second_factor(user: User) -> bool:
    """A logged-in user whose role must use a second factor, in a session that has not."""
    if not user.is_authenticated:
        return False
    return is_second_factor_required(user) and not is_session_verified(user)


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user; its secret stays until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)
    return device


def qr_data_uri(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code in a data: URI (allowed by img-src)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def secret_for_typing(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for apps without a camera."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def check_code(*, user: User, device: TOTPDevice, code: str) -> bool:
    """One attempt; django-otp throttles repeated failures and refuses a code used before."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != device.digits:
        return False
    with transaction.atomic():
        return verify_token(user, device.persistent_id, code) is not None


def second_factor_confirm(
    *, user: User, code: str, request: HttpRequest | None = None
) -> TOTPDevice | None:
    """Confirm the device being enrolled with its first code; the session counts as verified."""
    device = enrolment_device(user)
    if not check_code(user=user, device=device, code=code):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.refresh_from_db()
        update_audited(
            device,
            {"confirmed": True},
            actor=user,
            action=AuditEvent.Action.SECOND_FACTOR,
            object_type="user",
            object_id=user.pk,
            reason="启用两步验证",
            request=request,
            area_id=user.area_id,
        )
    if request is not None:
        otp_login(request, device)
    return device


def second_factor_remove(*, user: User, code: str, request: HttpRequest | None = None) -> str:
    """Turn the second factor off with a current code; returns "" or the reason it was refused."""
    if is_second_factor_required(user):
        return MSG_REQUIRED
    device = confirmed_device(user)
    if device is None:
        return MSG_NOT_ENROLLED
    if not check_code(user=user, device=device, code=code):
        return MSG_WRONG_CODE
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit(
            actor=user,
            action=AuditEvent.Action.SECOND_FACTOR,
            object_type="user",
            object_id=user.pk,
            reason="关闭两步验证",
            request=request,
            area_id=user.area_id,
        )
    return ""
