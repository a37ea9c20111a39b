"""台账 from the browser: the secretary asks for November's 走访台账 of its area, watches the job
finish on its page and downloads the workbook."""

from __future__ import annotations

import openpyxl
from playwright.sync_api import expect

from jinlin.core.models import AuditEvent, Job
from tests.browser.conftest import PASSWORD, shoot
from tests.ledgers.conftest import november  # noqa: F401  (a month of fieldwork)


def test_secretary_requests_a_ledger_sees_it_done_and_downloads_it(
    page_as,
    world,
    secretary,
    november,  # noqa: F811  (the fixture imported above)
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    secretary.set_password(PASSWORD)
    secretary.display_name = "王书记"
    secretary.save()

    page = page_as(secretary)
    page.goto(f"{page.base_url}/ledgers/")
    page.get_by_label("台账", exact=True).select_option("visits")
    page.get_by_label("范围（居民区、小区或经办人）").select_option(f"area:{world.area.pk}")
    page.get_by_label("月份").fill("2026-11")
    page.get_by_label("Excel（.xlsx）").check()
    shoot(page, "ledgers-form")
    page.get_by_role("button", name="生成台账").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("绿八居民区 走访台账（2026年11月）")
    status = page.locator("#job-status")
    expect(status).to_have_attribute("aria-live", "polite")
    link = page.get_by_role("link", name="下载")
    expect(link).to_be_visible(timeout=20_000)
    expect(page.get_by_label("进度")).to_have_attribute("value", "100")
    shoot(page, "ledgers-job-done")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "走访台账" in download.suggested_filename
    saved = tmp_path / "ledger.xlsx"
    download.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet["A1"].value == "绿八居民区 走访台账（2026年11月）"
    assert sheet.max_row == 5  # title, byline, headings, two visits

    job = Job.objects.get(owner=secretary)
    assert job.status == Job.Status.DONE
    assert AuditEvent.objects.filter(object_type="ledger", actor=secretary).count() == 1
    assert AuditEvent.objects.filter(object_type="job", object_id=str(job.pk)).count() == 1
