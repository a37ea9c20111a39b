"""Long registry work run by the task queue (core.jobs): a large sheet's import."""

from __future__ import annotations

import io

from django.core.files.storage import default_storage
from django.http import Http404
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jinlin.core.access import can_manage_area
from jinlin.core.jobs import JobFailed, job_finish, job_progress
from jinlin.core.models import Job
from jinlin.people import sheet
from jinlin.people.importing import import_sheet
from jinlin.people.importreport import ImportReport
from jinlin.places.access import access_area

MSG_NO_LONGER_ALLOWED = "您已无权向该居民区导入"
MSG_STAGED_GONE = "上传的文件已过期（超过一小时），请重新上传"


def import_staged(
    job: Job, *, area_id: int, name: str, sheet_kind: str, valid_only: bool, create_places: bool
) -> None:
    """Import a sheet checked by its dry run and kept in the default storage; the sheet is
    deleted afterwards whatever happens (it holds personal data). The result file lists the
    counts and every refused row with its column and reason (no cell values)."""
    try:
        try:
            area = access_area(job.owner, area_id)
        except Http404:
            raise JobFailed(MSG_NO_LONGER_ALLOWED) from None
        if not can_manage_area(job.owner, area.pk):
            raise JobFailed(MSG_NO_LONGER_ALLOWED)
        if not default_storage.exists(name):
            raise JobFailed(MSG_STAGED_GONE)
        job_progress(job, 0, 1, message=f"正在导入{sheet.KIND_LABELS[sheet_kind]}……")
        with default_storage.open(name, "rb") as staged:
            report = import_sheet(
                source=staged,
                kind=sheet_kind,
                area=area,
                actor=job.owner,
                valid_only=valid_only,
                actor_name=job.owner.get_username(),
                create_places=create_places,
            )
    finally:
        default_storage.delete(name)
    job_finish(
        job,
        filename=f"导入结果-{area.name}.xlsx",
        content=report_workbook(
            report, title=f"{area.name}{sheet.KIND_LABELS[sheet_kind]}导入结果"
        ),
        message=report.summary()[:200],
    )


def report_workbook(report: ImportReport, *, title: str) -> bytes:
    book = Workbook()
    page = book.active
    assert isinstance(page, Worksheet)  # a new workbook has one worksheet
    page.title = "导入结果"
    page.append([title])
    page["A1"].font = Font(bold=True, size=14)
    page.append([report.summary()])
    page.append([])
    page.append(["行", "列", "问题"])
    for cell in page[4]:
        cell.font = Font(bold=True)
    for problem in report.errors:
        page.append([problem.row, problem.column, problem.message])
    page.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
