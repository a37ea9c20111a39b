"""Reads of the catalogue and the calendar: deadlines, the issues open to readers, publications,
issues, pages and articles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from jinlin.woodpecker.conf import DEADLINE_GRACE, default_deadline
from jinlin.woodpecker.locate import normalise_for_matching
from jinlin.woodpecker.models import Article, Issue, Page, Publication, Round

# --- time -----------------------------------------------------------------------------------------


def deadline_label(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@dataclass(frozen=True)
class Upcoming:
    """The round that ends next: its month and deadline (the round may not exist yet)."""

    year: int
    month: int
    deadline: datetime

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"


def next_deadline(now: datetime) -> Upcoming | None:
    """Of last month's and this month's rounds, the first still open at `now`."""
    today = timezone.localdate(now)
    previous = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    months = [previous, (today.year, today.month)]
    existing = {
        (r.year, r.month): r.deadline
        for r in Round.objects.filter(
            Q(year=previous[0], month=previous[1]) | Q(year=today.year, month=today.month)
        )
    }
    for year, month in months:
        deadline = existing.get((year, month)) or default_deadline(year, month)
        if now < deadline + DEADLINE_GRACE:
            return Upcoming(year, month, deadline)
    return None


# --- the public form ------------------------------------------------------------------------------


def open_issues(now: datetime) -> QuerySet[Issue]:
    """Issues a reader may report on now: out already, and their round not past its deadline."""
    return (
        Issue.objects.filter(
            published_on__lte=timezone.localdate(now), round__deadline__gt=now - DEADLINE_GRACE
        )
        .select_related("publication", "round")
        .order_by("-published_on", "publication__name", "-number")
    )


def open_publications(now: datetime) -> list[Publication]:
    ids = open_issues(now).values("publication_id")
    return list(Publication.objects.filter(pk__in=ids).order_by("name"))


@dataclass(frozen=True)
class ClosedNotice:
    """What the form says when no issue is open: which round closed, when the next one ends."""

    closed_label: str | None
    closed_deadline: datetime | None
    upcoming: Upcoming | None


def closed_notice(now: datetime) -> ClosedNotice:
    last = Round.objects.filter(deadline__lte=now - DEADLINE_GRACE).order_by("-deadline").first()
    return ClosedNotice(
        closed_label=last.label if last else None,
        closed_deadline=last.deadline if last else None,
        upcoming=next_deadline(now),
    )


def find_issue(
    *,
    issue_id: int | None = None,
    publication: str = "",
    number: int | None = None,
    on: date | None = None,
) -> Issue | None:
    """An issue by id, or by its publication's name (as catalogued or uniquely shortened, 晨报)
    with its number or its date."""
    issues = Issue.objects.select_related("publication", "round")
    if issue_id:
        try:
            return issues.filter(pk=int(issue_id)).first()
        except (TypeError, ValueError):
            return None
    found = find_publication(publication)
    if found is None:
        return None
    if number:
        return issues.filter(publication=found, number=number).first()
    if on:
        return issues.filter(publication=found, published_on=on).first()
    return None


def find_publication(name: str) -> Publication | None:
    name = (name or "").strip()
    if not name:
        return None
    exact = Publication.objects.filter(name__iexact=name).first()
    if exact is not None:
        return exact
    key = normalise_for_matching(name)[0]
    if len(key) < 2:
        return None
    matches = [p for p in Publication.objects.all() if key in normalise_for_matching(p.name)[0]]
    return matches[0] if len(matches) == 1 else None


def issue_pages(issue: Issue) -> list[Page]:
    return list(issue.pages.order_by("number"))


def page_articles(page: Page) -> list[Article]:
    return list(page.articles.order_by("id").only("id", "title", "page_id"))


MSG_ROUND_CLOSED = "该期属于{round}的评选，已于{deadline}截止，不再受理。{next}"
MSG_NEXT_ROUND = "{round}各期的纠错截至{deadline}。"


def round_closed_message(round_: Round, now: datetime) -> str:
    """ "…已于…截止，不再受理。" and when the round now open ends."""
    upcoming = next_deadline(now)
    next_part = (
        MSG_NEXT_ROUND.format(round=upcoming.label, deadline=deadline_label(upcoming.deadline))
        if upcoming
        else ""
    )
    return MSG_ROUND_CLOSED.format(
        round=round_.label, deadline=deadline_label(round_.deadline), next=next_part
    )


# --- the editors' catalogue -----------------------------------------------------------------------


def publications_by_name() -> QuerySet[Publication]:
    return Publication.objects.order_by("name")


def publication_by_id(publication_id: int) -> Publication | None:
    return Publication.objects.filter(pk=publication_id).first()


def reload_publication(publication: Publication) -> Publication:
    """A fresh copy from the database (a bound model form changes the instance it validates)."""
    return Publication.objects.get(pk=publication.pk)


def catalogue_issues(publication_id: int | None = None) -> QuerySet[Issue]:
    """Issues newest first, of one publication when given."""
    issues = Issue.objects.select_related("publication", "round").order_by(
        "-published_on", "publication__name", "-number"
    )
    if publication_id is not None:
        issues = issues.filter(publication_id=publication_id)
    return issues


def issue_by_id(issue_id: int) -> Issue | None:
    return Issue.objects.select_related("publication", "round").filter(pk=issue_id).first()


def reload_issue(issue: Issue) -> Issue:
    """A fresh copy from the database (a bound model form changes the instance it validates)."""
    return Issue.objects.get(pk=issue.pk)


def issue_pages_with_articles(issue: Issue) -> list[Page]:
    return list(issue.pages.order_by("number").prefetch_related("articles"))


def issue_articles(issue: Issue) -> QuerySet[Article]:
    """The articles of an issue in page order, for choosing the one a report is about."""
    return (
        Article.objects.filter(page__issue=issue)
        .select_related("page")
        .order_by("page__number", "id")
    )


def page_by_id(page_id: int) -> Page | None:
    return Page.objects.select_related("issue__publication").filter(pk=page_id).first()


def page_of_issue(issue: Issue, page_id: int) -> Page | None:
    return Page.objects.filter(pk=page_id, issue=issue).first()


def article_by_id(article_id: int) -> Article | None:
    return Article.objects.select_related("page__issue__publication").filter(pk=article_id).first()


def article_on_page_by_id(article_id: int) -> Article | None:
    return Article.objects.select_related("page").filter(pk=article_id).first()
