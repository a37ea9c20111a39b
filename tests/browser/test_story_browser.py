"""一户一档 on a phone: from the household's page to its story, one kind at a time."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.visits import services as visit_services
from tests.browser.conftest import PHONE, shoot


def test_a_worker_reads_a_households_story_on_a_phone(page_as, world, worker_in):
    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=world.household_a.pk,
            visited_on=timezone.localdate() - timedelta(days=3),
            needs="想装一键呼叫器",
        ),
    )
    concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="phone",
            scope="family",
            subcategory="elderly_care",
            words="晚上摔了一跤没人知道",
            resident_id=world.resident.pk,
        ),
    )
    page = page_as(worker_in, viewport=PHONE)
    page.goto(f"{page.base_url}/households/{world.household_a.pk}/")
    page.get_by_role("link", name="一户一档", exact=True).click()
    story = page.locator("#story")
    expect(story).to_contain_text("晚上摔了一跤没人知道")
    expect(story).to_contain_text("想装一键呼叫器")
    expect(story).to_contain_text("系统判定为独居老人")
    shoot(page, "household-story-phone")
    page.get_by_role("link", name="走访", exact=True).click()
    expect(page.locator("#story")).not_to_contain_text("晚上摔了一跤")
    expect(page.locator("#story")).to_contain_text("想装一键呼叫器")
