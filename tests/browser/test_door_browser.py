"""The residents' door in a browser: a resident on a phone opens its building's page from the
placard's QR code, raises a concern, comes back to the receipt, reads the worker's reply and
rates the outcome (群众评单)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.concerns.models import Channel, Concern, Rating
from jinlin.places.services import building_public_token
from tests.browser.conftest import PHONE, shoot
from tests.party.conftest import PartyMemberFactory


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_resident_raises_a_concern_reads_the_reply_and_rates_it(page_as, world, worker_in):
    PartyMemberFactory(resident=world.resident, phone_consent=True)
    token = building_public_token(building=world.building_a)
    page = page_as(None, viewport=PHONE)

    page.goto(f"{page.base_url}/b/{token}/")
    expect(page.locator("#building-title")).to_contain_text("绿园八村 12号楼")
    expect(page.locator("#contacts")).to_contain_text("张建国")
    expect(page.locator("#contacts")).to_contain_text("13812345678")  # consented
    expect(page.locator("body")).not_to_contain_text("李秀英")
    assert fits_the_phone(page)
    shoot(page, "door-building-phone")

    page.get_by_label("您想说的事").fill("三楼楼道灯坏了一星期，晚上老人下楼看不见。")
    page.get_by_label("室号（可不填）").fill("301")
    page.get_by_role("button", name="提交").click()
    expect(page).to_have_url(re.compile(r"/r/[0-9A-Z]{16}/$"))
    expect(page.locator("#receipt-status")).to_have_text("待回复")
    receipt = page.locator("#receipt-number").inner_text().strip()
    shoot(page, "door-receipt-phone")

    concern = Concern.objects.get(receipt=receipt)
    assert concern.channel == Channel.QR_CODE and concern.building_id == world.building_a.pk
    concern_services.concern_reply(
        concern=concern, actor=worker_in, reply="已联系物业，明天上午换灯。"
    )
    concern_services.concern_close(concern=concern, actor=worker_in)

    page.goto(f"{page.base_url}/r/{receipt}/")
    expect(page.locator("#reply-text")).to_have_text("已联系物业，明天上午换灯。")
    expect(page.locator("#receipt-status")).to_have_text("已办结")
    page.get_by_label("满意", exact=True).check()
    page.get_by_label("说一句（可不填）").fill("换得很快，谢谢")
    shoot(page, "door-rating-phone")
    page.get_by_role("button", name="提交评价").click()
    expect(page.locator("#rated")).to_contain_text("满意")
    expect(page.locator("#rated")).to_contain_text("换得很快，谢谢")
    assert fits_the_phone(page)
    concern.refresh_from_db()
    assert concern.rating == Rating.SATISFIED and not concern.needs_secretary_review
