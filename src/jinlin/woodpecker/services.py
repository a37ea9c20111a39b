"""Writes of the woodpecker programme: catalogue, readers' reports, judging, awards, ledger.

Views, API, the command and the demo call these; none of them writes the models directly.
Each write is transactional and refused whole with a Chinese message (ValidationError keyed by
field), editors' writes are checked here (PermissionDenied) and the ones that matter audited.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Role, User
from jinlin.woodpecker import selectors
from jinlin.woodpecker.conf import default_deadline, setting
from jinlin.woodpecker.locate import locate_passage, normalise_for_matching
from jinlin.woodpecker.models import (
    Article,
    Award,
    AwardKind,
    Channel,
    Issue,
    LedgerEntry,
    Page,
    Publication,
    Report,
    ReportStatus,
    Round,
    Severity,
)
from jinlin.woodpecker.ranking import normalise_contact

MSG_NOT_EDITOR = "只有社区报编辑可以进行此操作"
# Catalogue
MSG_NAME_NEEDED = "请填写报刊名称"
MSG_PUBLICATION_EXISTS = "已有同名报刊"
MSG_ISSUE_NUMBER = "期号应为正整数"
MSG_ISSUE_EXISTS = "该报刊已有这一期"
MSG_ISSUE_DATE_NEEDED = "请填写出版日期"
MSG_ISSUE_MONTH_LOCKED = "该期已有读者报告，出版月份不能再改（报告已计入该月的评选）"
MSG_PAGE_NUMBER = "版次应在 1 到 99 之间"
MSG_PAGE_EXISTS = "该期已有这一版"
MSG_TITLE_NEEDED = "请填写文章标题"
MSG_TEXT_NEEDED = "请填写或上传文章正文"
MSG_TEXT_TOO_LONG = "正文过长（最多 {n} 字）"
MSG_ARTICLE_NOT_IN_ISSUE = "该文章不属于报告所说的这一期"
# Readers' reports
MSG_ISSUE_NEEDED = "请选择报刊和期数"
MSG_ISSUE_UNKNOWN = "没有找到这一期报纸，请核对报刊名称和期号（或出版日期）"
MSG_ISSUE_NOT_OUT = "这一期还没有出版"
MSG_ROUND_CLOSED = "该期属于{round}的评选，已于{deadline}截止，不再受理。{next}"
MSG_NEXT_ROUND = "{round}各期的纠错截至{deadline}。"
MSG_PAGE_NEEDED = "请选择或填写版面"
MSG_PAGE_UNKNOWN = "这一期没有第{n}版"
MSG_ARTICLE_UNKNOWN = "没有找到这篇文章，请从列表中选择或填写标题"
MSG_ARTICLE_NOT_ON_PAGE = "这篇文章不在第{n}版"
MSG_ARTICLE_TITLE_NEEDED = "请选择文章或填写文章标题"
MSG_QUOTED_NEEDED = "请照报上原样抄录有错的文字"
MSG_CORRECTION_NEEDED = "请填写应改为什么（或怎么改）"
MSG_SAME_AS_QUOTED = "改正后的文字与原文相同"
MSG_NAME_NEEDED_READER = "请填写姓名或微信昵称"
MSG_CONTACT_NEEDED = "请留下手机号、微信号或电子邮箱，以便获奖时联系您"
MSG_CONTACT_INVALID = "联系方式应为手机号、微信号或电子邮箱"
MSG_TOO_LONG = "内容过长（最多 {n} 字）"
# Judging
MSG_ROUND_CONFIRMED = "{round}的评奖已确认，不能再修改评判；如需修改，请先撤销确认"
MSG_VERDICT_UNKNOWN = "请选择评判结果：有效、无效或重复"
MSG_SEVERITY_NEEDED = "有效的报告须评定错误等级（轻微、一般或严重）"
MSG_SEVERITY_UNKNOWN = "未知的错误等级"
MSG_DUPLICATE_NEEDED = "请指明与哪一份报告重复"
MSG_DUPLICATE_SELF = "报告不能与自己重复"
MSG_DUPLICATE_OTHER_ISSUE = "只能与同一期的报告重复"
MSG_DUPLICATE_LATER = "只能标为更早提交的报告的重复（最先报告的才得分）"
MSG_DUPLICATE_NOT_VALID = "被重复的报告须先评为有效"
MSG_HAS_DUPLICATES = "有 {n} 份报告被标为这份报告的重复，请先改判它们"
MSG_NOTE_TOO_LONG = "评语最多 200 字"
# Rounds, awards, ledger
MSG_DEADLINE_NEEDED = "请填写截止时间"
MSG_COUNT_RANGE = "名额应在 0 到 100 之间"
MSG_ROUND_STILL_OPEN = "{round}的评选尚未截止（截至{deadline}），截止后才能确认评奖"
MSG_ROUND_PENDING = "还有 {n} 份报告未评判，全部评判后才能确认评奖"
MSG_ALREADY_CONFIRMED = "{round}的评奖已经确认"
MSG_NOT_CONFIRMED = "{round}的评奖尚未确认"
MSG_LEDGER_EXISTS = "该奖项已登记发放，不能撤销确认"
MSG_ALREADY_HANDED = "该奖项已登记发放"
MSG_RECEIVER_NEEDED = "请填写领取人"
MSG_CASH_NEEDED = "请填写发放金额"
MSG_SOUVENIR_NEEDED = "请填写发放的纪念品"
MSG_HANDED_DATE = "发放日期不能晚于今天"
MSG_REASON_NEEDED = "查看完整联系方式须说明事由"

QUOTED_MAX = 500
CORRECTION_MAX = 500
EXPLANATION_MAX = 1000
NAME_MAX = 40
CONTACT_MAX = 100
TITLE_MAX = 120

# C0/C1 controls except tab and newline: never part of a reader's text, and NUL breaks PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")
_CONTACT_SHAPE = re.compile(r"^[0-9a-z_.+@-]{5,64}$")
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Reader or editor text as stored: controls removed, newlines unified, trimmed.

    HTML is kept as typed and escaped wherever it is shown; it is text, not markup.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def can_judge(user: Any) -> bool:
    """Editors judge, catalogue and award; superusers may act for them. Nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.EDITOR


def require_editor(actor: User) -> None:
    if not can_judge(actor):
        raise PermissionDenied(MSG_NOT_EDITOR)


# --- rounds -------------------------------------------------------------------------------------


def round_ensure(*, year: int, month: int) -> Round:
    """The round of a month, created with the settings of the day if it does not exist yet."""
    round_, _ = Round.objects.get_or_create(
        year=year,
        month=month,
        defaults={
            "deadline": default_deadline(year, month),
            "best_count": int(setting("BEST_COUNT")),
            "excellent_count": int(setting("EXCELLENT_COUNT")),
            "cash_yuan": int(setting("CASH_YUAN")),
            "souvenir": str(setting("SOUVENIR")),
            "points": dict(setting("POINTS")),
        },
    )
    return round_


@transaction.atomic
def round_update_settings(
    *,
    actor: User,
    round_: Round,
    deadline: datetime | None,
    excellent_count: int,
    cash_yuan: int,
    souvenir: str,
) -> Round:
    require_editor(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_confirmed:
        raise _refuse("deadline", MSG_ROUND_CONFIRMED.format(round=round_.label))
    if deadline is None:
        raise _refuse("deadline", MSG_DEADLINE_NEEDED)
    if not 0 <= excellent_count <= 100:
        raise _refuse("excellent_count", MSG_COUNT_RANGE)
    souvenir = clean_text(souvenir)[:60] or str(setting("SOUVENIR"))
    round_.deadline = deadline.replace(microsecond=0)
    round_.excellent_count = excellent_count
    round_.cash_yuan = max(0, cash_yuan)
    round_.souvenir = souvenir
    round_.save(update_fields=["deadline", "excellent_count", "cash_yuan", "souvenir"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"修改{round_.label}评选设置",
    )
    return round_


# --- catalogue ----------------------------------------------------------------------------------


@transaction.atomic
def publication_save(
    *, actor: User, name: str, description: str = "", publication: Publication | None = None
) -> Publication:
    require_editor(actor)
    name = clean_text(name)[:40]
    if not name:
        raise _refuse("name", MSG_NAME_NEEDED)
    clash = Publication.objects.filter(name=name)
    if publication is not None:
        clash = clash.exclude(pk=publication.pk)
    if clash.exists():
        raise _refuse("name", MSG_PUBLICATION_EXISTS)
    if publication is None:
        return Publication.objects.create(name=name, description=clean_text(description)[:200])
    publication.name = name
    publication.description = clean_text(description)[:200]
    publication.save(update_fields=["name", "description"])
    return publication


@transaction.atomic
def issue_save(
    *,
    actor: User,
    publication: Publication,
    number: int | None,
    published_on: date | None,
    issue: Issue | None = None,
) -> Issue:
    """An issue joins the round of its month (created if needed)."""
    require_editor(actor)
    if number is None or number < 1:
        raise _refuse("number", MSG_ISSUE_NUMBER)
    if published_on is None:
        raise _refuse("published_on", MSG_ISSUE_DATE_NEEDED)
    clash = Issue.objects.filter(publication=publication, number=number)
    if issue is not None:
        clash = clash.exclude(pk=issue.pk)
    if clash.exists():
        raise _refuse("number", MSG_ISSUE_EXISTS)
    round_ = round_ensure(year=published_on.year, month=published_on.month)
    if issue is None:
        return Issue.objects.create(
            publication=publication, number=number, published_on=published_on, round=round_
        )
    if round_.pk != issue.round_id and issue.reports.exists():
        raise _refuse("published_on", MSG_ISSUE_MONTH_LOCKED)
    issue.publication = publication
    issue.number = number
    issue.published_on = published_on
    issue.round = round_
    issue.save(update_fields=["publication", "number", "published_on", "round"])
    return issue


@transaction.atomic
def page_save(
    *, actor: User, issue: Issue, number: int | None, name: str = "", page: Page | None = None
) -> Page:
    require_editor(actor)
    if number is None or not 1 <= number <= 99:
        raise _refuse("number", MSG_PAGE_NUMBER)
    clash = Page.objects.filter(issue=issue, number=number)
    if page is not None:
        clash = clash.exclude(pk=page.pk)
    if clash.exists():
        raise _refuse("number", MSG_PAGE_EXISTS)
    name = clean_text(name)[:30]
    if page is None:
        page = Page.objects.create(issue=issue, number=number, name=name)
    else:
        page.number, page.name = number, name
        page.save(update_fields=["number", "name"])
    # Reports that named this page by number before it was catalogued now point at it.
    Report.objects.filter(issue=issue, page__isnull=True, page_number=number).update(page=page)
    return page


@transaction.atomic
def article_save(
    *,
    actor: User,
    page: Page,
    title: str,
    text: str,
    author: str = "",
    section: str = "",
    article: Article | None = None,
) -> Article:
    """Saves an article and places its reports' quotes in the (new) text again."""
    require_editor(actor)
    title = clean_text(title)[:TITLE_MAX]
    text = clean_text(text, multiline=True)
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = MSG_TITLE_NEEDED
    limit = int(setting("MAX_ARTICLE_CHARS"))
    if not text:
        errors["text"] = MSG_TEXT_NEEDED
    elif len(text) > limit:
        errors["text"] = MSG_TEXT_TOO_LONG.format(n=limit)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    fields = {
        "page": page,
        "title": title,
        "text": text,
        "author": clean_text(author)[:60],
        "section": clean_text(section)[:40],
    }
    if article is None:
        article = Article.objects.create(**fields, created_at=now, updated_at=now)
    else:
        if page.issue_id != article.page.issue_id and article.reports.exists():
            raise _refuse("page", MSG_ARTICLE_NOT_IN_ISSUE)
        for name, value in fields.items():
            setattr(article, name, value)
        article.updated_at = now
        article.save(update_fields=[*fields, "updated_at"])
    _relocate(article)
    _link_reports_by_title(article)
    return article


def _relocate(article: Article) -> None:
    reports = list(article.reports.only("id", "quoted", "passage_start", "passage_end"))
    for report in reports:
        _place(report, article)
    Report.objects.bulk_update(reports, ["passage_start", "passage_end"], batch_size=500)


def _place(report: Report, article: Article | None) -> None:
    located = locate_passage(article.text, report.quoted) if article is not None else None
    report.passage_start = located.start if located else None
    report.passage_end = located.end if located else None


def _title_key(title: str) -> str:
    return normalise_for_matching(title)[0]


def _link_reports_by_title(article: Article) -> None:
    """Reports of this issue that typed this article's title before it was catalogued."""
    key = _title_key(article.title)
    loose = Report.objects.filter(issue_id=article.page.issue_id, article__isnull=True)
    for report in loose.only("id", "article_title", "quoted", "page_number"):
        if _title_key(report.article_title) == key and report.page_number == article.page.number:
            report.article = article
            report.page_id = article.page_id
            _place(report, article)
            report.save(update_fields=["article", "page", "passage_start", "passage_end"])


# --- readers' reports ---------------------------------------------------------------------------


@dataclass
class ReportInput:
    """A reader's report as sent. The issue is issue_id, or a publication's name with the
    issue's number or date; the article is article_id or a typed title."""

    quoted: str = ""
    correction: str = ""
    reader_name: str = ""
    contact: str = ""
    is_nickname: bool = False
    explanation: str = ""
    issue_id: int | None = None
    publication: str = ""
    issue_number: int | None = None
    issue_date: date | None = None
    page_number: int | None = None
    article_id: int | None = None
    article_title: str = ""


def report_submit(
    *,
    data: ReportInput,
    client_key: str = "",
    channel: str = Channel.FORM,
    now: datetime | None = None,
) -> Report:
    """Accepts a reader's report and gives it a receipt number; refuses it whole otherwise.

    SPEC 纠错有奖: "A report about a month's issues is accepted until that round's deadline".
    """
    now = now or timezone.now()
    errors: dict[str, str] = {}
    fields = {
        "quoted": clean_text(data.quoted, multiline=True),
        "correction": clean_text(data.correction, multiline=True),
        "explanation": clean_text(data.explanation, multiline=True),
        "reader_name": clean_text(data.reader_name),
        "contact": clean_text(data.contact),
        "article_title": clean_text(data.article_title),
    }
    limits = {
        "quoted": QUOTED_MAX,
        "correction": CORRECTION_MAX,
        "explanation": EXPLANATION_MAX,
        "reader_name": NAME_MAX,
        "contact": CONTACT_MAX,
        "article_title": TITLE_MAX,
    }
    for name, limit in limits.items():
        if len(fields[name]) > limit:
            errors[name] = MSG_TOO_LONG.format(n=limit)
    required = {
        "quoted": MSG_QUOTED_NEEDED,
        "correction": MSG_CORRECTION_NEEDED,
        "reader_name": MSG_NAME_NEEDED_READER,
        "contact": MSG_CONTACT_NEEDED,
    }
    for name, message in required.items():
        if not fields[name] and name not in errors:
            errors[name] = message
    if fields["quoted"] and fields["quoted"] == fields["correction"]:
        errors["correction"] = MSG_SAME_AS_QUOTED
    contact_key = normalise_contact(fields["contact"])
    if fields["contact"] and "contact" not in errors and not _CONTACT_SHAPE.match(contact_key):
        errors["contact"] = MSG_CONTACT_INVALID

    issue, page_number, page, article = _resolve_place(data, fields, errors, now)
    if errors or issue is None or page_number is None:
        raise ValidationError(errors)

    report = Report(
        round=issue.round,
        issue=issue,
        page=page,
        page_number=page_number,
        article=article,
        article_title=fields["article_title"] or (article.title if article else ""),
        quoted=fields["quoted"],
        correction=fields["correction"],
        explanation=fields["explanation"],
        reader_name=fields["reader_name"],
        is_nickname=bool(data.is_nickname),
        contact=fields["contact"],
        contact_key=contact_key,
        client_key=client_key[:32],
        channel=channel,
        submitted_at=now,
    )
    _place(report, article)
    for _ in range(5):
        report.receipt = _new_receipt(now)
        try:
            with transaction.atomic():
                report.save()
            return report
        except IntegrityError:  # pragma: no cover - a receipt collision, 1 in ~10⁹
            report.pk = None
    raise RuntimeError("could not issue a receipt number")  # pragma: no cover


def _new_receipt(now: datetime) -> str:
    local = timezone.localtime(now)
    tail = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))
    return f"ZM{local:%y%m}-{tail}"


def _resolve_place(
    data: ReportInput, fields: dict[str, str], errors: dict[str, str], now: datetime
) -> tuple[Issue | None, int | None, Page | None, Article | None]:
    """Issue, page number, page and article of a report; adds a message to `errors` for what
    is wrong. A page is catalogued or, for an issue without pages yet, only a number."""
    issue = selectors.find_issue(
        issue_id=data.issue_id,
        publication=clean_text(data.publication),
        number=data.issue_number,
        on=data.issue_date,
    )
    if issue is None:
        named = data.issue_id or data.publication or data.issue_number or data.issue_date
        errors["issue"] = MSG_ISSUE_UNKNOWN if named else MSG_ISSUE_NEEDED
        return None, None, None, None
    if issue.published_on > timezone.localdate(now):
        errors["issue"] = MSG_ISSUE_NOT_OUT
        return None, None, None, None
    if not issue.round.is_open_at(now):
        errors["issue"] = round_closed_message(issue.round, now)
        return None, None, None, None

    article: Article | None = None
    if data.article_id:
        article = (
            Article.objects.select_related("page")
            .filter(pk=data.article_id, page__issue=issue)
            .first()
        )
        if article is None:
            errors["article"] = MSG_ARTICLE_UNKNOWN
            return issue, None, None, None
    page_number = data.page_number or (article.page.number if article else None)
    page: Page | None = None
    if page_number is None:
        errors["page_number"] = MSG_PAGE_NEEDED
    elif not 1 <= page_number <= 99:
        errors["page_number"] = MSG_PAGE_NUMBER
    else:
        pages = {p.number: p for p in issue.pages.all()}
        page = pages.get(page_number)
        if pages and page is None:
            errors["page_number"] = MSG_PAGE_UNKNOWN.format(n=page_number)
    if article is not None and page is not None and article.page_id != page.pk:
        errors["article"] = MSG_ARTICLE_NOT_ON_PAGE.format(n=page.number)
    if article is None and fields["article_title"] and page is not None:
        key = _title_key(fields["article_title"])
        article = next((a for a in page.articles.all() if _title_key(a.title) == key), None)
    if article is None and not fields["article_title"]:
        errors["article_title"] = MSG_ARTICLE_TITLE_NEEDED
    return issue, page_number, page, article


def round_closed_message(round_: Round, now: datetime) -> str:
    """ "…已于…截止，不再受理。" and when the round now open ends."""
    upcoming = selectors.next_deadline(now)
    next_part = (
        MSG_NEXT_ROUND.format(
            round=upcoming.label, deadline=selectors.deadline_label(upcoming.deadline)
        )
        if upcoming
        else ""
    )
    return MSG_ROUND_CLOSED.format(
        round=round_.label, deadline=selectors.deadline_label(round_.deadline), next=next_part
    )


@transaction.atomic
def report_link_article(*, actor: User, report: Report, article: Article | None) -> Report:
    """The editor names the article a report is about (the reader may have typed its title)."""
    require_editor(actor)
    if article is not None and article.page.issue_id != report.issue_id:
        raise _refuse("article", MSG_ARTICLE_NOT_IN_ISSUE)
    report.article = article
    if article is not None:
        report.page = article.page
        report.page_number = article.page.number
    _place(report, article)
    report.save(update_fields=["article", "page", "page_number", "passage_start", "passage_end"])
    return report


@transaction.atomic
def report_judge(
    *,
    actor: User,
    report: Report,
    verdict: str,
    severity: str = "",
    duplicate_of: Report | None = None,
    note: str = "",
) -> Report:
    """Valid (graded, earns points), invalid, or a duplicate of an earlier valid report.

    SPEC 纠错有奖: "the **first** valid report of an error gets the credit" — so a duplicate
    points at an earlier report of the same issue that is itself valid, and a valid report
    that others duplicate cannot stop being valid until they are judged again.
    """
    require_editor(actor)
    report = Report.objects.select_for_update().select_related("round").get(pk=report.pk)
    round_ = report.round
    if round_.is_confirmed:
        raise _refuse("verdict", MSG_ROUND_CONFIRMED.format(round=round_.label))
    note = clean_text(note)
    if len(note) > 200:
        raise _refuse("note", MSG_NOTE_TOO_LONG)
    if verdict not in {ReportStatus.VALID, ReportStatus.INVALID, ReportStatus.DUPLICATE}:
        raise _refuse("verdict", MSG_VERDICT_UNKNOWN)
    if verdict == ReportStatus.VALID:
        if not severity:
            raise _refuse("severity", MSG_SEVERITY_NEEDED)
        if severity not in Severity.values:
            raise _refuse("severity", MSG_SEVERITY_UNKNOWN)
    else:
        severity = ""
    if verdict == ReportStatus.DUPLICATE:
        if duplicate_of is not None:  # as it is now, not as the caller last read it
            duplicate_of = Report.objects.select_for_update().filter(pk=duplicate_of.pk).first()
        _check_duplicate_target(report, duplicate_of)
    else:
        duplicate_of = None
    if verdict != ReportStatus.VALID:
        held = report.duplicates.count()
        if held:
            raise _refuse("verdict", MSG_HAS_DUPLICATES.format(n=held))

    report.status = verdict
    report.severity = severity
    report.points = int(round_.points.get(severity, 0)) if severity else 0
    report.duplicate_of = duplicate_of
    report.judge_note = note
    report.judged_by = actor
    report.judged_at = timezone.now()
    report.save(
        update_fields=[
            "status",
            "severity",
            "points",
            "duplicate_of",
            "judge_note",
            "judged_by",
            "judged_at",
        ]
    )
    label = ReportStatus(verdict).label + (f"（{Severity(severity).label}）" if severity else "")
    if duplicate_of is not None:
        label += f"，重复于 {duplicate_of.receipt}"
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_report",
        object_id=report.receipt,
        reason=f"评判：{label}",
    )
    return report


def _check_duplicate_target(report: Report, original: Report | None) -> None:
    if original is None:
        raise _refuse("duplicate_of", MSG_DUPLICATE_NEEDED)
    if original.pk == report.pk:
        raise _refuse("duplicate_of", MSG_DUPLICATE_SELF)
    if original.issue_id != report.issue_id:
        raise _refuse("duplicate_of", MSG_DUPLICATE_OTHER_ISSUE)
    if (original.submitted_at, original.pk) > (report.submitted_at, report.pk):
        raise _refuse("duplicate_of", MSG_DUPLICATE_LATER)
    if original.status != ReportStatus.VALID:
        raise _refuse("duplicate_of", MSG_DUPLICATE_NOT_VALID)


def contact_reveal(
    *, actor: User, report: Report, reason: str, request: HttpRequest | None = None
) -> str:
    """The whole contact of a reader (to hand over a prize), for an editor, with a reason; audited."""
    require_editor(actor)
    reason = clean_text(reason)
    if not reason:
        raise _refuse("reason", MSG_REASON_NEEDED)
    audit(
        actor=actor,
        action=AuditEvent.Action.UNMASK,
        object_type="woodpecker_report",
        object_id=report.receipt,
        fields=["contact"],
        reason=reason,
        request=request,
    )
    return report.contact


# --- awards and the ledger ----------------------------------------------------------------------


@transaction.atomic
def round_confirm_awards(*, actor: User, round_: Round, now: datetime | None = None) -> Round:
    """Freezes the ranking of a closed, fully judged round into awards and its announcement."""
    require_editor(actor)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_confirmed:
        raise _refuse("round", MSG_ALREADY_CONFIRMED.format(round=round_.label))
    if round_.is_open_at(now):
        raise _refuse(
            "round",
            MSG_ROUND_STILL_OPEN.format(
                round=round_.label, deadline=selectors.deadline_label(round_.deadline)
            ),
        )
    pending = round_.reports.filter(status=ReportStatus.PENDING).count()
    if pending:
        raise _refuse("round", MSG_ROUND_PENDING.format(n=pending))
    result = selectors.round_result(round_)
    position = 0
    for kind, standings in (
        (AwardKind.BEST, result.awards.best),
        (AwardKind.EXCELLENT, result.awards.excellent),
    ):
        for standing in standings:
            position += 1
            Award.objects.create(
                round=round_,
                kind=kind,
                position=position,
                reader_key=standing.reader_key,
                display_name=standing.display_name[:40],
                is_nickname=standing.is_nickname,
                points=standing.points,
                report_id=result.latest_report_ids[standing.reader_key],
                cash_yuan=round_.cash_yuan if kind == AwardKind.BEST else 0,
                souvenir=round_.souvenir if kind == AwardKind.EXCELLENT else "",
            )
    round_.confirmed_at = now
    round_.confirmed_by = actor
    round_.announcement = result.announcement
    round_.save(update_fields=["confirmed_at", "confirmed_by", "announcement"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"确认{round_.label}评奖：{position} 人获奖",
    )
    return round_


@transaction.atomic
def round_reopen_awards(*, actor: User, round_: Round) -> Round:
    """Withdraws a confirmation (to correct a judgement), as long as nothing was handed over."""
    require_editor(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_confirmed:
        raise _refuse("round", MSG_NOT_CONFIRMED.format(round=round_.label))
    if LedgerEntry.objects.filter(award__round=round_).exists():
        raise _refuse("round", MSG_LEDGER_EXISTS)
    round_.awards.all().delete()
    round_.confirmed_at = None
    round_.confirmed_by = None
    round_.announcement = ""
    round_.save(update_fields=["confirmed_at", "confirmed_by", "announcement"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"撤销{round_.label}评奖确认",
    )
    return round_


@transaction.atomic
def ledger_record(
    *,
    actor: User,
    award: Award,
    handed_over_on: date | None,
    received_by: str,
    cash_yuan: int | None = None,
    souvenir: str = "",
    note: str = "",
) -> LedgerEntry:
    """Records the cash paid to a best woodpecker or the souvenir handed to an excellent one."""
    require_editor(actor)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if LedgerEntry.objects.filter(award=award).exists():
        raise _refuse("award", MSG_ALREADY_HANDED)
    received_by = clean_text(received_by)[:40]
    errors: dict[str, str] = {}
    if handed_over_on is None or handed_over_on > timezone.localdate():
        errors["handed_over_on"] = MSG_HANDED_DATE
    if not received_by:
        errors["received_by"] = MSG_RECEIVER_NEEDED
    souvenir = clean_text(souvenir)[:60]
    if award.kind == AwardKind.BEST:
        cash_yuan = award.cash_yuan if cash_yuan is None else cash_yuan
        if cash_yuan is None or cash_yuan <= 0:
            errors["cash_yuan"] = MSG_CASH_NEEDED
    else:
        souvenir = souvenir or award.souvenir
        if not souvenir:
            errors["souvenir"] = MSG_SOUVENIR_NEEDED
    if errors:
        raise ValidationError(errors)
    entry = LedgerEntry.objects.create(
        award=award,
        cash_yuan=(cash_yuan or 0) if award.kind == AwardKind.BEST else 0,
        souvenir=souvenir if award.kind == AwardKind.EXCELLENT else "",
        handed_over_on=handed_over_on,
        received_by=received_by,
        note=clean_text(note)[:200],
        recorded_by=actor,
    )
    what = f"奖金 {entry.cash_yuan} 元" if entry.cash_yuan else f"纪念品 {entry.souvenir}"
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_award",
        object_id=award.pk,
        reason=f"登记发放：{award.round.label} {award.get_kind_display()} {what}",
    )
    return entry
