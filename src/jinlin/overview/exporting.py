"""The subdistrict's overview as a workbook: counts per area, no personal data."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font

from jinlin.people.cells import neutralise
from jinlin.people.groups import GroupKind

WORK_HEADINGS = (
    ("due_visits", "今日应访（户）"),
    ("overdue_visits", "其中逾期"),
    ("visits_30d", "近30天走访"),
    ("concerns_30d", "近30天民声诉求"),
    ("open_cases", "在办个案"),
    ("old_open_cases", "其中超30天"),
)

# 群众评单 of the door's concerns, in the order of fieldwork's Rating (cells of 1 or 2 read "<3").
SATISFACTION_HEADINGS = ("群众评单：满意", "基本满意", "不满意", "满意率（%）")


def overview_workbook(
    rows: list[dict[str, Any]], groups: list[GroupKind], *, author: str, made_at: datetime
) -> bytes:
    """One line per area: households, residents, work, contact coverage, each group."""
    workbook = Workbook(write_only=True)
    title = "街道总览"
    workbook.properties.creator = author
    workbook.properties.title = title
    workbook.properties.created = made_at.replace(tzinfo=None)
    worksheet = workbook.create_sheet(title)
    worksheet.column_dimensions["A"].width = 16
    banner = WriteOnlyCell(
        worksheet,
        value=neutralise(
            f"{title} · 汇总数字，不含个人信息 · 导出人 {author} · {made_at:%Y-%m-%d %H:%M}"
        ),
    )
    banner.font = Font(bold=True)
    worksheet.append([banner])
    headings = [
        "居民区",
        "户数",
        "居民",
        *[label for _, label in WORK_HEADINGS],
        "党员联系户覆盖（%）",
        *SATISFACTION_HEADINGS,
        *[group.label for group in groups],
    ]
    worksheet.append([_bold(worksheet, text) for text in headings])
    for row in rows:
        worksheet.append(
            [
                neutralise(row["area"].name),
                row["households"],
                row["residents"],
                *[getattr(row["work"], key) for key, _ in WORK_HEADINGS],
                row["contacted"],
                *row["satisfaction"].cells,
                row["satisfaction"].percent,
                *[row["groups"].get(group.code, 0) for group in groups],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bold(worksheet: Any, text: str) -> Cell:
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = Font(bold=True)
    return cell
