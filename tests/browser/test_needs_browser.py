"""双报到 on a phone: a member opens 服务需求, claims a need in one tap, the secretary confirms it
on the committee's page, and the member marks it done with a line; the page shows 已完成 and the
hours served."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from jinlin.chain.needs import services
from jinlin.chain.needs.models import ClaimStatus, NeedClaim
from jinlin.core.models import Role, User
from tests.browser.conftest import PASSWORD, PHONE, shoot, tap_box

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_member_claims_and_completes_a_need_on_its_phone(page_as, world, secretary):
    # The morning of the need's day: claimed before it starts, done from that day on.
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI), tick=True):
        need = services.need_publish(
            area=world.area,
            actor=secretary,
            title="帮独居老人买菜",
            description="吴阿婆腿脚不便，请帮她买一周的菜",
            place="绿园八村12号楼301室",
            starts_at=datetime(2026, 11, 25, 15, 0, tzinfo=SHANGHAI),
            hours=Decimal("1.5"),
            people_needed=2,
        )
        member = User.objects.create_user(
            username="dangyuan",
            password=PASSWORD,
            role=Role.NETWORK_MEMBER,
            area=world.area,
            display_name="党员 陈志强",
        )

        phone = page_as(member, viewport=PHONE)
        phone.goto(f"{phone.base_url}/me/")
        phone.get_by_role("link", name="服务需求").first.click()
        card = phone.locator(f"#need-{need.pk}")
        expect(card).to_contain_text("帮独居老人买菜")
        expect(card).to_contain_text("还差 2 人")
        claim_button = card.get_by_role("button", name="认领：帮独居老人买菜")
        assert tap_box(claim_button)["height"] >= 44
        shoot(phone, "member-needs-phone")
        claim_button.click()
        expect(phone.locator("body")).to_contain_text("请等居委会确认")
        claim = NeedClaim.objects.get()
        expect(phone.locator(f"#claim-{claim.pk}")).to_contain_text("已认领")

        desk = page_as(secretary)
        desk.goto(f"{desk.base_url}/areas/{world.area.pk}/needs/")
        row = desk.locator(f"#claim-{claim.pk}")
        expect(row).to_contain_text("党员 陈志强")
        shoot(desk, "committee-needs")
        row.get_by_role("button", name="确认").click()
        expect(desk.locator(f"#claim-{claim.pk}")).to_contain_text("已确认")

        phone.reload()
        mine = phone.locator(f"#claim-{claim.pk}")
        expect(mine).to_contain_text("已确认")
        mine.get_by_label("做了什么（一句话）").fill("买了一周的菜送到家，还帮阿婆理了冰箱")
        mine.get_by_label("时长（小时）").fill("2")
        mine.get_by_role("button", name="完成").click()
        mine = phone.locator(f"#claim-{claim.pk}")
        expect(mine).to_contain_text("已完成")
        expect(mine).to_contain_text("2.0 小时")
        expect(phone.locator("#my-hours")).to_contain_text("已服务 2.0 小时")
        shoot(phone, "member-needs-done-phone")

    done = NeedClaim.objects.get()
    assert (done.status, done.hours_served) == (ClaimStatus.DONE, Decimal("2.0"))
    assert done.done_note == "买了一周的菜送到家，还帮阿婆理了冰箱"
