"""Notices down the chain: the secretary posts a notice to a building, a 楼组长 on its phone
taps 当面 for a household, and the notice's reach shows it told."""

from playwright.sync_api import expect

from jinlin.chain.models import Reach
from jinlin.core.models import Role, User
from tests.browser.conftest import PASSWORD, PHONE, shoot, tap_box


def test_post_a_notice_mark_it_on_a_phone_and_see_the_reach(page_as, world, secretary):
    member = User.objects.create_user(
        username="louzu12", password=PASSWORD, role=Role.NETWORK_MEMBER, area=world.area
    )
    member.chain_buildings.set([world.building_a])

    page = page_as(secretary)
    page.goto(f"{page.base_url}/areas/{world.area.pk}/notices/")
    page.fill("input[name=title]", "明日停水通知")
    page.fill("textarea[name=body]", "明天 9:00 至 17:00 停水，请提前储水。")
    page.locator(f"input[name=buildings][value='{world.building_a.pk}']").check()
    page.get_by_role("button", name="发布").click()
    expect(page.locator("h1")).to_contain_text("明日停水通知")
    expect(page.locator(".ch-total")).to_contain_text("0 / 1 户已传达")
    notice_url = page.url

    phone = page_as(viewport=PHONE)
    phone.goto(f"{phone.base_url}/login/?next=/me/notices/")
    phone.fill("input[name=username]", member.username)
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button[type=submit]")
    expect(phone.locator("h1")).to_contain_text("我的通知")
    row = phone.locator(".ch-household").first
    expect(row).to_contain_text("绿园八村12号楼301室")
    button = row.get_by_role("button", name="当面")
    assert tap_box(button)["height"] >= 44
    button.click()
    expect(phone.locator(".ch-household").first.locator(".ch-how")).to_contain_text("当面")
    assert Reach.objects.get().how == "in_person"
    shoot(phone, "member-notices-phone")

    page.goto(notice_url)
    expect(page.locator(".ch-total")).to_contain_text("1 / 1 户已传达")
    shoot(page, "notice-reach")
