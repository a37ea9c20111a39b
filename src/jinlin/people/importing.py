"""Importing residents, households and Party members from .xlsx into one area.

SPEC "Data in and out": report every bad row (row number, column, reason); all or nothing
unless "valid rows only"; the same file twice changes nothing. Rows are read as a stream and
written in chunks inside one transaction: residents matched by ID number, households by
building and room; missing compounds and buildings of the area are created. Every change is
kept in the records' history, derived groups are refreshed, and one audit event (counts
only, no personal data) records the import.

This module runs an import; each step has its one place:
- reading: people.workbook (a refused file, the sheets' rows as a stream, the limits);
- cleaning: people.sheet (finding the header, each row's values and problems);
- writing: people.importwriter (a chunk into the area) over people.bulkwrite (raw SQL);
- the report: people.importreport.

Party records belong to the party app, which sits above people (the app graph in
pyproject.toml is one-way). The party app hands its writers to the importer once, from
`PartyConfig.ready()`, through `register_party_records`: one registration point rather than
a hook per event, because the importer needs exactly two things of it (the 党员 sheet's
chunks, the 入党时间 of residents once a chunk of them is written) and calls both inside
its own transaction, on its own chunks, reporting through its own writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.people import sheet
from jinlin.people.cells import MSG_DUPLICATE_ROW
from jinlin.people.importreport import ImportReport
from jinlin.people.importwriter import PartyRecords, Writer
from jinlin.people.services import record_id_number_clash
from jinlin.people.sheet import CleanRow, Header, Problem, RowCleaner
from jinlin.people.workbook import Limits, SheetRows, WorkbookRefused
from jinlin.places.models import Area

__all__ = ["ImportReport", "import_limits", "import_sheet", "register_party_records"]

MSG_NO_SHEET = "文件中没有找到可导入的工作表"
MSG_CONFLICT = "导入时数据被他人同时修改，请重新导入"

_CHUNK = 1000
_party_records: PartyRecords | None = None


def register_party_records(records: PartyRecords) -> None:
    """Called once by the party app (PartyConfig.ready): how Party records are written."""
    global _party_records  # noqa: PLW0603 - the one registration point, filled at startup
    _party_records = records


class _Rollback(Exception):
    pass


def import_limits() -> Limits:
    """The reader's limits from the settings (JINLIN_UPLOAD_*, JINLIN_IMPORT_MAX_ROWS);
    `JINLIN["IMPORT_LIMITS"]` may set any field of `Limits` (tests do)."""
    jinlin = getattr(settings, "JINLIN", {})
    defaults = Limits()
    configured = {
        "max_unzipped_bytes": jinlin.get(
            "UPLOAD_MAX_UNZIPPED_MB", defaults.max_unzipped_bytes // 2**20
        )
        * 2**20,
        "max_ratio": jinlin.get("UPLOAD_MAX_RATIO", defaults.max_ratio),
        "max_members": jinlin.get("UPLOAD_MAX_ENTRIES", defaults.max_members),
        "max_rows": jinlin.get("IMPORT_MAX_ROWS", defaults.max_rows),
    }
    return Limits(**{**configured, **jinlin.get("IMPORT_LIMITS", {})})


def import_sheet(
    *,
    source: str | Path | bytes | IO[bytes],
    kind: str,
    area: Area,
    actor: User | None,
    valid_only: bool = False,
    dry_run: bool = False,
    limits: Limits | None = None,
    actor_name: str = "",
) -> ImportReport:
    """Read the sheet and write it into the area (or, dry, only say what would happen)."""
    if kind not in sheet.KINDS:
        raise ValueError(kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        with SheetRows(source, limits or import_limits()) as book:
            found = _find_sheet(book, kind)
            if isinstance(found, Problem):
                report.errors.append(found)
                return report
            header, rows = found
            report.header_row = header.row
            report.ignored_columns = header.ignored
            writer = Writer(
                kind=kind,
                area=area,
                actor=actor,
                report=report,
                headings=header.headings,
                party=_party_records,
            )
            cleaner = RowCleaner(kind, header, today=timezone.localdate())
            report.total_rows = cleaner.total_rows  # filled as the rows are read
            try:
                with transaction.atomic():
                    for chunk in _chunks(_clean_rows(cleaner, rows, report)):
                        writer.write(chunk)
                    if dry_run or (report.errors and not valid_only):
                        raise _Rollback
                    writer.finish(actor_name=actor_name, valid_only=valid_only)
                    report.written = True
            except _Rollback:
                pass
            except IntegrityError:
                report.errors.append(Problem(0, "", MSG_CONFLICT))
            for holder_id, holder_area_id in writer.id_number_clashes:
                record_id_number_clash(
                    actor=actor,
                    holder_id=holder_id,
                    holder_area_id=holder_area_id,
                    actor_name=actor_name,
                )
    except WorkbookRefused as refused:
        report.errors.append(Problem(0, "", refused.message))
    if not report.written and not dry_run:
        report.created = report.updated = report.unchanged = 0
    report.errors.sort(key=lambda p: p.row)
    return report


def _find_sheet(
    book: SheetRows, kind: str
) -> tuple[Header, Iterator[tuple[int, list[Any]]]] | Problem:
    first_problem: Problem | None = None
    for name in book.sheet_names()[:10]:
        rows = book.rows(name)
        found = sheet.find_header(rows, kind)
        if isinstance(found, Header):
            # Cells merged down over a family's rows read as Excel shows them.
            return found, sheet.filled_down(rows, book.merged_down(name), below=found.row)
        first_problem = first_problem or found
    return first_problem or Problem(0, "", MSG_NO_SHEET)


def _clean_rows(
    cleaner: RowCleaner, rows: Iterator[tuple[int, list[Any]]], report: ImportReport
) -> Iterator[CleanRow]:
    seen: dict[tuple[Any, ...], int] = {}
    what = "身份证号" if cleaner.kind != sheet.KIND_HOUSEHOLDS else "户"
    column = (
        cleaner.heading("id_number")
        if cleaner.kind != sheet.KIND_HOUSEHOLDS
        else cleaner.heading("room")
    )
    for number, cells in rows:
        row = cleaner.clean(number, cells)
        if row is None:
            continue
        report.rows += 1
        key = sheet.duplicate_key(cleaner.kind, row.values)
        if key is not None:
            if key in seen:
                row.problems.append(
                    Problem(number, column, MSG_DUPLICATE_ROW.format(row=seen[key], what=what))
                )
            else:
                seen[key] = number
        report.errors.extend(row.problems)
        yield row


def _chunks(rows: Iterator[CleanRow]) -> Iterator[list[CleanRow]]:
    chunk: list[CleanRow] = []
    for row in rows:
        if row.is_valid:
            chunk.append(row)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
