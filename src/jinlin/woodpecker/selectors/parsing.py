"""A reader's free-text message matched to the catalogue, to fill in the report form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from jinlin.woodpecker.locate import normalise_for_matching
from jinlin.woodpecker.models import Article, Issue, Publication
from jinlin.woodpecker.selectors.catalogue import round_closed_message

# --- a reader's free-text message, matched to the catalogue ---------------------------------------

MSG_PARSED_ISSUE_UNKNOWN = "没有在目录中找到留言所说的那一期，请从列表中选择"
MSG_PARSED_NOTHING = "没能从留言中识别出内容，请直接填写下面的表格"


@dataclass
class ParsedForm:
    """Initial values of the report form from a message, what was recognised, and warnings."""

    initial: dict[str, Any]
    recognised: list[str]
    warnings: list[str]


def parse_message(text: str, now: datetime) -> ParsedForm:
    """freetext.parse_report_text, then the publication, issue, page and article looked up in
    the catalogue, so the form opens with them chosen."""
    from jinlin.woodpecker.freetext import parse_report_text

    publications = list(Publication.objects.order_by("name"))
    parsed = parse_report_text(text, [p.name for p in publications])
    initial: dict[str, Any] = {}
    recognised: list[str] = []
    warnings: list[str] = []
    publication = next((p for p in publications if p.name == parsed.publication), None)
    if publication is not None:
        initial["publication"] = publication.pk
        recognised.append(f"报刊：{publication.name}")
    issue = _parsed_issue(parsed, publication, now)
    if issue is not None:
        recognised.append(f"期数：{issue}")
        if issue.round.is_open_at(now) and issue.published_on <= timezone.localdate(now):
            initial["publication"] = issue.publication_id
            initial["issue"] = issue.pk
        else:
            warnings.append(round_closed_message(issue.round, now))
    elif parsed.issue_number or parsed.issue_month:
        warnings.append(MSG_PARSED_ISSUE_UNKNOWN)
    article = _parsed_article(parsed, issue) if issue is not None else None
    page_number = article.page.number if article is not None else parsed.page
    if page_number:
        initial["page_number"] = page_number
        recognised.append(f"版面：第{page_number}版")
    if article is not None:
        initial["article"] = str(article.pk)
        recognised.append(f"文章：《{article.title}》")
    elif parsed.title:
        initial["article"] = "other"
        initial["article_title"] = parsed.title
        recognised.append(f"标题：《{parsed.title}》")
    correction = parsed.correction or parsed.correction_hint
    for name, value, label in (
        ("quoted", parsed.quoted, "原文"),
        ("correction", correction, "应改为"),
        ("explanation", parsed.explanation, "理由"),
        ("reader_name", parsed.signature, "署名"),
        ("contact", parsed.contact, "联系方式"),
    ):
        if value:
            initial[name] = value
            recognised.append(label)
    if parsed.signature_is_nickname:
        initial["is_nickname"] = True
    if not recognised:
        warnings.append(MSG_PARSED_NOTHING)
    return ParsedForm(initial=initial, recognised=recognised, warnings=warnings)


def _parsed_issue(parsed: Any, publication: Publication | None, now: datetime) -> Issue | None:
    """The issue a message means: by number; else by date (a year left out means the latest
    such day not in the future); else the only issue of the month named."""
    issues = Issue.objects.select_related("publication", "round").filter(
        published_on__lte=timezone.localdate(now)
    )
    if publication is not None:
        issues = issues.filter(publication=publication)
    if parsed.issue_number and publication is not None:
        return issues.filter(number=parsed.issue_number).first()
    if not parsed.issue_month:
        return None
    issues = issues.filter(published_on__month=parsed.issue_month)
    if parsed.issue_year:
        issues = issues.filter(published_on__year=parsed.issue_year)
    if parsed.issue_day:
        candidates = list(
            issues.filter(published_on__day=parsed.issue_day).order_by("-published_on")[:5]
        )
    else:
        candidates = list(issues.order_by("-published_on")[:5])
        if candidates:
            month_of_latest = candidates[0].published_on.replace(day=1)
            candidates = [c for c in candidates if c.published_on.replace(day=1) == month_of_latest]
            if len({c.publication_id for c in candidates}) > 1 or len(candidates) > 1:
                return None
    if not candidates:
        return None
    latest_day = candidates[0].published_on
    same_day = [c for c in candidates if c.published_on == latest_day]
    return same_day[0] if len(same_day) == 1 else None


def _parsed_article(parsed: Any, issue: Issue) -> Article | None:
    """The article whose title the message names (punctuation and width ignored), preferring
    the page it names; a title that is part of one article's title counts when only one has it."""
    if not parsed.title:
        return None
    key = normalise_for_matching(parsed.title)[0]
    if not key:
        return None
    articles = list(Article.objects.filter(page__issue=issue).select_related("page").defer("text"))
    titled = [(a, normalise_for_matching(a.title)[0]) for a in articles]
    exact = [a for a, title in titled if title == key]
    loose = exact or [a for a, title in titled if key in title or (title and title in key)]
    if parsed.page and len(loose) > 1:
        loose = [a for a in loose if a.page.number == parsed.page] or loose
    return loose[0] if len(loose) == 1 else None
