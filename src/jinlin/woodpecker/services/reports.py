"""A reader's report: checked whole, placed in the catalogue, given a receipt number."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jinlin.woodpecker.models import Article, Channel, Issue, Page, Report
from jinlin.woodpecker.ranking import normalise_contact
from jinlin.woodpecker.selectors.catalogue import find_issue, round_closed_message
from jinlin.woodpecker.services.catalogue import MSG_PAGE_NUMBER, place_report, title_key
from jinlin.woodpecker.services.common import (
    CONTACT_MAX,
    CORRECTION_MAX,
    EXPLANATION_MAX,
    NAME_MAX,
    QUOTED_MAX,
    TITLE_MAX,
    clean_text,
)

MSG_ISSUE_NEEDED = "请选择报刊和期数"
MSG_ISSUE_UNKNOWN = "没有找到这一期报纸，请核对报刊名称和期号（或出版日期）"
MSG_ISSUE_NOT_OUT = "这一期还没有出版"
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


_CONTACT_SHAPE = re.compile(r"^[0-9a-z_.+@-]{5,64}$")
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


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
    place_report(report, article)
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
    issue = find_issue(
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
        key = title_key(fields["article_title"])
        article = next((a for a in page.articles.all() if title_key(a.title) == key), None)
    if article is None and not fields["article_title"]:
        errors["article_title"] = MSG_ARTICLE_TITLE_NEEDED
    return issue, page_number, page, article
