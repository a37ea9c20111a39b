"""The woodpecker pages: the readers' form (lists, free text, receipt, limits) and the editors'
catalogue, queue, judging, rounds and ledger, with access per persona and query counts."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from jinlin.core.models import AuditEvent
from jinlin.woodpecker import services
from jinlin.woodpecker.models import Article, Award, Issue, LedgerEntry, Page, Publication, Report
from tests.woodpecker.conftest import NOW, SHANGHAI, in_september, submit

HTMX = {"HTTP_HX_REQUEST": "true"}
SPEC_MESSAGE = "10月12日社区晨报第3版《十月红》第二句‘快马加鞭下鞍’少了一个‘未’字 —— 小飞"


def form_data(catalogue, **overrides):
    data = {
        "publication": catalogue.morning.pk,
        "issue": catalogue.october.pk,
        "page_number": 3,
        "article": catalogue.poem.pk,
        "article_title": "",
        "quoted": "快马加鞭下鞍",
        "correction": "快马加鞭未下鞍",
        "explanation": "",
        "reader_name": "小飞",
        "contact": "13812345678",
        "website": "",
    }
    data.update(overrides)
    return data


def selected(html: str, name: str) -> str | None:
    """The value of the selected option of a <select name=…>, or None."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group())
    return option.group(1) if option else None


def field_value(html: str, name: str) -> str:
    textarea = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    if textarea:
        return textarea.group(1)
    found = re.search(rf'<input type="text" name="{name}"[^>]*value="([^"]*)"', html)
    return found.group(1) if found else ""


# --- readers ------------------------------------------------------------------------------------


def test_the_public_form_lists_what_is_open_and_the_deadline(client, catalogue, frozen):
    html = client.get("/woodpecker/").content.decode()
    assert "2022年10月各期的纠错截至 <strong>2022年11月1日 23:59</strong>" in html
    publications = re.search(r'<select name="publication".*?</select>', html, re.S).group()
    assert "社区晨报" in publications
    assert "新泾社区报" not in publications  # September's round has closed


def test_the_lists_follow_each_choice(client, catalogue, frozen):
    html = client.get("/woodpecker/picker/", {"publication": catalogue.morning.pk}).content.decode()
    assert "第120期 · 10月12日" in html
    html = client.get(
        "/woodpecker/picker/", {"publication": catalogue.morning.pk, "issue": catalogue.october.pk}
    ).content.decode()
    assert "第3版 副刊" in html and "十月红" not in html
    html = client.get(
        "/woodpecker/picker/",
        {"publication": catalogue.morning.pk, "issue": catalogue.october.pk, "page_number": 3},
    ).content.decode()
    assert f'<option value="{catalogue.poem.pk}">十月红</option>' in html
    assert "列表里没有，手动填写标题" in html


def test_a_reader_sends_the_form_and_sees_its_receipt(client, catalogue, frozen):
    response = client.post("/woodpecker/", form_data(catalogue))
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/woodpecker/receipt/{report.receipt}/?new=1"
    html = client.get(response["Location"]).content.decode()
    assert report.receipt in html and "待评判" in html and "已收到您的纠错报告" in html
    assert "13812345678" not in html and "小飞" not in html
    assert report.article == catalogue.poem and report.channel == "form"


def test_refusals_are_shown_on_the_form(client, catalogue, frozen):
    response = client.post("/woodpecker/", form_data(catalogue, quoted="", contact="", issue=""))
    html = response.content.decode()
    assert response.status_code == 200
    for message in (
        services.MSG_QUOTED_NEEDED,
        services.MSG_CONTACT_NEEDED,
        services.MSG_ISSUE_NEEDED,
    ):
        assert message in html
    assert not Report.objects.exists()


def test_a_closed_round_is_refused_with_when_the_next_ends(client, catalogue, frozen):
    data = form_data(
        catalogue,
        publication=catalogue.xinjing.pk,
        issue=catalogue.september.pk,
        page_number=2,
        article=catalogue.story.pk,
    )
    html = client.post("/woodpecker/", data).content.decode()
    assert (
        "已于2022年10月1日 23:59截止，不再受理。2022年10月各期的纠错截至2022年11月1日 23:59。"
        in html
    )
    assert not Report.objects.exists()


def test_the_hidden_field_turns_bots_away(client, catalogue, frozen):
    html = client.post(
        "/woodpecker/", form_data(catalogue, website="http://spam.example")
    ).content.decode()
    assert "提交未被受理" in html
    assert not Report.objects.exists()


def test_a_pasted_message_fills_the_form_for_the_reader_to_confirm(client, catalogue, frozen):
    response = client.post("/woodpecker/parse/", {"message": SPEC_MESSAGE}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="card wp-form" id="report-form">')
    assert "已从留言中识别" in html
    assert selected(html, "publication") == str(catalogue.morning.pk)
    assert selected(html, "issue") == str(catalogue.october.pk)
    assert selected(html, "page_number") == "3"
    assert selected(html, "article") == str(catalogue.poem.pk)
    assert field_value(html, "quoted") == "快马加鞭下鞍"
    assert field_value(html, "correction") == "少了一个‘未’字"
    assert field_value(html, "reader_name") == "小飞"


def test_the_filled_form_is_sent_as_confirmed(client, catalogue, frozen):
    html = client.post(
        "/woodpecker/parse/", {"message": SPEC_MESSAGE + " 13812345678"}
    ).content.decode()
    assert "<html" in html  # without htmx, the whole page
    data = form_data(
        catalogue,
        quoted=field_value(html, "quoted"),
        correction=field_value(html, "correction"),
        reader_name=field_value(html, "reader_name"),
        contact=field_value(html, "contact"),
        article=selected(html, "article"),
    )
    assert client.post("/woodpecker/", data).status_code == 302
    report = Report.objects.get()
    assert (report.quoted, report.correction, report.reader_name, report.contact) == (
        "快马加鞭下鞍",
        "少了一个‘未’字",
        "小飞",
        "13812345678",
    )
    assert report.passage_start is not None


def test_a_message_about_a_closed_round_warns(client, catalogue, frozen):
    message = (
        "9月14日新泾社区报第2版《邻里一家亲》“八十多位居民”应为“八十余位居民”。叶玲珠 13900000002"
    )
    html = client.post("/woodpecker/parse/", {"message": message}, **HTMX).content.decode()
    assert "该期属于2022年9月的评选，已于2022年10月1日 23:59截止" in html
    assert field_value(html, "quoted") == "八十多位居民"


def test_the_form_is_rate_limited_in_chinese(client, catalogue, frozen, settings):
    settings.WOODPECKER = {
        "RATE_LIMITS": {"report": (2, 3600), "lookup": (60, 600), "parse": (1, 600)}
    }
    codes = [client.post("/woodpecker/", form_data(catalogue)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    refused = client.post("/woodpecker/", form_data(catalogue))
    assert "提交过于频繁，请" in refused.content.decode()
    assert client.post("/woodpecker/parse/", {"message": SPEC_MESSAGE}, **HTMX).status_code == 200
    limited = client.post("/woodpecker/parse/", {"message": SPEC_MESSAGE}, **HTMX)
    assert limited.status_code == 429 and "提交过于频繁" in limited.content.decode()
    assert Report.objects.count() == 2


def test_the_receipt_page_looks_up_by_number(client, catalogue, frozen):
    report = submit(catalogue)
    html = client.get("/woodpecker/receipt/", {"number": report.receipt.lower()}).content.decode()
    assert report.receipt in html and "待评判" in html and "13812345678" not in html
    assert client.get("/woodpecker/receipt/", {"number": "ZM0000-XXXXXX"}).status_code == 404


def test_published_winners_are_on_a_public_page(client, catalogue, editor):
    report = in_september(catalogue, 0, reader_name="风行天下", is_nickname=True)
    services.report_judge(actor=editor, report=report, verdict="valid", severity="minor")
    services.round_confirm_awards(
        actor=editor, round_=catalogue.september_round, now=datetime(2022, 10, 5, tzinfo=SHANGHAI)
    )
    html = client.get("/woodpecker/winners/").content.decode()
    assert "2022年9月最佳“啄木鸟”:风行天下(昵称)" in html


# --- editors: access ----------------------------------------------------------------------------

EDITOR_PAGES = [
    "/woodpecker/editor/",
    "/woodpecker/editor/reports/",
    "/woodpecker/editor/reports/{report}/",
    "/woodpecker/editor/catalogue/",
    "/woodpecker/editor/issues/{issue}/",
    "/woodpecker/editor/articles/{article}/",
    "/woodpecker/editor/articles/{article}/edit/",
    "/woodpecker/editor/pages/{page}/articles/new/",
    "/woodpecker/editor/publications/{publication}/",
    "/woodpecker/editor/rounds/2022-10/",
    "/woodpecker/editor/ledger/",
]


def _urls(catalogue, report):
    ids = {
        "report": report.pk,
        "issue": catalogue.october.pk,
        "article": catalogue.poem.pk,
        "page": catalogue.october_page.pk,
        "publication": catalogue.morning.pk,
    }
    return [url.format(**ids) for url in EDITOR_PAGES]


def test_the_editor_opens_every_editor_page(as_user, catalogue, editor, frozen):
    client = as_user(editor)
    for url in _urls(catalogue, submit(catalogue)):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["secretary", "worker_in", "admin"])
def test_other_roles_find_no_editor_pages(request, as_user, catalogue, frozen, persona):
    client = as_user(request.getfixturevalue(persona))
    report = submit(catalogue)
    for url in _urls(catalogue, report):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/woodpecker/editor/reports/{report.pk}/", {"verdict": "invalid"})
    assert response.status_code == 404
    response = client.post(f"/woodpecker/editor/reports/{report.pk}/contact/", {"reason": "看看"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == "pending"
    assert not AuditEvent.objects.filter(action="unmask").exists()


def test_anonymous_readers_are_sent_to_log_in(client, catalogue, frozen):
    for url in _urls(catalogue, submit(catalogue)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_the_editor_start_page_and_nav_lead_to_the_programme(as_user, editor, world):
    html = as_user(editor).get("/").content.decode()
    assert 'href="/woodpecker/editor/reports/"' in html
    assert 'href="/woodpecker/editor/">纠错有奖</a>' in html
    assert 'role="search"' not in html  # an editor has no resident to look for


# --- editors: the queue and judging -------------------------------------------------------------


def _flood(catalogue, count: int) -> None:
    """`count` reports from one client, straight into the table (as a flood would leave it)."""
    base = NOW - timedelta(days=3)
    Report.objects.bulk_create(
        [
            Report(
                receipt=f"ZM2210-F{index:05d}",
                round=catalogue.october_round,
                issue=catalogue.october,
                page=catalogue.october_page,
                page_number=3,
                article=catalogue.poem,
                article_title="十月红",
                quoted="快马加鞭下鞍",
                correction="快马加鞭未下鞍",
                reader_name=f"读者{index}",
                contact=f"139{index:08d}",
                contact_key=f"139{index:08d}",
                client_key="flood",
                submitted_at=base + timedelta(seconds=index),
                passage_start=12,
                passage_end=19,
            )
            for index in range(count)
        ],
        batch_size=500,
    )


def test_the_queue_costs_the_same_queries_with_a_flood_of_reports(
    as_user, catalogue, editor, frozen, django_assert_max_num_queries
):
    client = as_user(editor)
    _flood(catalogue, 3)
    client.get("/woodpecker/editor/reports/")
    with django_assert_max_num_queries(9) as few:  # session 1+3, user, count, rows, lists 2
        client.get("/woodpecker/editor/reports/")
    Report.objects.all().delete()
    _flood(catalogue, 1000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/woodpecker/editor/reports/")
    html = response.content.decode()
    assert html.count("<tr data-report=") == 30
    assert "共 1000 条" in html
    assert "139****0000" in html and "13900000000" not in html  # contacts masked in the list


def test_a_report_in_a_flood_opens_with_a_bounded_number_of_queries(
    as_user, catalogue, editor, frozen, django_assert_max_num_queries
):
    _flood(catalogue, 1000)
    report = Report.objects.order_by("-id").first()
    client = as_user(editor)
    with django_assert_max_num_queries(12):
        response = client.get(f"/woodpecker/editor/reports/{report.pk}/")
    assert response.status_code == 200
    assert response.content.decode().count('<li data-report="') == 20  # duplicates capped


def test_the_report_opens_beside_its_article_with_the_passage_marked(
    as_user, catalogue, editor, frozen
):
    services.article_save(
        actor=editor,
        page=catalogue.october_page,
        title="十月红",
        text="<em>注</em>：" + catalogue.poem.text,
        article=catalogue.poem,
    )
    report = submit(catalogue)
    html = as_user(editor).get(f"/woodpecker/editor/reports/{report.pk}/").content.decode()
    assert '<mark id="passage" class="wp-passage">快马加鞭未下鞍</mark>' in html
    assert "&lt;em&gt;注&lt;/em&gt;" in html and "<em>注</em>" not in html
    assert "已在正文中找到最接近的一段（相差 1 处）" in html
    assert "138****5678" in html and "13812345678" not in html


def test_the_editor_judges_on_the_page_and_moves_to_the_next_report(
    as_user, catalogue, editor, frozen
):
    first = submit(catalogue, contact="13800000001")
    second = submit(catalogue, contact="13800000002", at=NOW + timedelta(minutes=1))
    client = as_user(editor)
    html = client.get(f"/woodpecker/editor/reports/{second.pk}/").content.decode()
    assert first.receipt in html  # a likely duplicate
    response = client.post(
        f"/woodpecker/editor/reports/{first.pk}/", {"verdict": "valid", "severity": "moderate"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/woodpecker/editor/reports/{second.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert f"已将 {first.receipt} 评为有效（一般（用词不当、语法），2 分）。" in html
    assert f'<option value="{first.pk}">' in html  # now a candidate original
    client.post(
        f"/woodpecker/editor/reports/{second.pk}/",
        {"verdict": "duplicate", "duplicate_of": first.pk},
    )
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == ("duplicate", first.pk)
    html = client.post(
        f"/woodpecker/editor/reports/{first.pk}/", {"verdict": "valid"}
    ).content.decode()
    assert services.MSG_SEVERITY_NEEDED in html


def test_the_contact_is_shown_whole_only_with_a_reason_and_audited(
    as_user, catalogue, editor, frozen
):
    report = submit(catalogue)
    client = as_user(editor)
    html = client.post(
        f"/woodpecker/editor/reports/{report.pk}/contact/", {"reason": ""}, **HTMX
    ).content.decode()
    assert "13812345678" not in html
    html = client.post(
        f"/woodpecker/editor/reports/{report.pk}/contact/", {"reason": "联系发奖"}, **HTMX
    ).content.decode()
    assert "13812345678" in html
    assert (
        AuditEvent.objects.filter(action="unmask", object_id=report.receipt, actor=editor).count()
        == 1
    )


def test_the_editor_links_a_report_to_the_right_article(as_user, catalogue, editor, frozen):
    report = submit(catalogue, article_id=None, page_number=4, article_title="不知道哪篇")
    assert report.article is None
    as_user(editor).post(
        f"/woodpecker/editor/reports/{report.pk}/article/", {"article": catalogue.poem.pk}
    )
    report.refresh_from_db()
    assert report.article == catalogue.poem and report.page_number == 3
    assert report.passage_start is not None


# --- editors: catalogue, rounds, ledger ---------------------------------------------------------


def test_the_editor_catalogues_a_publication_issue_page_and_an_uploaded_article(
    as_user, db, editor
):
    client = as_user(editor)
    client.post(
        "/woodpecker/editor/catalogue/",
        {"action": "publication", "pub-name": "社区晨报", "pub-description": ""},
    )
    publication = Publication.objects.get()
    response = client.post(
        "/woodpecker/editor/catalogue/",
        {
            "action": "issue",
            "issue-publication": publication.pk,
            "issue-number": 121,
            "issue-published_on": "2022-11-09",
        },
    )
    issue = Issue.objects.get()
    assert response["Location"] == f"/woodpecker/editor/issues/{issue.pk}/"
    assert issue.round.label == "2022年11月"
    client.post(
        f"/woodpecker/editor/issues/{issue.pk}/",
        {"action": "page", "page-number": 2, "page-name": "社区"},
    )
    page = Page.objects.get()
    text = "立冬那天，绿园八村的居民们一起腌咸菜。\r\n老人们说，这是上海人的老习惯。"
    upload = SimpleUploadedFile("立冬.txt", text.encode("gbk"), content_type="text/plain")
    response = client.post(
        f"/woodpecker/editor/pages/{page.pk}/articles/new/",
        {
            "page": page.pk,
            "title": "立冬腌菜",
            "author": "",
            "section": "",
            "text": "",
            "upload": upload,
        },
    )
    article = Article.objects.get()
    assert response["Location"] == f"/woodpecker/editor/articles/{article.pk}/"
    assert article.text == text.replace("\r\n", "\n")


def test_an_upload_that_is_not_text_is_refused(as_user, catalogue, editor):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 \x00\x01", content_type="application/pdf")
    html = (
        as_user(editor)
        .post(
            f"/woodpecker/editor/pages/{catalogue.october_page.pk}/articles/new/",
            {"page": catalogue.october_page.pk, "title": "扫描件", "upload": upload},
        )
        .content.decode()
    )
    assert "请上传 .txt 纯文本文件" in html


def test_the_round_page_ranks_confirms_announces_and_records_the_ledger(as_user, catalogue, editor):
    best = in_september(catalogue, 0, reader_name="小飞", contact="13900000001")
    other = in_september(
        catalogue,
        5,
        reader_name="风行天下",
        is_nickname=True,
        contact="fx_tx01",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    for report, severity in ((best, "major"), (other, "minor")):
        services.report_judge(actor=editor, report=report, verdict="valid", severity=severity)
    client = as_user(editor)
    html = client.get("/woodpecker/editor/rounds/2022-09/").content.decode()
    announcement = "2022年9月优秀“啄木鸟”:风行天下(昵称)\n2022年9月最佳“啄木鸟”:小飞"
    assert f">{announcement}</textarea>" in html
    assert 'data-copy="#announcement"' in html
    client.post("/woodpecker/editor/rounds/2022-09/confirm/")
    assert Award.objects.count() == 2
    html = client.get("/woodpecker/editor/rounds/2022-09/").content.decode()
    assert f">{announcement}</textarea>" in html and "登记发放" in html
    assert "撤销确认</button>" in html
    award = Award.objects.get(kind="best")
    client.post(
        f"/woodpecker/editor/awards/{award.pk}/ledger/",
        {
            f"award{award.pk}-handed_over_on": str(timezone.localdate()),
            f"award{award.pk}-received_by": "小飞",
            f"award{award.pk}-cash_yuan": 100,
        },
    )
    entry = LedgerEntry.objects.get()
    html = client.get("/woodpecker/editor/rounds/2022-09/").content.decode()
    assert "撤销确认</button>" not in html and "评奖不能再撤销" in html
    assert (entry.cash_yuan, entry.received_by, entry.recorded_by) == (100, "小飞", editor)
    html = client.get("/woodpecker/editor/ledger/").content.decode()
    assert "已发奖金 <strong>100</strong> 元" in html and "待发 0 元" in html
    assert "已发纪念品 <strong>0</strong> 份，待发 1 份" in html


def test_confirming_an_open_round_is_refused_on_the_page(as_user, catalogue, editor, frozen):
    submit(catalogue)
    client = as_user(editor)
    response = client.post("/woodpecker/editor/rounds/2022-10/confirm/", follow=True)
    assert "2022年10月的评选尚未截止" in response.content.decode()
    assert not Award.objects.exists()


def test_the_round_settings_are_edited_on_the_page(as_user, catalogue, editor):
    as_user(editor).post(
        "/woodpecker/editor/rounds/2022-10/settings/",
        {
            "deadline": "2022-11-03T20:00:00",
            "excellent_count": 5,
            "cash_yuan": 200,
            "souvenir": "保温杯",
        },
    )
    catalogue.october_round.refresh_from_db()
    round_ = catalogue.october_round
    assert timezone.localtime(round_.deadline).replace(tzinfo=None) == datetime(2022, 11, 3, 20, 0)
    assert (round_.excellent_count, round_.cash_yuan, round_.souvenir) == (5, 200, "保温杯")
    assert date(2022, 11, 3) == timezone.localtime(round_.deadline).date()
