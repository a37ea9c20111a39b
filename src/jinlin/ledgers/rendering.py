"""A ledger on paper: .xlsx (openpyxl) and PDF (WeasyPrint, the placards' Noto CJK fonts).

Both carry a title (the place or worker, the ledger, the range), who made it and when, and
whether it is masked; the Excel header row is bold and frozen, columns have widths, the sheet
prints landscape with the header on every page; the PDF repeats its table header on each page.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from jinlin.ledgers.columns import Row, columns_of
from jinlin.people.cells import neutralise

Progress = Callable[[int], None]
HEADER_ROW = 3  # a title line, a line naming who and when, then the headings


@dataclass(frozen=True)
class Heading:
    title: str  # 绿八居民区 走访台账（2026年11月）
    made_by: str
    made_at: datetime
    masked: bool

    @property
    def byline(self) -> str:
        state = "脱敏" if self.masked else "完整信息（含敏感个人信息，请妥善保管、用后删除）"
        return f"制表人：{self.made_by} · 制表时间：{self.made_at:%Y-%m-%d %H:%M} · {state}"


def ledger_xlsx(kind: str, rows: list[Row], heading: Heading, progress: Progress) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = "台账"
    workbook.properties.creator = heading.made_by
    workbook.properties.title = heading.title
    columns = columns_of(kind)
    last = get_column_letter(len(columns))
    sheet.append([neutralise(heading.title)])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([neutralise(heading.byline)])
    sheet.merge_cells(f"A2:{last}2")
    sheet.append([column.heading for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        cell = sheet.cell(row=HEADER_ROW, column=index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    for seq, row in enumerate(rows, start=1):
        sheet.append([neutralise(value) for value in row.cells(kind, seq)])
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        progress(seq)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_pdf(kind: str, rows: list[Row], heading: Heading, progress: Progress) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango, which only printing needs

    columns = columns_of(kind)
    total_width = sum(column.width for column in columns)
    lines = []
    for seq, row in enumerate(rows, start=1):
        lines.append(row.cells(kind, seq))
        progress(seq)
    html = render_to_string(
        "ledgers/ledger_pdf.html",
        {
            "heading": heading,
            "columns": [
                (column.heading, round(column.width * 100 / total_width, 1)) for column in columns
            ],
            "lines": lines,
        },
    )
    return HTML(string=html).write_pdf()
