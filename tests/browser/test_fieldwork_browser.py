"""A worker's day on a phone: the due list, recording a visit, a concern becoming a case whose
plan waits for a diagnosis; the secretary's dashboard with its charts."""

from __future__ import annotations

from playwright.sync_api import expect

from jinlin.core.models import User
from jinlin.fieldwork.models import Case, Visit
from tests.browser.conftest import DESKTOP, PHONE, shoot, tap_box


def test_worker_records_a_visit_and_it_leaves_the_due_list(page_as, world, worker_in):
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/today/")
    folded = page.locator("#due-folded summary")  # never visited: maybe more than a month due
    if folded.count():
        folded.click()
    item = page.locator(f"#due-visits [data-household='{world.household_a.pk}']")
    expect(item).to_contain_text("绿园八村12号楼301室")
    expect(item).to_contain_text("独居老人 · 每7天")
    expect(item).to_contain_text("从未走访")
    shoot(page, "fieldwork-today-phone", full_page=False)
    # The header and the tabs on a phone: every target 44 px, every tab on screen, no label
    # broken a character a line.
    for target in page.locator("header nav.user a, header nav.user button, nav.fw-nav a").all():
        box = tap_box(target)
        assert box is not None and box["height"] >= 44, target.inner_text()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], target.inner_text()
        assert box["height"] < 60, target.inner_text()  # one line

    item.get_by_role("link", name="记录走访").click()
    expect(page.locator("h1")).to_have_text("记录走访")
    page.get_by_label("电话").check()
    page.locator("select[name=condition]").select_option("fair")
    page.locator("textarea[name=needs]").fill("想装一个紧急呼叫器")
    shoot(page, "fieldwork-visit-form-phone")
    page.get_by_role("button", name="保存走访").click()

    expect(page.locator(".messages")).to_contain_text("已记录")
    expect(page.locator(f"#due-visits [data-household='{world.household_a.pk}']")).to_have_count(0)
    expect(page.locator("#due-visits")).to_contain_text("今天没有到期的走访")
    assert Visit.objects.get().mode == "phone"
    shoot(page, "fieldwork-today-after-visit", full_page=False)


def test_concern_becomes_a_case_and_the_plan_waits_for_the_root_cause(page_as, world, worker_in):
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/concerns/new/")
    page.get_by_label("查找居民").fill("张建国")
    page.get_by_role("button", name="查找居民").click()
    page.get_by_role("link", name="张建国").click()
    expect(page.locator(".card").first).to_contain_text("居民：张建国")
    page.locator("select[name=channel]").select_option("office")
    page.get_by_label("家庭事").check()
    page.locator("select[name=subcategory]").select_option("elderly_care")
    page.locator("textarea[name=words]").fill("我一个人住，上礼拜晚上摔了一跤，爬了半天才起来。")
    page.locator("textarea[name=real_need]").fill("独居老人夜间需要紧急呼叫手段")
    page.get_by_role("button", name="登记").click()
    expect(page.locator("h1")).to_contain_text("家庭事")

    page.get_by_role("link", name="立案").click()
    expect(page.locator("input[name=title]")).to_have_value("独居老人夜间需要紧急呼叫手段")
    page.get_by_role("button", name="立案").click()
    expect(page.locator("#case-status")).to_have_text("待诊断")

    plan = page.locator("#plan-form")
    plan.locator("input[name=plan-description]").fill("联系子女并安装一键呼叫器")
    plan.locator("input[name=plan-due_on]").fill(_in_days(7))
    plan.get_by_role("button", name="加入方案").click()
    expect(page.locator("#plan-form [role=alert]")).to_contain_text("请先写明症结，再制定方案")
    expect(page.locator("#case-status")).to_have_text("待诊断")
    # The refusal is where the eye is: on screen after the reload, without scrolling to it.
    alert = page.locator("#plan-form [role=alert]").first
    box = tap_box(alert)
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    shoot(page, "fieldwork-plan-refused-phone", full_page=False)
    assert not Case.objects.get().actions.exists()

    page.locator("textarea[name=root-root_cause]").fill("子女在外地，老人独居，夜间出事没有人知道")
    page.get_by_role("button", name="写明症结").click()
    expect(page.locator("#case-status")).to_have_text("待定方案")
    plan = page.locator("#plan-form")
    plan.locator("input[name=plan-description]").fill("联系子女并安装一键呼叫器")
    plan.locator("input[name=plan-due_on]").fill(_in_days(7))
    plan.get_by_role("button", name="加入方案").click()
    expect(page.locator("#case-status")).to_have_text("落实中")
    expect(page.locator("#timeline")).to_contain_text("写明症结")
    shoot(page, "fieldwork-case-phone")


def test_secretary_sees_the_area_dashboard_with_charts(page_as, demo_small):
    from jinlin.demo.fieldwork import generate_fieldwork

    secretary = User.objects.get(username="shuji")
    generate_fieldwork(areas=[secretary.area], days=120, seed=7)
    page = page_as(secretary, viewport=DESKTOP)
    page.goto(f"{page.base_url}/areas/{secretary.area_id}/fieldwork/")
    expect(page.locator("h1")).to_contain_text("工作台")
    for name in ("cases", "visits", "findings", "garbage"):
        expect(page.locator(f"[data-chart={name}] canvas")).to_have_count(1)
    shoot(page, "fieldwork-dashboard")

    # The subdistrict sees every area's work in counts, overdue visits in red.
    from jinlin.places.models import Area

    generate_fieldwork(areas=list(Area.objects.exclude(pk=secretary.area_id)), days=60, seed=8)
    page = page_as(User.objects.get(username="jiedao"), viewport=DESKTOP)
    page.goto(f"{page.base_url}/subdistrict/")
    expect(page.locator("table.subdistrict-work tbody tr")).to_have_count(3)
    expect(page.locator("table.subdistrict-work tfoot")).to_contain_text("合计")
    shoot(page, "subdistrict")


def _in_days(days: int) -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_looking_up_a_resident_keeps_what_was_typed(page_as, world, worker_in):
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/concerns/new/")
    page.fill("textarea[name=words]", "楼上漏水，墙面发霉")
    page.locator("select[name=subcategory]").select_option("property")
    page.get_by_role("searchbox", name="查找居民").fill(world.resident.name)
    page.get_by_role("button", name="查找居民").click()
    page.get_by_role("link", name=world.resident.name).click()
    expect(page.locator("body")).to_contain_text(f"居民：{world.resident.name}")
    expect(page.locator("textarea[name=words]")).to_have_value("楼上漏水，墙面发霉")
    expect(page.locator("select[name=subcategory]")).to_have_value("property")
    assert "csrfmiddlewaretoken" not in page.url
