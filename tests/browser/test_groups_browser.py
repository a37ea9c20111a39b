"""群体类别 in the browser (issue 12): the area secretary adds 低保 on a phone, is told in
Chinese what is wrong, then a worker puts a resident in it from the resident's page and finds
it hidden there like 困难家庭. axe-core checks the new pages."""

from __future__ import annotations

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, shoot

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def _axe_serious(page) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        f"{v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


def test_the_secretary_adds_a_group_and_a_worker_assigns_it(page_as, world, secretary, worker_in):
    page = page_as(secretary, viewport=PHONE)
    page.goto(f"{page.base_url}/areas/{world.area.pk}/")
    page.get_by_role("link", name="群体类别").click()
    assert _axe_serious(page) == []
    page.get_by_role("link", name="添加群体").click()
    page.get_by_label("群体名称").fill("低保")
    page.get_by_label("类别").select_option(label="弱势群体")
    page.get_by_label("敏感群体").check()
    page.get_by_label("关爱走访周期（天）").fill("400")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("走访周期须为 1–365 天")
    assert _axe_serious(page) == []
    page.get_by_label("关爱走访周期（天）").fill("30")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已添加群体“低保”")).to_be_visible()
    expect(page.locator("table")).to_contain_text("每30天")
    shoot(page, "area-groups-phone")

    worker = page_as(worker_in, viewport=PHONE)
    worker.goto(f"{worker.base_url}/residents/{world.resident.pk}/")
    worker.get_by_role("link", name="认定群体").click()
    worker.get_by_label("群体").select_option(label="低保")
    worker.get_by_label("认定理由").fill("民政低保证")
    worker.get_by_role("button", name="认定").click()
    expect(worker.get_by_text("已认定。")).to_be_visible()
    expect(worker.locator(".tags").first).not_to_contain_text("低保")
    expect(worker.locator("#field-sensitive_groups")).to_contain_text("已隐藏")
