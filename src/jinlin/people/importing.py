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
from contextlib import closing
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from jinlin.core.gcpause import gc_paused
from jinlin.core.models import User
from jinlin.people import sheet, sheetreading
from jinlin.people.importreport import ImportReport
from jinlin.people.importwriter import PartyRecords, Writer
from jinlin.people.services import record_id_number_clash
from jinlin.people.sheet import CleanRow, Header, Problem
from jinlin.people.workbook import Limits, WorkbookRefused
from jinlin.places.models import Area

__all__ = ["ImportReport", "import_limits", "import_sheet", "register_party_records"]

MSG_NO_SHEET = sheetreading.MSG_NO_SHEET
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


# The rows read and written are kept until the end: no collector walks over them.
@gc_paused()
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
    create_places: bool = False,
    second_process: bool | None = None,
) -> ImportReport:
    """Read the sheet and write it into the area (or, dry, only say what would happen).

    A compound or building the area lacks is created only with `create_places` (the user's
    confirmation); without it each row naming one is refused. A dry run creates them (and rolls
    back) to name each with its first row in `report.new_places`.

    With `second_process` a large file is read and cleaned in a second process while this
    one writes (people.sheetreading); None takes the setting JINLIN_IMPORT_SECOND_PROCESS
    (on by default)."""
    if kind not in sheet.KINDS:
        raise ValueError(kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    limits = limits or import_limits()
    today = timezone.localdate()
    if second_process is None:
        second_process = getattr(settings, "JINLIN", {}).get("IMPORT_SECOND_PROCESS", True)
    aside = sheetreading.wants_second_process(source, limits) if second_process else None
    items = (
        sheetreading.read_sheet_aside(aside, limits, kind, today=today)
        if aside is not None
        else sheetreading.read_sheet(source, limits, kind, today=today)
    )
    try:
        with closing(items):
            found = next(items)
            if isinstance(found, Problem):
                report.errors.append(found)
                return report
            assert isinstance(found, Header)
            report.header_row = found.row
            report.ignored_columns = found.ignored
            writer = Writer(
                kind=kind,
                area=area,
                actor=actor,
                report=report,
                headings=found.headings,
                party=_party_records,
                create_places=create_places or dry_run,
            )
            try:
                with transaction.atomic():
                    for chunk in _chunks(items, report):
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


def _chunks(items: Iterator[sheetreading.Item], report: ImportReport) -> Iterator[list[CleanRow]]:
    """The valid rows in chunks of `_CHUNK`, each batch counted in the report with its rows'
    problems as it arrives (a batch at a time: a generator step per row cost a tenth of a
    second of a 100,000-row import)."""
    chunk: list[CleanRow] = []
    for batch in items:
        assert isinstance(batch, sheetreading.Batch)
        report.total_rows.extend(batch.total_rows)
        report.rows += len(batch.rows)
        for row in batch.rows:
            if row.problems:
                report.errors.extend(row.problems)
            else:
                chunk.append(row)
        while len(chunk) >= _CHUNK:
            yield chunk[:_CHUNK]
            chunk = chunk[_CHUNK:]
    if chunk:
        yield chunk
