"""楼组 activities from a phone: a 楼组长 opens its building's activities from /me/, records a
卫生 activity with a photo, and finds it on the building's record."""

import io

from PIL import Image
from playwright.sync_api import expect

from jinlin.chain.activities.models import ActivityPhoto, BuildingActivity
from jinlin.core.models import Role, User
from tests.browser.conftest import PASSWORD, PHONE, shoot, tap_box

SUMMARY = "楼道大扫除，清理了堆放的纸箱"


def test_a_louzu_records_a_hygiene_activity_with_a_photo(page_as, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    member = User.objects.create_user(
        username="louzu12",
        password=PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=world.area,
        display_name="楼组长老周",
    )
    member.chain_buildings.set([world.building_a])
    photo = tmp_path / "clean-stairs.png"
    out = io.BytesIO()
    Image.new("RGB", (120, 90), (40, 150, 90)).save(out, format="PNG")
    photo.write_bytes(out.getvalue())

    phone = page_as(member, viewport=PHONE)
    phone.goto(f"{phone.base_url}/me/")
    phone.get_by_role("link", name="楼组活动").first.click()
    expect(phone.locator("#activity-none")).to_be_visible()
    new = phone.get_by_role("link", name="记楼组活动")
    assert tap_box(new)["height"] >= 44
    new.click()
    hygiene = phone.get_by_label("卫生")
    hygiene.check()
    assert tap_box(phone.locator("label.me-way").first)["height"] >= 44
    phone.fill("textarea[name=summary]", SUMMARY)
    phone.fill("input[name=resident_count]", "6")
    phone.set_input_files("input[name=photos]", str(photo))
    shoot(phone, "activity-form-phone")
    phone.get_by_role("button", name="保存").click()

    expect(phone.locator("body")).to_contain_text("已记录楼组活动")
    item = phone.locator("article.act-item").first
    expect(item).to_contain_text("卫生")
    expect(item).to_contain_text(SUMMARY)
    expect(item).to_contain_text("居民约 6 人")
    expect(item.locator("img")).to_have_count(1)
    shoot(phone, "activity-record-phone")

    activity = BuildingActivity.objects.get()
    assert (activity.kind, activity.building, activity.recorded_by) == (
        "hygiene",
        world.building_a,
        member,
    )
    assert ActivityPhoto.objects.filter(activity=activity).count() == 1
