"""Reminders in the browser: the digest on the bell, opened and read; the secretary's WeCom robot
refused with a Chinese message when the address is not WeCom's."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone
from playwright.sync_api import expect

from jinlin.reminders.services import reminders_run
from tests.browser.conftest import PHONE, shoot


def test_a_worker_opens_the_digest_from_the_bell(page_as, world, worker_in):
    morning = timezone.make_aware(datetime.combine(timezone.localdate(), time(9, 0)))
    reminders_run(now=morning)  # 张建国, 独居老人, has never been visited: overdue
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/account/")
    header = page.locator("header")
    header.get_by_role("link", name="通知（1 条未读）").click()
    expect(page.get_by_role("heading", name="通知")).to_be_visible()
    digest = page.get_by_role("link", name="每日提醒")
    expect(digest).to_contain_text("待走访 1 户（其中逾期 1 户）")
    shoot(page, "notifications-phone", full_page=False)
    digest.click()
    expect(page).to_have_url(f"{page.base_url}/today/")
    expect(header.get_by_role("link", name="通知（0 条未读）")).to_be_visible()


def test_the_secretary_is_told_what_a_wecom_address_looks_like(page_as, world, secretary):
    page = page_as(secretary, viewport=PHONE)
    page.goto(f"{page.base_url}/reminders/settings/")
    page.get_by_label("企业微信群机器人地址").fill("https://example.com/hook")
    page.get_by_role("button", name="保存").nth(1).click()
    expect(page.get_by_role("alert")).to_contain_text("qyapi.weixin.qq.com")
    shoot(page, "reminder-settings-phone")
