"""Points, standings and awards of a monthly woodpecker round, and the announcement text.

SPEC 纠错有奖: "the **first** valid report of an error gets the credit"; "Ties go to the earlier report".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Verdict = Literal["valid", "invalid", "duplicate"]
Severity = Literal["minor", "moderate", "major"]

# minor: punctuation or typo; moderate: wrong word or grammar; major: factual error in a name,
# date, number or title. The live values are a setting; these are the defaults.
DEFAULT_POINTS: Mapping[str, int] = {"minor": 1, "moderate": 2, "major": 3}

NICKNAME_MARK = "(昵称)"  # as the SPEC's example announcement prints it, ASCII parentheses
NAME_SEPARATOR = "、"


@dataclass(frozen=True)
class ScoredReport:
    """A judged report, as ranking needs it.

    error_key names the error reported (the same key for every report of the same error);
    None means the report stands alone.
    """

    report_id: int
    contact: str
    display_name: str
    is_nickname: bool
    submitted_at: datetime
    verdict: Verdict
    severity: Severity | None
    error_key: str | None


@dataclass(frozen=True)
class Standing:
    reader_key: str
    display_name: str
    is_nickname: bool
    points: int
    last_scoring_at: datetime
    last_scoring_report_id: int
    report_ids: tuple[int, ...]  # the reports that scored, oldest first


@dataclass(frozen=True)
class Awards:
    best: tuple[Standing, ...]
    excellent: tuple[Standing, ...]
    cash_yuan: int  # for each best woodpecker
    souvenir: str  # for each excellent woodpecker


def normalise_contact(contact: str) -> str:
    """The same contact however it was typed.

    Width folded (NFKC) and spaces removed; an email is case-folded; a phone keeps its digits
    only, without a leading +86/86 country code; anything else (a WeChat ID) is case-folded.
    """
    folded = "".join(unicodedata.normalize("NFKC", contact).split())
    if "@" in folded:
        return folded.casefold()
    digits = "".join(char for char in folded if char in "0123456789")
    if digits and all(char in "0123456789+-()." for char in folded):
        if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
            return digits[2:]
        return digits
    return folded.casefold()


def reader_key(report: ScoredReport) -> str:
    """Who sent a report: the normalised contact, or the name when there is no contact."""
    return normalise_contact(report.contact) or "name:" + report.display_name.strip().casefold()


def scoring_reports(reports: Iterable[ScoredReport]) -> list[ScoredReport]:
    """The reports that earn their error: for each error key, the earliest valid report.

    Only verdict "valid" counts; a later valid report of an error already credited is a
    duplicate whatever it is marked, so two reports never score for one error. "Earliest" is
    by submission time, then report id.
    """
    credited: dict[str, ScoredReport] = {}
    for report in reports:
        if report.verdict != "valid":
            continue
        key = report.error_key if report.error_key is not None else f"report:{report.report_id}"
        held = credited.get(key)
        if held is None or _arrival(report) < _arrival(held):
            credited[key] = report
    return sorted(credited.values(), key=_arrival)


def report_points(report: ScoredReport, points: Mapping[str, int]) -> int:
    """Points by severity; a valid report not graded yet is worth 0 until it is."""
    if report.severity is None:
        return 0
    if report.severity not in points:
        raise ValueError(f"no points set for severity {report.severity!r}")
    return points[report.severity]


def rank_readers(
    reports: Iterable[ScoredReport], points: Mapping[str, int] = DEFAULT_POINTS
) -> list[Standing]:
    """Readers with points, best first; the same list whatever order the reports come in.

    A reader is a contact (normalise_contact), so one person under two nicknames is one
    reader, shown under the name and 昵称 flag of their latest report of the round (any
    verdict): the name they chose most recently. Readers without points are left out.
    """
    all_reports = list(reports)
    latest: dict[str, ScoredReport] = {}
    for report in all_reports:
        key = reader_key(report)
        if key not in latest or _arrival(report) > _arrival(latest[key]):
            latest[key] = report
    scored: dict[str, list[tuple[ScoredReport, int]]] = {}
    for report in scoring_reports(all_reports):
        earned = report_points(report, points)
        if earned > 0:
            scored.setdefault(reader_key(report), []).append((report, earned))
    standings = []
    for key, earned_reports in scored.items():
        last = earned_reports[-1][0]
        standings.append(
            Standing(
                reader_key=key,
                display_name=latest[key].display_name.strip(),
                is_nickname=latest[key].is_nickname,
                points=sum(earned for _, earned in earned_reports),
                last_scoring_at=last.submitted_at,
                last_scoring_report_id=last.report_id,
                report_ids=tuple(report.report_id for report, _ in earned_reports),
            )
        )
    return sorted(standings, key=standing_order)


def standing_order(standing: Standing) -> tuple[int, datetime, int, str]:
    """Most points first; on equal points, whoever completed them earlier (their last scoring
    report was submitted first, then has the lower id)."""
    return (
        -standing.points,
        standing.last_scoring_at,
        standing.last_scoring_report_id,
        standing.reader_key,
    )


def decide_awards(
    standings: Iterable[Standing],
    *,
    best_count: int = 1,
    excellent_count: int = 10,
    cash_yuan: int = 100,
    souvenir: str = "纪念品",
) -> Awards:
    """The first best_count readers are best woodpeckers, the next excellent_count excellent.

    Standings are put in standing_order() here, whatever order they come in; readers without
    points get nothing.
    """
    if best_count < 0 or excellent_count < 0:
        raise ValueError("award counts cannot be negative")
    ranked = sorted((standing for standing in standings if standing.points > 0), key=standing_order)
    return Awards(
        best=tuple(ranked[:best_count]),
        excellent=tuple(ranked[best_count : best_count + excellent_count]),
        cash_yuan=cash_yuan,
        souvenir=souvenir,
    )


def announcement(year: int, month: int, awards: Awards) -> str:
    """The newspaper's announcement: the excellent line, then the best line; a line only for
    an award someone won, and "" when nobody won.

        2022年9月优秀“啄木鸟”:叶玲珠、陈霖源、严志彬、风行天下(昵称)、abbill(昵称)
        2022年9月最佳“啄木鸟”:小飞
    """
    lines = []
    for title, winners in (("优秀", awards.excellent), ("最佳", awards.best)):
        if winners:
            names = NAME_SEPARATOR.join(announced_name(standing) for standing in winners)
            lines.append(f"{year}年{month}月{title}“啄木鸟”:{names}")
    return "\n".join(lines)


def announced_name(standing: Standing) -> str:
    """A real name as it is; a nickname followed by (昵称). Line breaks inside become spaces."""
    name = " ".join(standing.display_name.split())
    return name + NICKNAME_MARK if standing.is_nickname else name


def _arrival(report: ScoredReport) -> tuple[datetime, int]:
    return (report.submitted_at, report.report_id)
