"""校对 in a browser: an editor on a phone proofreads an issue before print, reads a flag's
suggestion and reason beside the marked text, accepts one (htmx) and dismisses another; the
dismissed one stays away when the issue is proofread again."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from jinlin.woodpecker import services
from jinlin.woodpecker.models import ProofreadDecision
from tests.browser.conftest import PHONE, shoot, tap_box

TEXT = (
    "重阳节前，新径镇绿园八村的志愿者们一如即往地走进独居老人家中，送去了热腾腾的重阳糕。\n"
    "老人们高高兴兴的收下礼物，连声道谢。"
)


def test_an_editor_proofreads_an_issue_on_a_phone_and_accepts_a_flag(page_as, editor):
    morning = services.publication_save(actor=editor, name="社区晨报")
    issue = services.issue_save(
        actor=editor, publication=morning, number=131, published_on=date(2026, 10, 14)
    )
    page_ = services.page_save(actor=editor, issue=issue, number=2, name="社区")
    article = services.article_save(actor=editor, page=page_, title="重阳送温暖", text=TEXT)

    page = page_as(editor, viewport=PHONE)
    page.goto(f"{page.base_url}/woodpecker/editor/issues/{issue.pk}/")
    page.get_by_role("link", name="校对本期").click()
    expect(page.locator("h1")).to_contain_text("校对：社区晨报 第131期")
    card = page.locator(f"#article-{article.pk}")
    expect(card.locator("mark.pr-mark")).to_have_count(3)
    first = card.locator(".pr-flag").filter(has_text="一如即往")
    expect(first.locator(".pr-suggestion")).to_have_text("一如既往")
    expect(first.locator(".pr-reason")).to_contain_text("误作同音或近音字")
    shoot(page, "proofread-issue-phone", full_page=False)

    first.get_by_role("button", name="采纳第").click()
    expect(first.locator(".pr-done")).to_have_text("已采纳")
    term = card.locator(".pr-flag").filter(has_text="新径镇")
    term.get_by_role("button", name="不改").click()
    expect(term.locator(".pr-done")).to_contain_text("不改")
    assert {d.wrong: d.verdict for d in ProofreadDecision.objects.all()} == {
        "一如即往": "accepted",
        "新径镇": "dismissed",
    }

    page.reload()
    card = page.locator(f"#article-{article.pk}")
    expect(card.locator("mark.pr-mark")).to_have_count(2)
    expect(card).to_contain_text("另有 1 处此前已定为不改")
    expect(card.locator(".pr-flag").filter(has_text="一如即往").locator(".pr-done")).to_have_text(
        "已采纳"
    )
    buttons = card.locator(".pr-actions button")
    box = tap_box(buttons.first)
    assert box is not None and box["height"] >= 24 and box["width"] >= 24
