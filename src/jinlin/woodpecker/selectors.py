"""Reads of the woodpecker programme, shaped for pages and the API.

Lists select their relations up front so that a page's query count does not grow with the
number of reports (a flood of reports must not slow the editor's pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jinlin.woodpecker.conf import DEADLINE_GRACE, default_deadline
from jinlin.woodpecker.locate import (
    Located,
    locate_passage,
    normalise_for_matching,
    overlapping_groups,
)
from jinlin.woodpecker.models import (
    Article,
    Award,
    AwardKind,
    Issue,
    Page,
    Publication,
    Report,
    ReportStatus,
    Round,
)
from jinlin.woodpecker.ranking import (
    Awards,
    ScoredReport,
    Standing,
    announcement,
    decide_awards,
    rank_readers,
)

DUPLICATES_SHOWN = 20
CANDIDATES_SHOWN = 50
LOOSE_COMPARED = 300  # reports without an article compared by their quotes, at most


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


# --- the editor's queue ---------------------------------------------------------------------------


def report_queue(
    *,
    status: str = "",
    round_id: int | None = None,
    publication_id: int | None = None,
    search: str = "",
) -> QuerySet[Report]:
    """Reports oldest first (the first report of an error is judged first), with the relations
    every row shows; paginate it."""
    reports = Report.objects.select_related("round", "issue__publication", "article").defer(
        "explanation", "article__text"
    )
    if status:
        reports = reports.filter(status=status)
    if round_id:
        reports = reports.filter(round_id=round_id)
    if publication_id:
        reports = reports.filter(issue__publication_id=publication_id)
    search = search.strip()
    if search:
        reports = reports.filter(
            Q(receipt__iexact=search)
            | Q(reader_name__icontains=search)
            | Q(article_title__icontains=search)
            | Q(quoted__icontains=search)
        )
    return reports.order_by("submitted_at", "id")


def status_counts() -> dict[str, int]:
    rows = Report.objects.values("status").annotate(n=Count("id")).order_by()
    counts = {status: 0 for status in ReportStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def rounds_overview() -> QuerySet[Round]:
    return Round.objects.annotate(
        report_count=Count("reports"),
        pending_count=Count("reports", filter=Q(reports__status=ReportStatus.PENDING)),
        valid_count=Count("reports", filter=Q(reports__status=ReportStatus.VALID)),
    ).order_by("-year", "-month")


def round_by_code(code: str) -> Round | None:
    """A round by "YYYY-MM"; None for anything else."""
    try:
        year_text, month_text = code.split("-")
        year, month = int(year_text), int(month_text)
    except (AttributeError, ValueError):
        return None
    if len(year_text) != 4 or not 1 <= month <= 12:
        return None
    return Round.objects.filter(year=year, month=month).first()


# --- one report beside its article ----------------------------------------------------------------


def mask_contact(contact: str) -> str:
    """138****5678; ab***@qq.com; fe****er for a WeChat ID. Never the whole of it."""
    value = (contact or "").strip()
    digits = "".join(char for char in value if char.isdigit())
    if len(digits) >= 11 and len(digits) >= len(value.replace(" ", "").replace("-", "")) - 3:
        digits = digits[-11:]
        return digits[:3] + "****" + digits[-4:]
    if "@" in value:
        local, _, domain = value.partition("@")
        return local[:2] + "***@" + domain
    if len(value) <= 4:
        return "*" * len(value)
    return value[:2] + "*" * min(6, len(value) - 4) + value[-2:]


def highlight(text: str, located: Located | None) -> SafeString:
    """The article's text, escaped, with the located passage in <mark> (built here, so the
    only markup is ours)."""
    if located is None:
        return escape(text)
    before, passage, after = (
        text[: located.start],
        text[located.start : located.end],
        text[located.end :],
    )
    return mark_safe(  # noqa: S308 - every piece of text is escaped just above
        f'{escape(before)}<mark id="passage" class="wp-passage">{escape(passage)}</mark>{escape(after)}'
    )


@dataclass
class ReportView:
    report: Report
    located: Located | None
    article_html: SafeString | None
    duplicates: list[Report]  # likely duplicates, earliest first
    candidates: list[Report]  # earlier valid reports this one may duplicate
    reader_reports: int  # reports of this reader (same contact) in the round


def report_view(report: Report) -> ReportView:
    article = report.article
    located = locate_passage(article.text, report.quoted) if article is not None else None
    duplicates = likely_duplicates(report)
    earlier_valid = (
        Report.objects.filter(issue_id=report.issue_id, status=ReportStatus.VALID)
        .filter(
            Q(submitted_at__lt=report.submitted_at)
            | Q(submitted_at=report.submitted_at, id__lt=report.pk)
        )
        .exclude(pk=report.pk)
        .order_by("submitted_at", "id")[:CANDIDATES_SHOWN]
    )
    likely_valid = [d for d in duplicates if d.status == ReportStatus.VALID and _earlier(d, report)]
    candidates = likely_valid + [c for c in earlier_valid if c not in likely_valid]
    return ReportView(
        report=report,
        located=located,
        article_html=highlight(article.text, located) if article is not None else None,
        duplicates=duplicates,
        candidates=candidates[:CANDIDATES_SHOWN],
        reader_reports=Report.objects.filter(
            round_id=report.round_id, contact_key=report.contact_key
        ).count(),
    )


def _earlier(first: Report, second: Report) -> bool:
    return (first.submitted_at, first.pk) < (second.submitted_at, second.pk)


def likely_duplicates(report: Report) -> list[Report]:
    """Other reports of the same article whose passages overlap this one's, earliest first;
    for a report not tied to an article, reports of the same issue and page quoting the same
    words (one contains the other, punctuation and width ignored)."""
    others = Report.objects.select_related("issue__publication").exclude(pk=report.pk)
    if report.article_id and report.passage_start is not None and report.passage_end is not None:
        overlapping = others.filter(
            article_id=report.article_id,
            passage_start__lt=report.passage_end,
            passage_end__gt=report.passage_start,
        ).order_by("submitted_at", "id")
        return list(overlapping[:DUPLICATES_SHOWN])
    key = normalise_for_matching(report.quoted)[0]
    if not key:
        return []
    same_place = others.filter(issue_id=report.issue_id, page_number=report.page_number).order_by(
        "submitted_at", "id"
    )[:LOOSE_COMPARED]
    found = []
    for other in same_place:
        other_key = normalise_for_matching(other.quoted)[0]
        if other_key and (key in other_key or other_key in key):
            found.append(other)
    return found[:DUPLICATES_SHOWN]


def article_report_groups(article: Article) -> tuple[list[Report], list[list[Report]]]:
    """The reports of an article oldest first, and those whose passages overlap, grouped
    (locate.overlapping_groups): within a group the first report is the one that earns it."""
    reports = list(article.reports.order_by("submitted_at", "id"))
    spans = {
        r.pk: (r.passage_start, r.passage_end)
        for r in reports
        if r.passage_start is not None and r.passage_end is not None
    }
    by_id = {r.pk: r for r in reports}
    groups = overlapping_groups(spans)  # type: ignore[arg-type]
    return reports, [[by_id[key] for key in group] for group in groups]


# --- rounds, ranking and awards -------------------------------------------------------------------


@dataclass
class RoundResult:
    standings: list[Standing]
    awards: Awards
    announcement: str
    latest_report_ids: dict[str, int]  # reader key → the reader's latest judged report
    judged: int
    pending: int


def scored_reports(round_: Round) -> tuple[list[ScoredReport], int]:
    """The judged reports of a round as ranking.py takes them, and the number still pending."""
    rows = Report.objects.filter(round=round_).values_list(
        "id",
        "contact",
        "reader_name",
        "is_nickname",
        "submitted_at",
        "status",
        "severity",
        "duplicate_of_id",
    )
    scored: list[ScoredReport] = []
    pending = 0
    for pk, contact, name, is_nickname, at, status, severity, original in rows.iterator(
        chunk_size=2000
    ):
        if status == ReportStatus.PENDING:
            pending += 1
            continue
        scored.append(
            ScoredReport(
                report_id=pk,
                contact=contact,
                display_name=name,
                is_nickname=is_nickname,
                submitted_at=at,
                verdict=status,
                severity=severity or None,
                error_key=str(original or pk),
            )
        )
    return scored, pending


def round_result(round_: Round) -> RoundResult:
    """The round's standings and the awards and announcement they give, as judged so far.

    SPEC 纠错有奖: "the reader with the most points is the best woodpecker … Ties go to the
    earlier report."
    """
    from jinlin.woodpecker.ranking import reader_key

    reports, pending = scored_reports(round_)
    standings = rank_readers(reports, points=round_.points)
    awards = decide_awards(
        standings,
        best_count=round_.best_count,
        excellent_count=round_.excellent_count,
        cash_yuan=round_.cash_yuan,
        souvenir=round_.souvenir,
    )
    latest: dict[str, ScoredReport] = {}
    for report in reports:
        key = reader_key(report)
        held = latest.get(key)
        if held is None or (report.submitted_at, report.report_id) > (
            held.submitted_at,
            held.report_id,
        ):
            latest[key] = report
    return RoundResult(
        standings=standings,
        awards=awards,
        announcement=announcement(round_.year, round_.month, awards),
        latest_report_ids={key: report.report_id for key, report in latest.items()},
        judged=len(reports),
        pending=pending,
    )


@dataclass(frozen=True)
class Winner:
    name: str
    is_nickname: bool
    points: int


@dataclass(frozen=True)
class RoundAwards:
    best: list[Winner]
    excellent: list[Winner]
    announcement: str
    confirmed: bool


def round_awards(round_: Round) -> RoundAwards:
    """Confirmed awards as confirmed; before that, what the judging so far would give."""
    if round_.is_confirmed:
        awards = list(round_.awards.order_by("position"))
        return RoundAwards(
            best=[_winner(a) for a in awards if a.kind == AwardKind.BEST],
            excellent=[_winner(a) for a in awards if a.kind == AwardKind.EXCELLENT],
            announcement=round_.announcement,
            confirmed=True,
        )
    result = round_result(round_)
    return RoundAwards(
        best=[Winner(s.display_name, s.is_nickname, s.points) for s in result.awards.best],
        excellent=[
            Winner(s.display_name, s.is_nickname, s.points) for s in result.awards.excellent
        ],
        announcement=result.announcement,
        confirmed=False,
    )


def _winner(award: Award) -> Winner:
    return Winner(award.display_name, award.is_nickname, award.points)


def published_rounds() -> QuerySet[Round]:
    return Round.objects.filter(confirmed_at__isnull=False).order_by("-year", "-month")


def round_awards_with_ledger(round_: Round) -> list[Award]:
    return list(
        round_.awards.select_related(
            "report", "ledger_entry", "ledger_entry__recorded_by"
        ).order_by("position")
    )


def ledger(*, year: int | None = None) -> dict[str, Any]:
    """Every confirmed award with what was handed over, newest round first, and the totals."""
    awards = Award.objects.select_related("round", "report", "ledger_entry").order_by(
        "-round__year", "-round__month", "position"
    )
    if year:
        awards = awards.filter(round__year=year)
    rows = list(awards)
    entries = [a.ledger_entry for a in rows if hasattr(a, "ledger_entry")]
    return {
        "awards": rows,
        "cash_paid": sum(e.cash_yuan for e in entries),
        "cash_owed": sum(a.cash_yuan for a in rows if not hasattr(a, "ledger_entry")),
        "souvenirs_handed": sum(1 for e in entries if e.souvenir),
        "souvenirs_owed": sum(
            1 for a in rows if a.kind == AwardKind.EXCELLENT and not hasattr(a, "ledger_entry")
        ),
    }


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
            from jinlin.woodpecker.services import round_closed_message

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
