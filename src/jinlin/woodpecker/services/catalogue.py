"""Writes of the catalogue: publications, issues, pages and articles (an article's reports are
placed in its text again when it changes)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.woodpecker.conf import setting
from jinlin.woodpecker.locate import locate_passage, normalise_for_matching
from jinlin.woodpecker.models import Article, Issue, Page, Publication, Report
from jinlin.woodpecker.services.common import TITLE_MAX, clean_text, refuse, require_editor
from jinlin.woodpecker.services.rounds import round_ensure

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


# --- catalogue ----------------------------------------------------------------------------------


@transaction.atomic
def publication_save(
    *, actor: User, name: str, description: str = "", publication: Publication | None = None
) -> Publication:
    require_editor(actor)
    name = clean_text(name)[:40]
    if not name:
        raise refuse("name", MSG_NAME_NEEDED)
    clash = Publication.objects.filter(name=name)
    if publication is not None:
        clash = clash.exclude(pk=publication.pk)
    if clash.exists():
        raise refuse("name", MSG_PUBLICATION_EXISTS)
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
        raise refuse("number", MSG_ISSUE_NUMBER)
    if published_on is None:
        raise refuse("published_on", MSG_ISSUE_DATE_NEEDED)
    clash = Issue.objects.filter(publication=publication, number=number)
    if issue is not None:
        clash = clash.exclude(pk=issue.pk)
    if clash.exists():
        raise refuse("number", MSG_ISSUE_EXISTS)
    round_ = round_ensure(year=published_on.year, month=published_on.month)
    if issue is None:
        return Issue.objects.create(
            publication=publication, number=number, published_on=published_on, round=round_
        )
    if round_.pk != issue.round_id and issue.reports.exists():
        raise refuse("published_on", MSG_ISSUE_MONTH_LOCKED)
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
        raise refuse("number", MSG_PAGE_NUMBER)
    clash = Page.objects.filter(issue=issue, number=number)
    if page is not None:
        clash = clash.exclude(pk=page.pk)
    if clash.exists():
        raise refuse("number", MSG_PAGE_EXISTS)
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
            raise refuse("page", MSG_ARTICLE_NOT_IN_ISSUE)
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
        place_report(report, article)
    Report.objects.bulk_update(reports, ["passage_start", "passage_end"], batch_size=500)


def place_report(report: Report, article: Article | None) -> None:
    located = locate_passage(article.text, report.quoted) if article is not None else None
    report.passage_start = located.start if located else None
    report.passage_end = located.end if located else None


def title_key(title: str) -> str:
    return normalise_for_matching(title)[0]


def _link_reports_by_title(article: Article) -> None:
    """Reports of this issue that typed this article's title before it was catalogued."""
    key = title_key(article.title)
    loose = Report.objects.filter(issue_id=article.page.issue_id, article__isnull=True)
    for report in loose.only("id", "article_title", "quoted", "page_number"):
        if title_key(report.article_title) == key and report.page_number == article.page.number:
            report.article = article
            report.page_id = article.page_id
            place_report(report, article)
            report.save(update_fields=["article", "page", "passage_start", "passage_end"])
