"""紧急联系人 on a phone (issue 12): a worker adds a living-alone elder's daughter on the
resident's page and finds her first, one tap to call, on the page that records a visit."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, shoot, tap_box


def test_a_worker_adds_an_emergency_contact_and_sees_it_first_when_visiting(
    page_as, world, worker_in
):
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/residents/{world.resident.pk}/")
    page.get_by_role("link", name="添加紧急联系人").click()
    page.get_by_label("姓名").fill("张丽")
    page.get_by_label("关系").select_option(label="子女")
    page.get_by_label("联系电话").fill("1391234")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("电话号码应为11位手机号")
    page.get_by_label("联系电话").fill("139 1234 5678")
    page.get_by_label("持有钥匙").check()
    page.get_by_label("备注").fill("住同小区5号楼")
    page.get_by_role("button", name="保存").click()
    contacts = page.locator("#emergency-contacts")
    expect(contacts).to_contain_text("张丽")
    expect(contacts).to_contain_text("139****5678")
    expect(contacts).to_contain_text("持有钥匙")
    expect(page.locator("#resident-story")).to_contain_text(
        "添加紧急联系人：张丽（子女，持有钥匙）"
    )
    shoot(page, "emergency-contacts-resident-phone")

    page.get_by_role("link", name="记录走访").first.click()
    first_card = page.locator("main section.card, .page section.card").first
    expect(first_card).to_contain_text("紧急联系人")
    expect(first_card).to_contain_text("张丽")
    call = page.get_by_role("link", name="拨打张丽的电话 13912345678")
    expect(call).to_have_attribute("href", "tel:13912345678")
    box = tap_box(call)
    assert box is not None and box["height"] >= 24
    shoot(page, "emergency-contact-visit-phone")
