"""A secretary walks the registry; a worker is refused a resident outside its patch."""

from playwright.sync_api import expect

from jinlin.core.models import User
from tests.browser.conftest import PHONE, shoot


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def test_secretary_walks_area_compound_building_resident(page_as, demo_small):
    page = page_as(demo_user("shuji"))
    expect(page.locator("h1")).to_contain_text("居民区")
    expect(page.locator(".demo-banner")).to_be_visible()
    shoot(page, "area-overview")

    page.locator("table a[href^='/compounds/']").first.click()
    expect(page.locator(".grid .tile").first).to_be_visible()
    shoot(page, "compound")

    page.locator(".grid a.tile").first.click()
    expect(page.locator(".household").first).to_be_visible()
    shoot(page, "building")

    page.locator(".household a[href^='/residents/']").first.click()
    expect(page.locator("#field-id_number .masked")).to_contain_text("********")
    page.locator("#field-phone input[name=reason]").fill("电话回访")
    page.locator("#field-phone button").click()
    expect(page.locator("#field-phone")).to_contain_text("本次查看已记录")
    shoot(page, "resident")


def test_secretary_finds_residents_by_group(page_as, demo_small):
    page = page_as(demo_user("shuji"))
    page.locator("th a", has_text="独居老人").click()
    expect(page.locator("h1")).to_contain_text("独居老人")
    assert page.locator("tbody tr").count() > 3
    shoot(page, "group-living-alone")


def test_worker_is_refused_a_resident_outside_its_patch(page_as, demo_small):
    from jinlin.people.models import Resident

    worker = demo_user("shegong")
    outside = (
        Resident.objects.exclude(compound__in=worker.patch_compounds.all())
        .filter(area=worker.area)
        .first()
    )
    inside = Resident.objects.filter(compound__in=worker.patch_compounds.all()).first()
    page = page_as(worker, viewport=PHONE)
    page.goto(f"{page.base_url}/residents/{inside.pk}/")
    expect(page.locator("h1")).to_contain_text(inside.name)
    shoot(page, "resident-phone")
    response = page.goto(f"{page.base_url}/residents/{outside.pk}/")
    assert response.status == 404
    expect(page.locator("h1")).to_contain_text("没有找到")


def test_login_page_renders_in_chinese(page_as, demo_small):
    page = page_as(None)
    page.goto(f"{page.base_url}/login/")
    expect(page.locator("h1")).to_have_text("登录近邻")
    page.fill("input[name=username]", "shuji")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_contain_text("用户名或密码不正确")
    shoot(page, "login")


def test_secretary_corrects_building_adjacency_and_regenerates_it_from_numbers(page_as, demo_small):
    page = page_as(demo_user("shuji"))
    page.locator("table a[href^='/compounds/']").first.click()
    page.get_by_role("link", name="楼组相邻关系").click()
    expect(page.locator("h1")).to_contain_text("楼组相邻关系")
    pairs_before = page.locator(".adj-chip").count()
    page.locator(".adj-chip button").first.click()
    expect(page.locator(".messages")).to_contain_text("已取消")
    assert page.locator(".adj-chip").count() == pairs_before - 2  # shown under both buildings

    page.fill("input[name=row_length]", "4")
    page.get_by_role("button", name="查看方案").click()
    expect(page.locator(".adj-layout .adj-row").first).to_be_visible()
    expect(page.locator(".adj-layout .adj-row").first.locator(".adj-cell")).to_have_count(4)
    expect(page.locator(".adj-added").first).to_be_visible()
    shoot(page, "compound-adjacency")
    page.get_by_role("button", name="确认采用该方案").click()
    expect(page.locator(".messages")).to_contain_text("已按楼号生成相邻关系")
    expect(page.get_by_text("无相邻楼组")).to_have_count(0)

    page.get_by_role("link", name="小区相邻关系").click()
    expect(page.locator("h1")).to_contain_text("小区相邻关系")
    expect(page.locator(".adj-chip").first).to_be_visible()  # the demo's compounds side by side
    shoot(page, "area-adjacency")
