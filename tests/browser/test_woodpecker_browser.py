"""纠错有奖 in a browser: a reader on a phone pastes a WeChat message and sends the report the
form was filled with, or picks it from the lists; an editor judges reports beside the article
with the quoted passage highlighted, and reads the round's announcement."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jinlin.woodpecker import services
from jinlin.woodpecker.models import Report
from tests.browser.conftest import DESKTOP, PHONE, shoot

POEM = (
    "十月红\n"
    "惊回首，离天三尺三。\n"
    "快马加鞭未下鞍。\n"
    "山，倒海翻江卷巨澜。\n"
    "绿园八村的志愿者们在重阳节前走进独居老人家中，送去了热腾腾的重阳糕。"
)


@pytest.fixture
def newspaper(editor):
    """社区晨报 with an issue out today (so its round is open), four pages, 《十月红》 on page 3."""
    morning = services.publication_save(actor=editor, name="社区晨报")
    services.publication_save(actor=editor, name="新泾社区报")
    issue = services.issue_save(
        actor=editor, publication=morning, number=120, published_on=timezone.localdate()
    )
    pages = {
        number: services.page_save(actor=editor, issue=issue, number=number, name=name)
        for number, name in ((1, "要闻"), (2, "社区"), (3, "副刊"), (4, "生活"))
    }
    poem = services.article_save(
        actor=editor, page=pages[3], title="十月红", author="林晓", section="诗苑", text=POEM
    )
    services.article_save(
        actor=editor, page=pages[3], title="重阳糕里的邻里情", text="重阳节那天，楼组长王阿姨……"
    )
    return {"issue": issue, "poem": poem}


def test_a_reader_pastes_a_message_on_a_phone_and_sends_the_filled_form(page_as, newspaper):
    today = timezone.localdate()
    page = page_as(None, viewport=PHONE)
    page.goto(f"{page.base_url}/woodpecker/")
    expect(page.locator("h1")).to_contain_text("纠错有奖")
    expect(page.locator("#round-deadline")).to_contain_text("各期的纠错截至")
    shoot(page, "woodpecker-public-phone", full_page=False)

    message = (
        f"{today.month}月{today.day}日社区晨报第3版《十月红》第二句‘快马加鞭下鞍’少了一个‘未’字"
        " —— 小飞 13812345678"
    )
    page.locator("textarea[name=message]").fill(message)
    page.get_by_role("button", name="识别并填入").click()
    expect(page.locator("#parsed-notice")).to_contain_text("已从留言中识别")
    expect(page.locator("select[name=issue]")).to_have_value(str(newspaper["issue"].pk))
    expect(page.locator("select[name=page_number]")).to_have_value("3")
    expect(page.locator("select[name=article]")).to_have_value(str(newspaper["poem"].pk))
    expect(page.locator("textarea[name=quoted]")).to_have_value("快马加鞭下鞍")
    expect(page.locator("textarea[name=correction]")).to_have_value("少了一个‘未’字")
    expect(page.locator("input[name=reader_name]")).to_have_value("小飞")
    expect(page.locator("input[name=contact]")).to_have_value("13812345678")
    page.locator("#report-form").scroll_into_view_if_needed()
    shoot(page, "woodpecker-filled-phone")

    page.get_by_role("button", name="提交报告").click()
    expect(page.locator("#receipt h1")).to_have_text("已收到您的纠错报告，谢谢！")
    report = Report.objects.get()
    expect(page.locator(".wp-receipt-number")).to_have_text(report.receipt)
    expect(page.locator("#receipt-status")).to_have_text("待评判")
    assert report.article == newspaper["poem"] and report.contact == "13812345678"
    shoot(page, "woodpecker-receipt-phone", full_page=False)


def test_a_reader_picks_the_article_from_the_lists_on_a_phone(page_as, newspaper):
    page = page_as(None, viewport=PHONE)
    page.goto(f"{page.base_url}/woodpecker/")
    page.locator("select[name=publication]").select_option(label="社区晨报")
    expect(page.locator("select[name=issue] option")).to_have_count(2)
    page.locator("select[name=issue]").select_option(str(newspaper["issue"].pk))
    expect(page.locator("select[name=page_number]")).to_be_visible()
    page.locator("select[name=page_number]").select_option("3")
    expect(page.locator("select[name=article]")).to_be_visible()
    page.locator("select[name=article]").select_option(label="十月红")
    page.locator("textarea[name=quoted]").fill("离天三尺")
    page.locator("textarea[name=correction]").fill("离天三尺三")
    page.locator("input[name=reader_name]").fill("风行天下")
    page.get_by_label("这是微信昵称").check()
    page.locator("input[name=contact]").fill("fengxing_tx")
    page.get_by_role("button", name="提交报告").click()
    expect(page.locator("#receipt-status")).to_have_text("待评判")
    report = Report.objects.get()
    assert (report.article, report.is_nickname) == (newspaper["poem"], True)


def test_an_editor_judges_reports_beside_the_article_with_the_passage_marked(
    page_as, newspaper, editor
):
    now = timezone.now()
    # Both reports of today's issue are sent today (Shanghai): near midnight, 30 minutes ago
    # was yesterday, before the issue came out. Sent in the same order, 25 minutes apart.
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))

    def sent(minutes: int) -> datetime:
        return max(now - timedelta(minutes=minutes), midnight + timedelta(minutes=60 - minutes))

    first, second = (
        services.report_submit(
            data=services.ReportInput(
                issue_id=newspaper["issue"].pk,
                page_number=3,
                article_id=newspaper["poem"].pk,
                quoted=quoted,
                correction="快马加鞭未下鞍",
                explanation="少了一个“未”字，意思完全反了",
                reader_name=name,
                is_nickname=is_nickname,
                contact=contact,
            ),
            now=sent(minutes),
        )
        for quoted, name, is_nickname, contact, minutes in (
            ("快马加鞭下鞍", "小飞", False, "13812345678", 30),
            ("快马加鞭，下鞍", "风行天下", True, "fengxing_tx", 5),
        )
    )
    page = page_as(editor, viewport=DESKTOP)
    page.goto(f"{page.base_url}/woodpecker/editor/reports/")
    page.get_by_role("link", name=first.receipt).click()
    expect(page.locator("mark#passage")).to_have_text("快马加鞭未下鞍")
    expect(page.locator("#locate-note")).to_contain_text("已在正文中找到")
    expect(page.locator("#duplicates")).to_contain_text(second.receipt)
    expect(page.locator("#report")).to_contain_text("138****5678")
    shoot(page, "woodpecker-judge")

    page.get_by_role("radio", name="有效", exact=True).check()
    page.get_by_label("严重（人名、日期、数字、标题等事实错误） · 3 分").check()
    page.get_by_role("button", name="保存评判").click()
    expect(page.locator(".messages")).to_contain_text(f"已将 {first.receipt} 评为有效")
    expect(page.locator("#report h1")).to_contain_text(second.receipt)  # the next one
    expect(page.locator("#duplicates li").first).to_contain_text("最早")
    page.get_by_role("radio", name="重复", exact=True).check()
    page.locator("select[name=duplicate_of]").select_option(str(first.pk))
    page.get_by_role("button", name="保存评判").click()
    page.goto(f"{page.base_url}/woodpecker/editor/reports/{second.pk}/")
    expect(page.locator("#report-status")).to_have_text("重复")
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == ("duplicate", first.pk)

    round_code = first.round.code
    page.goto(f"{page.base_url}/woodpecker/editor/rounds/{round_code}/")
    expect(page.locator("#announcement")).to_have_value(
        f"{first.round.year}年{first.round.month}月最佳“啄木鸟”:小飞"
    )
    shoot(page, "woodpecker-round")


def test_the_judging_page_on_a_phone(page_as, newspaper, editor):
    report = services.report_submit(
        data=services.ReportInput(
            issue_id=newspaper["issue"].pk,
            page_number=3,
            article_id=newspaper["poem"].pk,
            quoted="倒海翻江卷巨浪",
            correction="倒海翻江卷巨澜",
            reader_name="叶玲珠",
            contact="13901775120",
        )
    )
    page = page_as(editor, viewport=PHONE)
    page.goto(f"{page.base_url}/woodpecker/editor/reports/{report.pk}/")
    expect(page.locator("mark#passage")).to_have_text("倒海翻江卷巨澜")
    page.locator("#article").scroll_into_view_if_needed()
    shoot(page, "woodpecker-judge-phone", full_page=False)


SEPTEMBER_2022 = (
    "2022年9月优秀“啄木鸟”:叶玲珠、陈霖源、严志彬、风行天下(昵称)、abbill(昵称)\n"
    "2022年9月最佳“啄木鸟”:小飞"
)


def test_the_editor_copies_the_announcement_and_keeps_the_ledger(page_as, demo_small):
    from jinlin.core.models import User

    page = page_as(User.objects.get(username="bianji"), viewport=DESKTOP)
    page.goto(f"{page.base_url}/woodpecker/editor/")
    page.get_by_role("link", name="2022年9月").click()
    expect(page.locator("#announcement")).to_have_value(SEPTEMBER_2022)
    page.get_by_role("button", name="复制公告").click()
    expect(page.locator("[data-copied]")).to_be_visible()
    award = page.locator("#awards tbody tr").nth(4)  # 风行天下: its souvenir not handed over yet
    expect(award).to_contain_text("风行天下")
    award.get_by_text("登记发放").click()
    award.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记 风行天下 的优秀“啄木鸟”发放")
    shoot(page, "woodpecker-round-confirmed")
    page.get_by_role("link", name="台账").click()
    expect(page.locator("#ledger-totals")).to_contain_text("已发奖金 100 元")
    expect(page.locator("#ledger-totals")).to_contain_text("已发纪念品 4 份，待发 1 份")
    shoot(page, "woodpecker-ledger")
