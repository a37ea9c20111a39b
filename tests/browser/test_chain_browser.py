"""A secretary invites a Party member; on its phone the member opens the link, sets a password
and sees its households (issue 13)."""

from playwright.sync_api import expect

from jinlin.core.models import User
from jinlin.party.models import HouseholdContact
from tests.browser.conftest import PHONE, shoot, style_of, tap_box


def test_secretary_invites_member_who_signs_in_on_a_phone(page_as, demo_small):
    secretary = User.objects.get(username="shuji")
    contact = (
        HouseholdContact.objects.filter(
            ended_on__isnull=True,
            household__area_id=secretary.area_id,
            member__resident__status="current",
        )
        .select_related("member__resident")
        .first()
    )
    member = contact.member
    households = HouseholdContact.objects.filter(member=member, ended_on__isnull=True).count()

    page = page_as(secretary)
    page.goto(f"{page.base_url}/party/areas/{secretary.area_id}/members/")
    page.locator(f'form[action="/party/members/{member.pk}/invite/"] button').click()
    expect(page.locator("h1")).to_contain_text(f"邀请 {member.resident.name} 上线")
    expect(page.locator("#invite-qr svg")).to_be_visible()
    box = tap_box(page.locator("#invite-qr svg"))
    assert box is not None and box["width"] >= 240  # scannable from a phone
    shoot(page, "member-invitation")
    link = page.locator("#invite-link").input_value()
    assert link.startswith(f"{page.base_url}/invite/")

    phone = page_as(None, viewport=PHONE)
    phone.goto(link)
    expect(phone.locator("h1")).to_contain_text(member.resident.name)
    phone.fill("input[name=new_password1]", "qingshan-lvshui-2026")
    phone.fill("input[name=new_password2]", "qingshan-lvshui-2026")
    phone.get_by_role("button", name="设置密码并进入").click()
    expect(phone.locator("h1")).to_contain_text(f"{member.resident.name}，您好")
    assert phone.url == f"{page.base_url}/me/"
    expect(phone.locator(".me-household")).to_have_count(households)
    expect(phone.locator(".member-nav")).to_contain_text("我的联系户")
    expect(phone.locator(".member-nav")).not_to_contain_text("党建")
    size = float(style_of(phone.locator(".me-residents li").first, "fontSize").rstrip("px"))
    assert size >= 18
    tap = tap_box(phone.locator("#me-notices"))
    assert tap is not None and tap["height"] >= 44
    shoot(phone, "member-home-phone")

    phone.goto(link)  # the link is spent
    expect(phone.locator("#invite-invalid")).to_be_visible()
