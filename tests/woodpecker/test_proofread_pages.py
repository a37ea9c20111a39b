"""校对 in the editors' pages, the API and `jinlin proofread`: flags shown inline, decisions
remembered, lessons learned from confirmed reports; nobody but an editor finds any of it."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from jinlin.woodpecker import forms, selectors, services
from jinlin.woodpecker.models import ProofreadDecision
from tests.woodpecker.conftest import in_september

API = "/api/v1/woodpecker"
# A later article (October's issue) that repeats a mistake a reader reported in September, and
# makes two of the kinds the rules know.
LATER_TEXT = (
    "重阳节前，绿园八村的居民们积极参于敬老活动，志愿者们一如即往地上门看望独居老人。\n"
    "活动现场，老人们默默的听着孩子们朗诵诗歌。"
)


@pytest.fixture
def later(catalogue, editor):
    return services.article_save(
        actor=editor, page=catalogue.october_page, title="重阳敬老", text=LATER_TEXT
    )


def confirm_report(catalogue, editor, quoted: str, correction: str):
    report = in_september(catalogue, 5, quoted=quoted, correction=correction)
    return services.report_judge(actor=editor, report=report, verdict="valid", severity="minor")


def issue_url(catalogue) -> str:
    return f"/woodpecker/editor/issues/{catalogue.october.pk}/proofread/"


def test_the_editor_proofreads_an_issue_and_sees_each_flag_inline_with_suggestion_and_reason(
    as_user, catalogue, editor, later
):
    html = as_user(editor).get(issue_url(catalogue)).content.decode()
    assert "《重阳敬老》" in html
    assert '<mark class="pr-mark pr-expression"' in html and ">一如即往</mark>" in html
    assert "一如既往" in html and "误作同音或近音字" in html
    assert ">的</mark>" in html and "作状语应用“地”" in html
    assert "采纳" in html and "不改" in html


def test_a_confirmed_reports_correction_is_flagged_in_a_later_article_repeating_the_mistake(
    as_user, catalogue, editor, later
):
    pending = in_september(catalogue, 5, quoted="居民们参于了活动", correction="居民们参与了活动")
    before = selectors.proofread_article(later)
    assert "参于" not in [shown.flag.text for shown in before.flags]  # not yet confirmed

    report = services.report_judge(actor=editor, report=pending, verdict="valid", severity="minor")
    after = selectors.proofread_article(later)
    [flag] = [shown.flag for shown in after.flags if shown.flag.text == "参于"]
    assert flag.suggestion == "参与"
    assert flag.start == LATER_TEXT.index("参于")
    assert report.receipt in flag.reason
    html = as_user(editor).get(issue_url(catalogue)).content.decode()
    assert ">参于</mark>" in html and report.receipt in html


def test_an_invalid_report_teaches_nothing(catalogue, editor, later):
    report = in_september(catalogue, 5, quoted="居民们参于了活动", correction="居民们参与了活动")
    services.report_judge(actor=editor, report=report, verdict="invalid")
    assert "参于" not in [s.flag.text for s in selectors.proofread_article(later).flags]


@pytest.mark.parametrize("persona", ["secretary", "worker_in", "admin"])
def test_other_roles_find_no_proofreading(request, as_user, catalogue, later, persona):
    client = as_user(request.getfixturevalue(persona))
    assert client.get("/woodpecker/editor/proofread/").status_code == 404
    assert client.get(issue_url(catalogue)).status_code == 404
    response = client.post(
        "/woodpecker/editor/proofread/decide/",
        {
            "article": later.pk,
            "kind": "expression",
            "wrong": "一如即往",
            "suggestion": "一如既往",
            "context": LATER_TEXT[30:46],
            "verdict": "dismissed",
        },
    )
    assert response.status_code == 404
    assert not ProofreadDecision.objects.exists()
    assert (
        client.post(
            f"{API}/proofread", {"text": "一如即往"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_anonymous_readers_are_sent_to_log_in(client, catalogue):
    for url in ("/woodpecker/editor/proofread/", issue_url(catalogue)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_unknown_issue_is_404(as_user, editor, catalogue):
    assert as_user(editor).get("/woodpecker/editor/issues/999999/proofread/").status_code == 404


def _flag_fields(result, text: str) -> dict:
    [shown] = [s for s in result.flags if s.flag.text == text]
    return {
        "kind": shown.flag.kind,
        "wrong": shown.flag.text,
        "suggestion": shown.flag.suggestion,
        "reason": shown.flag.reason,
        "context": shown.context,
        "number": shown.number,
    }


def test_a_dismissed_flag_does_not_come_back_on_the_same_article(as_user, catalogue, editor, later):
    client = as_user(editor)
    fields = _flag_fields(selectors.proofread_article(later), "一如即往")
    response = client.post(
        "/woodpecker/editor/proofread/decide/",
        {**fields, "article": later.pk, "verdict": "dismissed"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#article-{later.pk}")
    html = client.get(response["Location"]).content.decode()
    assert ">一如即往</mark>" not in html
    assert "另有 1 处此前已定为不改" in html
    # Edited elsewhere, the article keeps the decision; another article repeating it does not.
    services.article_save(
        actor=editor,
        page=later.page,
        title=later.title,
        text="编者按：本文有删节。\n" + LATER_TEXT,
        article=later,
    )
    later.refresh_from_db()
    assert "一如即往" not in [s.flag.text for s in selectors.proofread_article(later).flags]
    other = services.article_save(actor=editor, page=later.page, title="另一篇", text=LATER_TEXT)
    assert "一如即往" in [s.flag.text for s in selectors.proofread_article(other).flags]


def test_accepting_a_flag_through_htmx_answers_the_flag_marked_accepted(
    as_user, catalogue, editor, later
):
    fields = _flag_fields(selectors.proofread_article(later), "一如即往")
    response = as_user(editor).post(
        "/woodpecker/editor/proofread/decide/",
        {**fields, "article": later.pk, "verdict": "accepted"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已采纳" in html and f'id="flag-{later.pk}-{fields["number"]}"' in html
    decision = ProofreadDecision.objects.get()
    assert (decision.verdict, decision.wrong, decision.suggestion, decision.decided_by) == (
        "accepted",
        "一如即往",
        "一如既往",
        editor,
    )
    [shown] = [s for s in selectors.proofread_article(later).flags if s.flag.text == "一如即往"]
    assert shown.verdict == "accepted"


def test_an_accepted_flag_teaches_the_confusion_set(catalogue, editor, later):
    services.proofread_decide(
        actor=editor,
        article=later,
        kind="expression",
        wrong="一如即往",
        suggestion="一如既往",
        context=LATER_TEXT[LATER_TEXT.index("一如即往") - 2 :][:10],
        verdict="accepted",
    )
    lessons = {(c.wrong, c.right) for c in selectors.learned_confusions()}
    assert ("一如即往", "一如既往") in lessons


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"verdict": "maybe"}, services.MSG_VERDICT_NEEDED),
        ({"context": "这段话不在文章里一如即往"}, services.MSG_FLAG_GONE),
        ({"kind": "nonsense"}, services.MSG_FLAG_INCOMPLETE),
        ({"wrong": "不在上下文里"}, services.MSG_FLAG_INCOMPLETE),
    ],
)
def test_a_bad_decision_is_refused_with_a_message_and_changes_nothing(
    as_user, catalogue, editor, later, change, message
):
    fields = _flag_fields(selectors.proofread_article(later), "一如即往")
    data = {**fields, "article": later.pk, "verdict": "dismissed", **change}
    response = as_user(editor).post(
        "/woodpecker/editor/proofread/decide/", data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200  # htmx swaps only a 2xx answer into the flag
    html = response.content.decode()
    assert message in html and 'role="alert"' in html and "采纳" in html  # buttons stay
    assert not ProofreadDecision.objects.exists()
    response = as_user(editor).post("/woodpecker/editor/proofread/decide/", data)  # no JavaScript
    assert response.status_code == 302
    assert message in [m.message for m in get_messages(response.wsgi_request)]
    assert not ProofreadDecision.objects.exists()


def test_pasted_text_is_proofread_and_a_dismissal_without_javascript_shows_it_again(
    as_user, editor, world
):
    client = as_user(editor)
    response = client.post(
        "/woodpecker/editor/proofread/", {"text": LATER_TEXT, "issue_date": "2022-10-12"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and ">一如即往</mark>" in html
    result = selectors.proofread_pasted(LATER_TEXT)
    fields = _flag_fields(result, "一如即往")
    response = client.post(
        "/woodpecker/editor/proofread/decide/",
        {**fields, "verdict": "dismissed", "text": LATER_TEXT, "issue_date": "2022-10-12"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert ">一如即往</mark>" not in html and ">的</mark>" in html
    assert "此前已定为不改" in html


def test_an_uploaded_gbk_text_file_is_proofread(as_user, editor, world):
    upload = SimpleUploadedFile("稿件.txt", "大家再接再励，共建美好家园。".encode("gbk"))
    html = (
        as_user(editor).post("/woodpecker/editor/proofread/", {"upload": upload}).content.decode()
    )
    assert ">再接再励</mark>" in html and "再接再厉" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   "}, forms.MSG_PROOFREAD_TEXT_NEEDED),
        ({"text": "字" * (forms.PROOFREAD_TEXT_MAX + 1)}, "正文过长"),
        ({"upload": SimpleUploadedFile("a.doc", b"abc")}, forms.MSG_UPLOAD_NOT_TEXT),
        ({"text": "好", "issue_date": "2022-13-40"}, "日期"),
    ],
)
def test_bad_input_on_the_paste_form_is_answered_with_a_message(
    as_user, editor, world, data, message
):
    response = as_user(editor).post("/woodpecker/editor/proofread/", data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_issue_page_query_count_does_not_grow_with_articles(
    as_user, catalogue, editor, later, django_assert_max_num_queries
):
    client = as_user(editor)
    client.get(issue_url(catalogue))
    for number in range(4):
        services.article_save(actor=editor, page=later.page, title=f"稿{number}", text=LATER_TEXT)
    with django_assert_max_num_queries(12):
        assert client.get(issue_url(catalogue)).status_code == 200


# --- API -----------------------------------------------------------------------------------------


def test_the_api_proofreads_text_for_an_editor(as_user, editor, world):
    response = as_user(editor).post(
        f"{API}/proofread",
        {"text": "11月5日（星期四），志愿者们一如即往。", "issue_date": "2025-11-12"},
        content_type="application/json",
    )
    assert response.status_code == 200
    flags = response.json()["flags"]
    assert [(f["text"], f["suggestion"], f["kind"]) for f in flags] == [
        ("四", "三", "consistency"),
        ("一如即往", "一如既往", "expression"),
    ]
    assert flags[1]["start"] == 15 and flags[1]["kind_label"] == "成语/固定搭配"


def test_the_api_refuses_empty_text_with_422(as_user, editor, world):
    response = as_user(editor).post(
        f"{API}/proofread", {"text": ""}, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_api_proofreads_an_issue(as_user, catalogue, editor, later):
    client = as_user(editor)
    body = client.get(f"{API}/issues/{catalogue.october.pk}/proofread").json()
    by_title = {article["title"]: article for article in body["articles"]}
    assert "一如即往" in [f["text"] for f in by_title["重阳敬老"]["flags"]]
    assert client.get(f"{API}/issues/999999/proofread").status_code == 404


# --- jinlin proofread ----------------------------------------------------------------------------


def run(*args: str) -> str:
    out = StringIO()
    call_command("proofread", *args, stdout=out)
    return out.getvalue()


def test_the_command_proofreads_a_file(tmp_path, db):
    path = tmp_path / "稿件.txt"
    path.write_text("标题\n11月5日（星期四），志愿者们一如即往。", encoding="utf-8")
    out = run(str(path), "--date", "2025-11-12")
    assert "2:22 [成语/固定搭配] 一如即往 → 一如既往" in out or "一如即往 → 一如既往" in out
    assert "共 2 处。" in out
    [result] = json.loads(run(str(path), "--json"))
    assert [f["text"] for f in result["flags"]] == ["一如即往"]  # no date, no weekday check


def test_the_command_proofreads_an_issue_by_number(catalogue, later):
    out = run("--issue", "120")
    assert "第3版 副刊《重阳敬老》" in out and "一如即往 → 一如既往" in out
    articles = json.loads(run("--issue", "120", "--publication", "晨报", "--json"))
    assert {a["title"] for a in articles} >= {"十月红", "重阳敬老"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "二者选一"),
        (("--issue", "999"), "没有找到第999期"),
        (("/nonexistent/稿件.txt",), "无法读取"),
    ],
)
def test_the_command_refuses_bad_arguments_clearly(db, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_command_asks_for_the_publication_when_numbers_repeat(catalogue, editor):
    services.issue_save(
        actor=editor, publication=catalogue.xinjing, number=120, published_on=date(2022, 10, 14)
    )
    with pytest.raises(CommandError, match="--publication"):
        run("--issue", "120")
