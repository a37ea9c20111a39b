"""Reads of rounds, their ranking and awards, and the ledger of what was handed over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.db.models import QuerySet

from jinlin.woodpecker.models import Award, AwardKind, Report, ReportStatus, Round
from jinlin.woodpecker.ranking import (
    Awards,
    ScoredReport,
    Severity,
    Standing,
    Verdict,
    announcement,
    decide_awards,
    rank_readers,
)

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
                verdict=cast(Verdict, status),  # a judged status is one of the verdicts
                severity=cast(Severity | None, severity or None),
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


def recent_rounds(limit: int = 24) -> list[Round]:
    return list(Round.objects.order_by("-year", "-month")[:limit])


def award_by_id(award_id: int) -> Award | None:
    return Award.objects.select_related("round").filter(pk=award_id).first()
