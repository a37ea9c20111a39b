"""转交 on a desktop: the area secretary hands a leaving worker's open cases, concerns and
patch to another worker, sees the summary, and the new worker finds them on 今日."""

from __future__ import annotations

from playwright.sync_api import expect

from jinlin.core.models import Role
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.models import Case
from tests.browser.conftest import DESKTOP, shoot, tap_box
from tests.factories import UserFactory

TITLES = ["12号楼独居老人夜间跌倒", "九村门口电瓶车飞线充电", "3号楼楼道堆物"]


def test_secretary_hands_a_leaving_workers_work_to_another(page_as, world, secretary, worker_in):
    worker_in.display_name = "陆佳怡"
    worker_in.save(update_fields=["display_name"])
    wang = UserFactory(username="wangmin", display_name="王敏", role=Role.WORKER, area=world.area)
    concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words="我一个人住，晚上摔了一跤没人知道。",
            real_need="独居老人需要紧急呼叫手段",
            resident_id=world.resident.pk,
        ),
    )
    for title in TITLES:
        case_services.case_open(
            actor=worker_in,
            data=case_services.CaseInput(
                title=title,
                scope="community",
                subcategory="safety",
                compound_id=world.compound_a.pk,
            ),
        )

    page = page_as(secretary, viewport=DESKTOP)
    page.goto(f"{page.base_url}/areas/{world.area.pk}/fieldwork/")
    page.get_by_role("link", name="转交工作").click()
    page.get_by_label("交出工作的社工").select_option(label="陆佳怡")
    page.get_by_role("button", name="查看名下工作").click()
    expect(page.locator("#count-cases")).to_have_text("3")
    expect(page.locator("#count-concerns")).to_have_text("1")
    expect(page.locator("#patch")).to_contain_text("绿园八村（整个小区）")

    # No reason: refused on the form, nothing moves.
    page.get_by_label("接手人").select_option(label="王敏")
    page.get_by_role("button", name="确认转交").click()
    expect(page.locator("#confirm [role=alert]")).to_contain_text("请写明转交的原因")
    assert not Case.objects.filter(owner=wang).exists()

    page.goto(f"{page.base_url}/areas/{world.area.pk}/handover/?from={worker_in.pk}")
    page.get_by_label("接手人").select_option(label="王敏")
    page.get_by_label("转交原因").fill("陆佳怡调离，工作交王敏接手")
    # Every control of the form is a comfortable target for an older secretary.
    controls = "#confirm select, #confirm textarea, #confirm button, #confirm input[type=checkbox]"
    for control in page.locator(controls).all():
        box = tap_box(control)
        assert box is not None and box["height"] >= 24
    shoot(page, "handover-confirm")
    page.get_by_role("button", name="确认转交").click()

    expect(page.locator("h1")).to_have_text("转交完成")
    expect(page.locator("#moved-cases")).to_have_text("3")
    expect(page.locator("#moved-concerns")).to_have_text("1")
    expect(page.locator("#summary")).to_contain_text("包片：绿园八村")
    shoot(page, "handover-summary")
    assert Case.objects.filter(owner=wang).count() == 3

    # The new owner, at once, on its 今日.
    page = page_as(wang, viewport=DESKTOP)
    page.goto(f"{page.base_url}/today/")
    handed = page.locator("#handed-to-me")
    for title in TITLES:
        expect(handed).to_contain_text(title)
    expect(handed).to_contain_text("陆佳怡 转来")
    shoot(page, "handover-today", full_page=False)
    handed.get_by_role("link", name=TITLES[0]).click()
    expect(page.locator("#timeline")).to_contain_text("负责人 陆佳怡 → 王敏")
