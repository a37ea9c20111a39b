"""Small-cell suppression of sensitive counts shown to someone who cannot open the people.

A count of 1 or 2 困难 or 失独 families in a compound singles a family out to anyone who knows
the compound; such cells read "<3" (docs/security.md, "Counts"). Plain data, no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

SMALL_CELL = 3
SUPPRESSED = f"<{SMALL_CELL}"

Shown = int | str


def suppress_cell(count: int) -> Shown:
    """0 and counts of 3 or more as they are; 1 and 2 as "<3"."""
    return SUPPRESSED if 0 < count < SMALL_CELL else count


def suppress_row(counts: Mapping[str, int], codes: Iterable[str]) -> dict[str, Shown]:
    """One row of counts per group, the `codes` among them suppressed."""
    sensitive = set(codes)
    return {code: suppress_cell(n) if code in sensitive else n for code, n in counts.items()}


def suppress_column(cells: Iterable[int]) -> tuple[list[Shown], Shown]:
    """The cells of one column as shown, and its total. Where a cell is suppressed, the total
    is the least sum the shown cells allow ("≥N", each "<3" counted as 1), so that subtracting
    the shown cells from it tells nothing the cells do not."""
    counts = list(cells)
    shown = [suppress_cell(count) for count in counts]
    hidden = sum(1 for cell in shown if cell == SUPPRESSED)
    if not hidden:
        return shown, sum(counts)
    least = sum(cell for cell in shown if isinstance(cell, int)) + hidden
    return shown, f"≥{least}"


def suppress_groups(
    rows: Sequence[Mapping[str, int]], codes: Iterable[str]
) -> tuple[list[dict[str, Shown]], dict[str, Shown]]:
    """Rows of counts per group (one dict a row) with the `codes` columns suppressed, and the
    totals of every column."""
    sensitive = set(codes)
    columns = sorted({code for row in rows for code in row})
    shown_rows: list[dict[str, Shown]] = [dict(row) for row in rows]
    totals: dict[str, Shown] = {}
    for code in columns:
        counts = [row.get(code, 0) for row in rows]
        if code in sensitive:
            cells, total = suppress_column(counts)
            for shown_row, cell in zip(shown_rows, cells, strict=True):
                shown_row[code] = cell
            totals[code] = total
        else:
            totals[code] = sum(counts)
    return shown_rows, totals
