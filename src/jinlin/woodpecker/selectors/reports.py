"""Reads of readers' reports: the editor's queue, one report beside its article, likely
duplicates, and lookups by receipt or id."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jinlin.woodpecker.locate import (
    Located,
    locate_passage,
    normalise_for_matching,
    overlapping_groups,
)
from jinlin.woodpecker.models import Article, Issue, Report, ReportStatus, Round

DUPLICATES_SHOWN = 20
CANDIDATES_SHOWN = 50
LOOSE_COMPARED = 300  # reports without an article compared by their quotes, at most


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
    groups = overlapping_groups(spans)
    return reports, [[by_id[key] for key in group] for group in groups]


# --- lookups --------------------------------------------------------------------------------------


def report_by_receipt(receipt: str) -> Report | None:
    """A report by its receipt number, with only what a reader may see of it."""
    return (
        Report.objects.select_related("round")
        .only("receipt", "status", "submitted_at", "round__year", "round__month")
        .filter(receipt=receipt)
        .first()
    )


def report_by_id(report_id: int) -> Report | None:
    return Report.objects.filter(pk=report_id).first()


def report_for_editor(report_id: int) -> Report | None:
    """A report with the relations its editor's page shows."""
    return (
        Report.objects.select_related(
            "round", "issue__publication", "page", "article__page", "duplicate_of", "judged_by"
        )
        .filter(pk=report_id)
        .first()
    )


def next_pending(report: Report) -> Report | None:
    """The oldest pending report other than this one (the judge goes on to it)."""
    return (
        Report.objects.filter(status=ReportStatus.PENDING)
        .exclude(pk=report.pk)
        .order_by("submitted_at", "id")
        .only("id")
        .first()
    )


def article_report_counts(issue: Issue) -> dict[int, int]:
    """Per article of the issue, the number of reports about it."""
    rows = (
        Report.objects.filter(issue=issue, article__isnull=False)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["article_id"]: row["n"] for row in rows}
