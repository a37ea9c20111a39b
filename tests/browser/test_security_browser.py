"""What a person meets of account security: a lockout, an expired session, the second factor,
the audit log and "who looked at me"."""

from __future__ import annotations

import time

from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from jinlin.core.models import User
from jinlin.people.masking import unmask
from jinlin.people.models import Resident
from tests.browser.conftest import PASSWORD, PHONE, shoot


def current_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + steps_ahead * device.step
    return f"{totp.token():06d}"


def test_repeated_wrong_passwords_lock_the_account(page_as, secretary):
    page = page_as(viewport=PHONE)
    page.goto(f"{page.base_url}/login/")
    for _ in range(5):
        page.fill("input[name=username]", "shuji")
        page.fill("input[name=password]", "not-the-password")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
    expect(page.locator("#login-locked")).to_contain_text("登录失败次数过多")
    shoot(page, "login-locked-phone")
    # Even the right password is refused while the lock lasts.
    page.fill("input[name=username]", "shuji")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#login-locked")).to_be_visible()


def test_idle_session_expires_and_asks_to_log_in_again(page_as, world, worker_in, settings):
    settings.SESSION_COOKIE_AGE = 3  # seconds, instead of JINLIN_SESSION_MINUTES
    page = page_as(worker_in)
    page.goto(f"{page.base_url}/residents/{world.resident.pk}/")
    expect(page.locator("h1")).to_contain_text(world.resident.name)
    time.sleep(4)
    page.reload()
    assert "/login/" in page.url
    expect(page.locator("#login-needed")).to_contain_text("请先登录")
    shoot(page, "session-expired")
    page.fill("input[name=username]", worker_in.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_contain_text(world.resident.name)  # back where it was


def test_worker_enrols_a_second_factor_and_logs_in_with_it(page_as, world, worker_in):
    page = page_as(worker_in)
    page.goto(f"{page.base_url}/account/")
    page.click("text=两步验证设置")
    expect(page.locator(".qr img")).to_be_visible()
    shoot(page, "second-factor-enrol")
    device = TOTPDevice.objects.get(user=worker_in)
    page.fill("input[name=code]", current_code(device))
    page.click("text=启用两步验证")
    expect(page.locator(".messages")).to_contain_text("两步验证已启用")

    other = page_as(viewport=PHONE)
    other.goto(f"{other.base_url}/login/")
    other.fill("input[name=username]", worker_in.username)
    other.fill("input[name=password]", PASSWORD)
    other.click("button[type=submit]")
    expect(other.locator("h1")).to_contain_text("两步验证")
    shoot(other, "login-verify-phone")
    device.refresh_from_db()
    # The enrolment spent this time step's code; the next step's is within the tolerance.
    other.fill("input[name=code]", current_code(device, steps_ahead=1))
    other.click("button[type=submit]")
    expect(other.locator("header")).to_contain_text(str(worker_in))


def test_secretary_searches_the_audit_log_and_sees_who_looked(page_as, demo_small):
    secretary = User.objects.get(username="shuji")
    worker = User.objects.get(username="shegong")
    resident = Resident.objects.filter(compound__in=worker.patch_compounds.all()).first()
    unmask(user=worker, resident=resident, fields=["phone"], reason="电话回访")
    unmask(user=worker, resident=resident, fields=["health"], reason="上门关爱前了解病情")
    unmask(user=secretary, resident=resident, fields=["id_number"], reason="办理高龄津贴")

    page = page_as(secretary)
    page.click("text=审计日志")
    expect(page.locator("h1")).to_contain_text("审计日志")
    page.select_option("select[name=action]", "unmask")
    page.click("button:has-text('查询')")
    expect(page.locator("table.audit tbody tr")).to_have_count(3)
    shoot(page, "audit-log")

    page.locator("table.audit a", has_text=resident.name).first.click()
    expect(page.locator("#who-looked")).to_contain_text("上门关爱前了解病情")
    page.locator("#who-looked").scroll_into_view_if_needed()
    shoot(page, "resident-who-looked")


def test_pages_admin_and_api_docs_raise_no_policy_violation(page_as, world, secretary):
    from tests.factories import UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True, role="")
    page = page_as(root)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in (
        f"/residents/{world.resident.pk}/",
        "/audit/",
        "/account/second-factor/",
        "/admin/",
        f"/admin/core/user/{secretary.pk}/change/",
    ):
        page.goto(f"{page.base_url}{path}")
        page.wait_for_load_state("networkidle")
    page.locator(".datetimeshortcuts a").first.click()  # the admin's own widgets run
    page.goto(f"{page.base_url}/api/v1/docs")
    page.locator(".opblock-summary").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    assert violations == []
