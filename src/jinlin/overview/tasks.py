"""Long work over many areas run by the task queue (core.jobs): the Party network's proposals
of every area a subdistrict (or the city) oversees, checked in one go."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jinlin.core.jobs import JobFailed, job_finish, job_progress
from jinlin.core.models import Job, Role
from jinlin.party.selectors import area_proposal
from jinlin.places.access import visible_areas

MSG_NOT_ALLOWED = "只有街道管理员可以检查全部居民区的党组织方案"
MSG_NO_AREAS = "没有可检查的居民区"
COLUMNS = [
    ("branches_new", "新建党支部"),
    ("branches_dissolved", "撤销党支部"),
    ("branches_changed", "调整党支部"),
    ("groups_new", "新建党小组"),
    ("groups_dissolved", "撤销党小组"),
    ("groups_changed", "调整党小组"),
    ("buildings_moved", "楼组变动"),
]


def party_check(job: Job) -> None:
    """每个居民区“三人成组”方案与现状的差异 (counts only, no person): which areas' secretaries
    have a reorganisation to review and apply. Nothing is applied: each area's proposal is
    applied by its own secretary, on its page, after reading it."""
    user = job.owner
    if not (user.is_superuser or user.role == Role.SUBDISTRICT_ADMIN):
        raise JobFailed(MSG_NOT_ALLOWED)
    areas = list(visible_areas(user).select_related("subdistrict").order_by("subdistrict", "name"))
    if not areas:
        raise JobFailed(MSG_NO_AREAS)
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook has one worksheet
    sheet.title = "党组织方案检查"
    sheet.append(
        ["街道", "居民区", "方案", *(label for _key, label in COLUMNS), "党员调整", "联系户失效"]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    to_review = 0
    for done, area in enumerate(areas):
        job_progress(job, done, len(areas), message=f"正在检查 {area.name}……")
        proposal = area_proposal(area)
        counts = proposal.diff.counts()
        summary = proposal.summary()
        to_review += summary != "无需调整"
        sheet.append(
            [
                area.subdistrict.name,
                area.name,
                summary,
                *(counts[key] for key, _label in COLUMNS),
                len(proposal.member_changes),
                len(proposal.contacts_ending),
            ]
        )
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    job_progress(job, len(areas), len(areas))
    job_finish(
        job,
        filename="党组织方案检查.xlsx",
        content=buffer.getvalue(),
        message=f"{len(areas)} 个居民区中 {to_review} 个有待调整",
    )
