"""The area secretary opens the Party network, proposes, sees the diff and applies it; a group
leader sees its group on a phone; the placard opens as a PDF."""

from playwright.sync_api import expect

from jinlin.core.models import AuditEvent, User
from jinlin.party.models import Reorganisation
from tests.browser.conftest import PHONE, shoot


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def test_secretary_proposes_sees_the_diff_and_applies(page_as, demo_small):
    page = page_as(demo_user("shuji"))
    page.get_by_role("link", name="党建").click()
    expect(page.locator("h1")).to_contain_text("三级联络管理网")
    # The demo leaves gaps on purpose: a branch with no contact, a group with no leader, and
    # the households of a member who moved out.
    expect(page.locator(".tile.pn-bad")).to_be_visible()
    expect(page.locator(".pn-group.has-gap").first).to_be_visible()
    shoot(page, "party-network")

    page.locator(".pn-nav").get_by_role("link", name="覆盖情况").click()
    expect(page.locator("#gaps-household_no_contact td.gap").first).to_contain_text("已迁出")
    shoot(page, "party-coverage")

    page.locator(".pn-nav").get_by_role("link", name="调整方案").click()
    expect(page.locator("h1")).to_contain_text("调整方案")
    expect(page.locator(".pn-change.dissolve").first).to_be_visible()
    expect(page.locator("#apply-proposal button")).to_be_visible()
    shoot(page, "party-proposal")

    before = Reorganisation.objects.count()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#apply-proposal button").click()
    expect(page.locator(".messages")).to_contain_text("已按方案调整党组织")
    assert Reorganisation.objects.count() == before + 1
    event = AuditEvent.objects.filter(action=AuditEvent.Action.REORGANISE).first()
    assert event.actor.username == "shuji"
    shoot(page, "party-network-applied")

    page.locator(".pn-nav").get_by_role("link", name="调整方案").click()
    expect(page.locator(".notice")).to_contain_text("无需调整")


def test_group_page_on_a_phone_and_its_placard(page_as, demo_small):
    leader = demo_user("xiaozu")
    page = page_as(leader, viewport=PHONE)
    page.get_by_role("link", name="党建").click()
    expect(page.locator("h1")).to_contain_text(leader.party_organisation.name)
    expect(page.locator("text=住户与联系党员")).to_be_visible()
    shoot(page, "party-group-phone")

    link = page.locator("a", has_text="亮身份公示牌").first
    response = page.request.get(page.base_url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
