"""Issue 13's whole scenario on one phone, for one member: invited by the secretary, it opens the
link on its phone, sees its household, marks a notice told, passes up a need that the patch
worker then has on 今日, claims a 双报到 need and completes it, and records a 楼组 activity."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from jinlin.chain.models import ClaimStatus, NeedClaim, Reach
from jinlin.chain.needs import services as need_services
from jinlin.chain.notice_services import notice_publish
from tests.browser.conftest import PHONE, shoot

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_PASSWORD = "qingshan-lvshui-2026"
PASSED_ON = "吴阿婆说楼道灯坏了一周，晚上不敢下楼"


def test_a_members_day_on_its_phone(page_as, organised, secretary, worker_in):
    area = organised.world.area
    member = organised.member("陈志强")  # the contact of 绿园八村13号楼101室
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI), tick=True):
        # Invited from the member list, on the secretary's desk.
        desk = page_as(secretary)
        desk.goto(f"{desk.base_url}/party/areas/{area.pk}/members/")
        desk.locator(f'form[action="/party/members/{member.pk}/invite/"] button').click()
        link = desk.locator("#invite-link").input_value()

        # On its own phone: the link, a password, its household.
        phone = page_as(None, viewport=PHONE)
        phone.goto(link)
        phone.fill("input[name=new_password1]", NEW_PASSWORD)
        phone.fill("input[name=new_password2]", NEW_PASSWORD)
        phone.get_by_role("button", name="设置密码并进入").click()
        expect(phone.locator("h1")).to_contain_text("陈志强，您好")
        expect(phone.locator(".me-household")).to_have_count(1)
        expect(phone.locator(".me-building")).to_contain_text("13号楼")
        expect(phone.locator(".me-household")).to_contain_text("101室")

        # A notice down to its building: it marks its household told by phone.
        notice = notice_publish(
            area=area,
            actor=secretary,
            title="周六上午停水",
            body="周六 9 点到 12 点检修水管，请提前储水",
            building_ids=[organised.b13.pk],
        )
        phone.locator("#me-notices").click()
        row = phone.locator(".ch-household").first
        expect(row).to_contain_text("13号楼101室")
        row.get_by_role("button", name="电话").click()
        expect(phone.locator(".ch-household").first.locator(".ch-how")).to_contain_text("电话")
        assert Reach.objects.get(notice=notice).how == "phone"

        # A need up the chain: the worker of the patch has it on 今日.
        phone.goto(f"{phone.base_url}/me/")
        phone.get_by_role("link", name="记一次联系").first.click()
        phone.get_by_label("当面").check()
        phone.fill("textarea[name=passed_on]", PASSED_ON)
        phone.get_by_role("button", name="保存").click()
        expect(phone.locator("body")).to_contain_text("待社工处理")
        worker = page_as(worker_in)
        worker.goto(f"{worker.base_url}/today/")
        expect(worker.locator("body")).to_contain_text(PASSED_ON)

        # A 双报到 need: claimed on the phone, confirmed by the committee, completed.
        need = need_services.need_publish(
            area=area,
            actor=secretary,
            title="陪同老人去社区医院配药",
            description="",
            place="绿园八村13号楼",
            starts_at=datetime(2026, 11, 25, 14, 0, tzinfo=SHANGHAI),
            hours=Decimal("2"),
            people_needed=1,
        )
        phone.goto(f"{phone.base_url}/me/")
        phone.get_by_role("link", name="服务需求").first.click()
        phone.locator(f"#need-{need.pk}").get_by_role("button").first.click()
        expect(phone.locator("body")).to_contain_text("请等居委会确认")
        claim = NeedClaim.objects.get(need=need)
        need_services.claim_confirm(claim=claim, actor=secretary)
        phone.reload()
        mine = phone.locator(f"#claim-{claim.pk}")
        mine.get_by_label("做了什么（一句话）").fill("陪阿婆配好了降压药")
        mine.get_by_role("button", name="完成").click()
        expect(phone.locator(f"#claim-{claim.pk}")).to_contain_text("已完成")
        expect(phone.locator("#my-hours")).to_contain_text("已服务 2.0 小时")

        # A 楼组 activity for its building.
        phone.goto(f"{phone.base_url}/me/")
        phone.get_by_role("link", name="楼组活动").first.click()
        phone.get_by_role("link", name="记楼组活动").click()
        phone.get_by_label("互助").check()
        phone.fill("textarea[name=summary]", "帮101室吴阿婆换了楼道灯泡")
        phone.get_by_role("button", name="保存").click()
        expect(phone.locator("article.act-item").first).to_contain_text("帮101室吴阿婆换了楼道灯泡")
        shoot(phone, "member-day-activity-phone")

        # At the desk: the area's active and quiet buildings, and who has not been contacted.
        desk.goto(f"{desk.base_url}/areas/{area.pk}/activities/")
        expect(desk.locator("body")).to_contain_text("13号楼")
        shoot(desk, "area-activities")
        desk.goto(f"{desk.base_url}/party/areas/{area.pk}/contacts/")
        expect(desk.locator("h1")).to_contain_text("联系情况")
        expect(desk.locator("body")).to_contain_text("14号楼201室")
        expect(desk.locator("body")).not_to_contain_text("13号楼101室")  # contacted today
        shoot(desk, "party-contacts")

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DONE and claim.hours_served == Decimal("2")
