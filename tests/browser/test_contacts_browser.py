"""Up the chain: a 楼组长 on its phone logs a visit to a household and passes on what it was
asked; the worker of that patch finds it on 今日 (channel 党员转达); the member then sees what
became of it."""

from playwright.sync_api import expect

from jinlin.chain.models import Contact
from jinlin.core.models import Role, User
from jinlin.fieldwork.concerns.models import Channel, Concern
from tests.browser.conftest import PASSWORD, PHONE, shoot, tap_box

NEED = "老人说楼道灯坏了好几天，晚上下楼不方便"


def test_a_need_passed_up_from_a_phone_reaches_the_workers_today(page_as, world, worker_in):
    member = User.objects.create_user(
        username="louzu12",
        password=PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=world.area,
        display_name="楼组长老周",
    )
    member.chain_buildings.set([world.building_a])

    phone = page_as(member, viewport=PHONE)
    phone.goto(f"{phone.base_url}/me/")
    expect(phone.locator("body")).to_contain_text("尚未联系")
    link = phone.get_by_role("link", name="记一次联系").first
    assert tap_box(link)["height"] >= 44
    link.click()
    phone.get_by_label("当面").check()
    phone.fill("textarea[name=passed_on]", NEED)
    shoot(phone, "member-contact-phone")
    phone.get_by_role("button", name="保存").click()
    expect(phone.locator("body")).to_contain_text("转达的事已交给社工")
    expect(phone.locator("body")).to_contain_text("待社工处理")

    concern = Concern.objects.get()
    assert (concern.channel, concern.words, concern.household) == (
        Channel.PARTY_MEMBER,
        NEED,
        world.household_a,
    )
    assert Contact.objects.get().concern == concern

    desk = page_as(worker_in)
    desk.goto(f"{desk.base_url}/today/")
    expect(desk.locator("body")).to_contain_text(NEED)
