"""Reports, judging, ranking and awards through the services.

SPEC 纠错有奖: the first valid report of an error gets the credit; a reader is its contact;
ties go to the earlier report; awards and the ledger.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.core.models import AuditEvent
from jinlin.woodpecker import selectors, services
from jinlin.woodpecker.models import Award, AwardKind, LedgerEntry, Report, ReportStatus
from tests.woodpecker.conftest import NOW, SHANGHAI, in_september, submit

AFTER_SEPTEMBER = datetime(2022, 10, 5, 9, 0, tzinfo=SHANGHAI)


def refusal(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


# --- submitting ---------------------------------------------------------------------------------


def test_a_report_gets_a_receipt_and_its_passage_located(catalogue):
    report = submit(catalogue)
    assert report.receipt.startswith("ZM2210-") and len(report.receipt) == 13
    assert report.status == ReportStatus.PENDING
    assert report.round == catalogue.october_round
    assert report.page == catalogue.october_page
    # "快马加鞭下鞍" is one character short of the printed line: located approximately.
    text = catalogue.poem.text
    assert text[report.passage_start : report.passage_end] == "快马加鞭未下鞍"


def test_required_fields_are_refused_together_with_chinese_messages(catalogue):
    with pytest.raises(ValidationError) as caught:
        submit(catalogue, quoted=" ", correction="", reader_name="", contact="")
    errors = refusal(caught.value)
    assert errors["quoted"] == [services.MSG_QUOTED_NEEDED]
    assert errors["correction"] == [services.MSG_CORRECTION_NEEDED]
    assert errors["reader_name"] == [services.MSG_NAME_NEEDED_READER]
    assert errors["contact"] == [services.MSG_CONTACT_NEEDED]
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"issue_id": None}, "issue", services.MSG_ISSUE_NEEDED),
        ({"issue_id": 999999}, "issue", services.MSG_ISSUE_UNKNOWN),
        (
            {"issue_id": None, "publication": "社区晨报", "issue_number": 7},
            "issue",
            services.MSG_ISSUE_UNKNOWN,
        ),
        (
            {"issue_id": None, "publication": "人民日报", "issue_number": 120},
            "issue",
            services.MSG_ISSUE_UNKNOWN,
        ),
        (
            {"page_number": 9, "article_id": None, "article_title": "十月红"},
            "page_number",
            "这一期没有第9版",
        ),
        ({"page_number": 2}, "article", "这篇文章不在第2版"),
        (
            {"article_id": None, "article_title": ""},
            "article_title",
            services.MSG_ARTICLE_TITLE_NEEDED,
        ),
        ({"contact": "请打电话给我"}, "contact", services.MSG_CONTACT_INVALID),
        ({"correction": "快马加鞭下鞍"}, "correction", services.MSG_SAME_AS_QUOTED),
        ({"quoted": "字" * 501}, "quoted", "内容过长（最多 500 字）"),
        ({"explanation": "理" * 1001}, "explanation", "内容过长（最多 1000 字）"),
        ({"reader_name": "名" * 41}, "reader_name", "内容过长（最多 40 字）"),
    ],
)
def test_bad_reports_are_refused_with_a_clear_message(catalogue, overrides, field, message):
    with pytest.raises(ValidationError) as caught:
        submit(catalogue, **overrides)
    assert refusal(caught.value)[field] == [message]


def test_the_issue_may_be_named_by_publication_and_number_or_date(catalogue):
    by_number = submit(catalogue, issue_id=None, publication="社区晨报", issue_number=120)
    by_date = submit(catalogue, issue_id=None, publication="晨报", issue_date=date(2022, 10, 12))
    assert by_number.issue == by_date.issue == catalogue.october


def test_a_typed_title_is_matched_to_the_catalogued_article(catalogue):
    report = submit(catalogue, article_id=None, article_title="《十月红》")
    assert report.article == catalogue.poem
    assert report.passage_start is not None


def test_an_uncatalogued_article_is_kept_by_title_and_linked_when_catalogued(catalogue, editor):
    report = submit(
        catalogue, article_id=None, page_number=4, article_title="秋日菜谱", quoted="红烧肉要放冰糖"
    )
    assert report.article is None and report.page.number == 4
    article = services.article_save(
        actor=editor, page=report.page, title="秋日菜谱", text="红烧肉要放冰糖和老抽，小火慢炖。"
    )
    report.refresh_from_db()
    assert report.article == article
    assert (report.passage_start, report.passage_end) == (0, 7)


def test_html_is_stored_as_typed_and_control_characters_dropped(catalogue):
    report = submit(
        catalogue,
        quoted="快马加鞭下鞍<script>alert(1)</script>",
        reader_name="小飞\x00\u202e",
        explanation="第一行\r\n第二行",
    )
    assert report.quoted == "快马加鞭下鞍<script>alert(1)</script>"
    assert report.reader_name == "小飞"
    assert report.explanation == "第一行\n第二行"


def test_the_contact_is_normalised_so_one_reader_is_one_key(catalogue):
    first = submit(catalogue, contact="+86 138-1234-5678")
    second = submit(catalogue, contact="１３８１２３４５６７８")
    assert first.contact_key == second.contact_key == "13812345678"


# --- judging ------------------------------------------------------------------------------------


def test_only_editors_judge(catalogue, secretary, worker_in, admin):
    report = submit(catalogue)
    for persona in (secretary, worker_in, admin):
        with pytest.raises(PermissionDenied):
            services.report_judge(actor=persona, report=report, verdict="valid", severity="minor")


def test_a_valid_report_needs_a_severity_which_gives_its_points(catalogue, editor):
    report = submit(catalogue)
    with pytest.raises(ValidationError) as caught:
        services.report_judge(actor=editor, report=report, verdict="valid")
    assert refusal(caught.value)["severity"] == [services.MSG_SEVERITY_NEEDED]
    judged = services.report_judge(actor=editor, report=report, verdict="valid", severity="major")
    assert (judged.status, judged.points) == ("valid", 3)
    assert AuditEvent.objects.filter(object_id=report.receipt, action="change").exists()


def test_points_per_severity_are_a_setting_copied_into_the_round(db, editor, settings):
    settings.WOODPECKER = {"POINTS": {"minor": 2, "moderate": 5, "major": 10}, "EXCELLENT_COUNT": 3}
    round_ = services.round_ensure(year=2030, month=1)
    assert round_.points == {"minor": 2, "moderate": 5, "major": 10}
    assert round_.excellent_count == 3


def test_a_duplicate_must_point_at_an_earlier_valid_report_of_the_same_issue(catalogue, editor):
    first = submit(catalogue, contact="13800000001")
    second = submit(catalogue, contact="13800000002", at=NOW.replace(minute=5))
    other_issue = in_september(catalogue, 0)

    def judge(report, **kwargs):
        return services.report_judge(actor=editor, report=report, verdict="duplicate", **kwargs)

    cases = [
        ({}, services.MSG_DUPLICATE_NEEDED),
        ({"duplicate_of": second}, services.MSG_DUPLICATE_SELF),
        ({"duplicate_of": other_issue}, services.MSG_DUPLICATE_OTHER_ISSUE),
        ({"duplicate_of": first}, services.MSG_DUPLICATE_NOT_VALID),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValidationError) as caught:
            judge(second, **kwargs)
        assert refusal(caught.value)["duplicate_of"] == [message]
    services.report_judge(actor=editor, report=second, verdict="valid", severity="minor")
    with pytest.raises(ValidationError) as caught:
        judge(first, duplicate_of=second)
    assert refusal(caught.value)["duplicate_of"] == [services.MSG_DUPLICATE_LATER]
    services.report_judge(actor=editor, report=first, verdict="valid", severity="minor")
    services.report_judge(actor=editor, report=second, verdict="duplicate", duplicate_of=first)
    second.refresh_from_db()
    assert (second.status, second.points, second.duplicate_of) == ("duplicate", 0, first)


def test_a_report_others_duplicate_stays_valid_until_they_are_judged_again(catalogue, editor):
    first = submit(catalogue, contact="13800000001")
    second = submit(catalogue, contact="13800000002", at=NOW.replace(minute=5))
    services.report_judge(actor=editor, report=first, verdict="valid", severity="minor")
    services.report_judge(actor=editor, report=second, verdict="duplicate", duplicate_of=first)
    with pytest.raises(ValidationError) as caught:
        services.report_judge(actor=editor, report=first, verdict="invalid")
    assert refusal(caught.value)["verdict"] == [services.MSG_HAS_DUPLICATES.format(n=1)]


def test_likely_duplicates_are_overlapping_passages_of_the_same_article_earliest_first(catalogue):
    later = submit(catalogue, contact="13800000003", at=NOW.replace(minute=30), quoted="加鞭未下鞍")
    first = submit(catalogue, contact="13800000001", at=NOW.replace(minute=1))
    elsewhere = submit(catalogue, contact="13800000004", quoted="离天三尺三", correction="离天三尺")
    middle = submit(catalogue, contact="13800000002", at=NOW.replace(minute=10), quoted="快马加鞭")
    view = selectors.report_view(later)
    assert [r.pk for r in view.duplicates] == [first.pk, middle.pk]
    assert elsewhere not in view.duplicates


# --- ranking and awards -------------------------------------------------------------------------


def _judge(editor, report, verdict="valid", severity="minor", duplicate_of=None):
    return services.report_judge(
        actor=editor, report=report, verdict=verdict, severity=severity, duplicate_of=duplicate_of
    )


def test_one_reader_with_two_nicknames_is_one_reader(catalogue, editor):
    a = in_september(catalogue, 0, reader_name="风行天下", is_nickname=True, contact="13900000001")
    b = in_september(
        catalogue,
        5,
        reader_name="风行",
        is_nickname=True,
        contact="139 0000 0001",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    c = in_september(
        catalogue,
        9,
        reader_name="叶玲珠",
        contact="13900000002",
        quoted="包了饺子",
        correction="包了馄饨",
    )
    _judge(editor, a, severity="moderate")
    _judge(editor, b, severity="moderate")
    _judge(editor, c, severity="major")
    standings = selectors.round_result(catalogue.september_round).standings
    assert [(s.display_name, s.points) for s in standings] == [("风行", 4), ("叶玲珠", 3)]


def test_duplicates_earn_nothing_and_ties_go_to_the_earlier_last_scoring_report(catalogue, editor):
    early = in_september(catalogue, 0, reader_name="陈霖源", contact="13900000001")
    copy = in_september(catalogue, 1, reader_name="严志彬", contact="13900000002")
    late = in_september(
        catalogue,
        30,
        reader_name="严志彬",
        contact="13900000002",
        quoted="包了饺子",
        correction="包了馄饨",
    )
    tie = in_september(
        catalogue,
        20,
        reader_name="小飞",
        contact="13900000003",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    _judge(editor, early)
    _judge(editor, copy, verdict="duplicate", severity="", duplicate_of=early)
    _judge(editor, late)
    _judge(editor, tie)
    result = selectors.round_result(catalogue.september_round)
    # All have 1 point; 陈霖源 scored first (minute 0), then 小飞 (20), then 严志彬 (30).
    assert [s.display_name for s in result.standings] == ["陈霖源", "小飞", "严志彬"]
    assert result.announcement == "2022年9月优秀“啄木鸟”:小飞、严志彬\n2022年9月最佳“啄木鸟”:陈霖源"


def test_awards_are_confirmed_only_after_the_deadline_and_full_judging(catalogue, editor, frozen):
    first = in_september(catalogue, 0, reader_name="小飞", contact="13900000001")
    second = in_september(
        catalogue,
        5,
        reader_name="abbill",
        is_nickname=True,
        contact="abbill_wx",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    round_ = catalogue.september_round
    with pytest.raises(ValidationError) as caught:
        services.round_confirm_awards(
            actor=editor, round_=round_, now=datetime(2022, 10, 1, 23, 0, tzinfo=SHANGHAI)
        )
    assert "尚未截止" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        services.round_confirm_awards(actor=editor, round_=round_, now=AFTER_SEPTEMBER)
    assert caught.value.messages == [services.MSG_ROUND_PENDING.format(n=2)]
    _judge(editor, first, severity="major")
    _judge(editor, second, severity="minor")
    confirmed = services.round_confirm_awards(actor=editor, round_=round_, now=AFTER_SEPTEMBER)
    assert confirmed.announcement == (
        "2022年9月优秀“啄木鸟”:abbill(昵称)\n2022年9月最佳“啄木鸟”:小飞"
    )
    awards = list(Award.objects.order_by("position"))
    assert [(a.kind, a.display_name, a.cash_yuan, a.souvenir) for a in awards] == [
        (AwardKind.BEST, "小飞", 100, ""),
        (AwardKind.EXCELLENT, "abbill", 0, "纪念品"),
    ]
    with pytest.raises(ValidationError):
        _judge(editor, second, severity="major")  # locked once confirmed


def test_the_ledger_records_cash_and_souvenirs_and_then_locks_the_awards(catalogue, editor, frozen):
    best = in_september(catalogue, 0, reader_name="小飞", contact="13900000001")
    excellent = in_september(
        catalogue,
        5,
        reader_name="叶玲珠",
        contact="13900000002",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    _judge(editor, best, severity="major")
    _judge(editor, excellent)
    round_ = services.round_confirm_awards(
        actor=editor, round_=catalogue.september_round, now=AFTER_SEPTEMBER
    )
    cash, souvenir = Award.objects.order_by("position")
    with pytest.raises(ValidationError) as caught:
        services.ledger_record(actor=editor, award=cash, handed_over_on=None, received_by="")
    assert set(refusal(caught.value)) == {"handed_over_on", "received_by"}
    services.ledger_record(
        actor=editor, award=cash, handed_over_on=date(2022, 10, 20), received_by="小飞"
    )
    services.ledger_record(
        actor=editor,
        award=souvenir,
        handed_over_on=date(2022, 10, 20),
        received_by="叶玲珠",
        note="帆布袋",
    )
    assert [(e.cash_yuan, e.souvenir) for e in LedgerEntry.objects.order_by("award__position")] == [
        (100, ""),
        (0, "纪念品"),
    ]
    with pytest.raises(ValidationError):
        services.ledger_record(
            actor=editor, award=cash, handed_over_on=date(2022, 10, 20), received_by="小飞"
        )
    with pytest.raises(ValidationError) as caught:
        services.round_reopen_awards(actor=editor, round_=round_)
    assert caught.value.messages == [services.MSG_LEDGER_EXISTS]
    totals = selectors.ledger()
    assert (totals["cash_paid"], totals["souvenirs_handed"], totals["cash_owed"]) == (100, 1, 0)


def test_reopening_a_confirmation_allows_judging_again(catalogue, editor):
    report = in_september(catalogue, 0)
    _judge(editor, report)
    round_ = services.round_confirm_awards(
        actor=editor, round_=catalogue.september_round, now=AFTER_SEPTEMBER
    )
    services.round_reopen_awards(actor=editor, round_=round_)
    assert not Award.objects.exists()
    _judge(editor, report, severity="major")


def test_revealing_a_contact_needs_a_reason_and_is_audited(catalogue, editor):
    report = submit(catalogue)
    with pytest.raises(ValidationError):
        services.contact_reveal(actor=editor, report=report, reason=" ")
    assert services.contact_reveal(actor=editor, report=report, reason="联系发奖") == "13812345678"
    event = AuditEvent.objects.get(action="unmask")
    assert (event.object_type, event.object_id, event.fields, event.reason) == (
        "woodpecker_report",
        report.receipt,
        ["contact"],
        "联系发奖",
    )


def test_the_catalogue_refuses_clashes_and_keeps_reports_in_their_month(catalogue, editor):
    with pytest.raises(ValidationError):
        services.publication_save(actor=editor, name="社区晨报")
    with pytest.raises(ValidationError):
        services.issue_save(
            actor=editor, publication=catalogue.morning, number=120, published_on=date(2022, 10, 1)
        )
    with pytest.raises(ValidationError):
        services.page_save(actor=editor, issue=catalogue.october, number=3)
    submit(catalogue)
    with pytest.raises(ValidationError) as caught:
        services.issue_save(
            actor=editor,
            publication=catalogue.morning,
            number=120,
            published_on=date(2022, 11, 2),
            issue=catalogue.october,
        )
    assert refusal(caught.value)["published_on"] == [services.MSG_ISSUE_MONTH_LOCKED]


def test_editing_an_article_places_its_reports_quotes_again(catalogue, editor):
    report = submit(catalogue)
    before = report.passage_start
    services.article_save(
        actor=editor,
        page=catalogue.october_page,
        title="十月红",
        text="前言。\n" + catalogue.poem.text,
        article=catalogue.poem,
    )
    report.refresh_from_db()
    assert report.passage_start == before + len("前言。\n")
