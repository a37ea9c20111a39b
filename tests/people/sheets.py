"""Real .xlsx files built in the tests, as workers would send them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

HEADINGS = [
    "姓名",
    "性别",
    "身份证号",
    "出生日期",
    "联系电话",
    "小区",
    "楼号",
    "室号",
    "与户主关系",
    "政治面貌",
    "备注",
]


def xlsx(
    rows: list[list[Any]],
    *,
    title: str | None = None,
    merge_title: bool = True,
    sheet_title: str = "Sheet1",
) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet_title
    if title is not None:
        worksheet.append([title])
        if merge_title:
            worksheet.merge_cells(
                start_row=1, start_column=1, end_row=1, end_column=max(len(r) for r in rows)
            )
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(content: bytes) -> list[list[Any]]:
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def refused_by_the_command(content: bytes, tmp_path, capsys) -> str:  # type: ignore[no-untyped-def]
    """Run `jinlin import residents` on the file; it must fail. What it printed."""
    path = tmp_path / "居民.xlsx"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "residents", str(path), "--area", "lv8")
    assert exit_.value.code != 0
    out = capsys.readouterr()
    return out.out + out.err
