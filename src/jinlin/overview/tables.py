"""The subdistrict overview's three tables, a row an area, written out here rather than by a
template: with 40 areas and 20 columns they are about 1,000 cells, and the template engine
spent most of the page's time resolving them (bench/web_path.py, issue 18). Every text is
escaped here as a template would; numbers are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from jinlin.core.fasturls import fast_reverser
from jinlin.people.groups import GroupKind

WORK_COLUMNS = (
    ("due_visits", False),
    ("overdue_visits", True),  # True: marked as a gap when not 0
    ("visits_30d", False),
    ("concerns_30d", False),
    ("open_cases", False),
    ("old_open_cases", True),
)


def _num(value: object, gap: bool = False) -> str:
    text = str(value) if type(value) is int else escape(str(value))  # a count needs no escaping
    return f'<td class="num{" gap" if gap else ""}">{text}</td>'


def _area_links() -> Callable[[Any], str]:
    """A link to each area's overview, the URL pattern looked up once a table."""
    url = fast_reverser("area_overview")
    return lambda area: f'<a href="{escape(url(area.pk))}">{escape(area.name)}</a>'


def work_rows_html(rows: Iterable[dict[str, Any]], opened: Iterable[int]) -> SafeString:
    """工作情况: visits due and overdue, visits and concerns of 30 days, open cases, the share
    of households with a Party contact (a gap under 100%)."""
    opened = set(opened)
    area_link = _area_links()
    out: list[str] = []
    for row in rows:
        area, work, contacted = row["area"], row["work"], row["contacted"]
        cells = "".join(
            _num(getattr(work, name), gap and bool(getattr(work, name)))
            for name, gap in WORK_COLUMNS
        )
        tag = ' <span class="tag">已打开</span>' if area.pk in opened else ""
        share = (
            '<td class="num">—</td>'
            if contacted is None
            else _num(f"{contacted}%", contacted < 100)
        )
        out.append(f"<tr><td>{area_link(area)}{tag}</td>{cells}{share}</tr>")
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped


def satisfaction_rows_html(rows: Iterable[dict[str, Any]]) -> SafeString:
    """群众评单: each rating's count (suppressed ones as "<3") and the satisfied share."""
    out: list[str] = []
    for row in rows:
        satisfaction = row["satisfaction"]
        cells = "".join(_num(cell) for cell in satisfaction.cells)
        percent = "—" if satisfaction.percent is None else f"{satisfaction.percent}%"
        out.append(f"<tr><td>{escape(row['area'].name)}</td>{cells}{_num(percent)}</tr>")
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped


def group_rows_html(rows: Iterable[dict[str, Any]], groups: Sequence[GroupKind]) -> SafeString:
    """户数、居民与各类群体: households, residents and each group's count (0 when none)."""
    codes = [group.code for group in groups]
    area_link = _area_links()
    out: list[str] = []
    for row in rows:
        counts = row["groups"] or {}
        cells = "".join(_num(counts.get(code) or 0) for code in codes)
        out.append(
            f"<tr><td>{area_link(row['area'])}</td>"
            f"{_num(row['households'])}{_num(row['residents'])}{cells}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308  # every text above is escaped
