"""The 台账 ledgers and their columns: what inspectors expect (日期, 地点, 人员, 事项, 结果,
经办人) and what each kind adds. Plain data: no Django, shared by the Excel and PDF renderings.

SPEC / issue 15 "台账 ledgers": 走访台账, 民情日志 (concerns), 个案台账, 巡查台账,
党小组会议/活动记录, for a month or any range, per area, worker or compound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

VISITS = "visits"
CONCERNS = "concerns"
CASES = "cases"
PATROLS = "patrols"
MEETINGS = "meetings"

LEDGER_LABELS: dict[str, str] = {
    VISITS: "走访台账",
    CONCERNS: "民情日志",
    CASES: "个案台账",
    PATROLS: "巡查台账",
    MEETINGS: "党小组会议/活动记录",
}
KINDS = tuple(LEDGER_LABELS)

HIDDEN = "已隐藏"
MAX_DAYS = 366


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int  # Excel character widths; the PDF shares them out in proportion


COMMON_COLUMNS = (
    Column("seq", "序号", 6),
    Column("date", "日期", 12),
    Column("place", "地点", 24),
    Column("people", "人员", 14),
    Column("matter", "事项", 40),
    Column("result", "结果", 28),
    Column("handler", "经办人", 10),
)

EXTRA_COLUMNS: dict[str, tuple[Column, ...]] = {
    VISITS: (
        Column("mode", "方式", 8),
        Column("condition", "状况", 10),
        Column("groups", "对象类别", 16),
        Column("health", "健康情况", 18),
    ),
    CONCERNS: (
        Column("channel", "渠道", 10),
        Column("category", "类别", 14),
        Column("urgency", "紧急程度", 8),
        Column("rating", "群众评单", 10),
    ),
    CASES: (
        Column("category", "类别", 14),
        Column("status", "状态", 10),
        Column("closed_on", "结案日期", 12),
    ),
    PATROLS: (
        Column("findings", "发现问题", 8),
        Column("open", "未整改", 8),
    ),
    MEETINGS: (
        Column("type", "类型", 12),
        Column("organisation", "党小组/楼组", 18),
    ),
}


def columns_of(kind: str) -> tuple[Column, ...]:
    return COMMON_COLUMNS + EXTRA_COLUMNS[kind]


@dataclass
class Row:
    """One line of a ledger: the common cells and the kind's own (by column key)."""

    on: date
    place: str
    people: str
    matter: str
    result: str
    handler: str
    extra: dict[str, str] = field(default_factory=dict)

    def cells(self, kind: str, seq: int) -> list[str]:
        common = {
            "seq": str(seq),
            "date": self.on.isoformat(),
            "place": self.place,
            "people": self.people,
            "matter": self.matter,
            "result": self.result,
            "handler": self.handler,
        }
        return [
            common.get(column.key, self.extra.get(column.key, "")) for column in columns_of(kind)
        ]


def range_problem(start: date, end: date) -> str | None:
    """Why a range cannot make a ledger (in Chinese), or None."""
    if end < start:
        return "结束日期不能早于开始日期"
    if (end - start).days + 1 > MAX_DAYS:
        return f"日期范围不能超过 {MAX_DAYS} 天"
    return None


def month_range(text: str) -> tuple[date, date] | None:
    """ "2026-11" → (2026-11-01, 2026-11-30); None when it is not a month."""
    try:
        year_text, month_text = text.strip().split("-")
        year, month = int(year_text), int(month_text)
        first = date(year, month, 1)
    except ValueError:
        return None
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def range_label(start: date, end: date) -> str:
    if start.day == 1 and month_range(f"{start.year}-{start.month}") == (start, end):
        return f"{start.year}年{start.month}月"
    return f"{start.isoformat()} 至 {end.isoformat()}"
