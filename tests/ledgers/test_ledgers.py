"""台账 ledgers: the right rows and columns for a range, masked by default, within reach,
readable as .xlsx and as PDF, audited, made as a job from the page and from `jinlin ledger`."""

from __future__ import annotations

import io
import subprocess
from datetime import date

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from jinlin.core.access import forget_scope
from jinlin.core.auditwords import CODE_LABELS
from jinlin.core.models import AuditEvent, Job
from jinlin.ledgers.columns import HIDDEN, LEDGER_LABELS, columns_of
from jinlin.ledgers.selectors import ledger_rows, ledger_scope
from jinlin.ledgers.services import ledger_generate, ledger_request
from tests.conftest import login
from tests.ledgers.conftest import add_concern, add_patrol, add_visit

pytestmark = pytest.mark.django_db

NOV = {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}


def rows_of(user, kind, whole=frozenset(), **where):
    scope = ledger_scope(user, **NOV, **where)
    return ledger_rows(user, scope, kind, whole=whole)


def test_every_kind_has_the_inspectors_columns_first():
    for kind in ("visits", "concerns", "cases", "patrols", "meetings"):
        headings = [column.heading for column in columns_of(kind)]
        assert headings[:7] == ["序号", "日期", "地点", "人员", "事项", "结果", "经办人"]


def test_visits_ledger_holds_the_months_visits_only(world, secretary, november):
    rows = rows_of(secretary, "visits", area_id=world.area.pk)
    assert [row.on for row in rows] == [date(2026, 11, 3), date(2026, 11, 20)]
    first = rows[0]
    assert first.place == "绿园八村12号楼301室"
    assert first.people == "张建国"
    assert first.matter == "入户走访：希望有人帮忙买菜"
    assert first.result.startswith("良好")
    assert first.handler == "shegong_in"
    assert rows[1].extra["mode"] == "电话"


def test_visits_ledger_is_masked_by_default(world, secretary, november):
    first = rows_of(secretary, "visits", area_id=world.area.pk)[0]
    assert first.extra["health"] == HIDDEN
    assert "困难" not in first.extra["groups"]  # a sensitive group is not named
    cells = " ".join(first.cells("visits", 1))
    assert "高血压" not in cells
    assert world.resident.id_number not in cells and "13812345678" not in cells


def test_unmasked_visits_ledger_shows_health_and_sensitive_groups(world, secretary, november):
    first = rows_of(
        secretary, "visits", frozenset({"health", "sensitive_groups"}), area_id=world.area.pk
    )[0]
    assert first.extra["health"] == "高血压，需按时服药"
    assert "困难家庭" in first.extra["groups"] or "困难" in first.extra["groups"]


def test_concerns_ledger_hides_sensitive_categories_unless_unmasked(world, secretary, november):
    rows = rows_of(secretary, "concerns", area_id=world.area.pk)
    assert [row.on for row in rows] == [date(2026, 11, 5), date(2026, 11, 6), date(2026, 11, 7)]
    assert rows[0].matter == "清理12号楼楼道堆物"
    assert rows[0].result == "办理中"
    assert rows[0].extra["category"] == "社区事/环境卫生"
    hidden = rows[1]
    assert (hidden.people, hidden.extra["category"]) == (HIDDEN, HIDDEN)
    assert "补助" not in " ".join(hidden.cells("concerns", 2))
    whole = rows_of(secretary, "concerns", frozenset({"sensitive_groups"}), area_id=world.area.pk)
    assert whole[1].matter == "申请困难补助"
    assert whole[1].people == "张建国"


def test_cases_ledger_holds_cases_opened_in_the_range(world, secretary, november):
    rows = rows_of(secretary, "cases", area_id=world.area.pk)
    assert len(rows) == 1
    assert rows[0].matter.startswith("楼道堆物反复出现")
    assert rows[0].extra["status"] == "待诊断"
    assert rows[0].handler == "shegong_in"


def test_patrols_ledger_counts_findings(world, secretary, november):
    rows = rows_of(secretary, "patrols", area_id=world.area.pk)
    assert [row.on for row in rows] == [date(2026, 11, 12), date(2026, 11, 13)]
    assert rows[0].extra == {"findings": "2", "open": "2"}
    assert "楼道堆物（12号楼1楼楼道）" in rows[0].matter
    assert rows[0].result.startswith("发现问题 2 处")


def test_meetings_ledger_holds_meetings_and_activities(world, secretary, november):
    rows = rows_of(secretary, "meetings", area_id=world.area.pk)
    assert [(row.on, row.extra["type"]) for row in rows] == [
        (date(2026, 11, 15), "党小组会议"),
        (date(2026, 11, 16), "楼组活动"),
    ]
    meeting, activity = rows
    assert meeting.place == "居委会议室"
    assert meeting.people == "出席 1 人：张建国"
    assert meeting.matter == "党小组会议：楼道堆物整治；冬季防火"
    assert meeting.extra["organisation"] == "八村12号楼党小组"
    assert activity.people == "党员 1 人：张建国；居民约 6 人"


def test_compound_ledger_holds_that_compound_only(world, secretary, november):
    rows = rows_of(secretary, "concerns", compound_id=world.compound_b.pk)
    assert [row.matter for row in rows] == ["九村停车难"]


def test_worker_ledger_holds_what_the_worker_handled(world, secretary, worker_out, november):
    rows = rows_of(secretary, "visits", worker_id=worker_out.pk)
    assert [row.handler for row in rows] == ["shegong_out"]


def test_worker_sees_only_its_patch(world, worker_in, november):
    rows = rows_of(worker_in, "visits", worker_id=worker_in.pk)
    assert [row.place for row in rows] == ["绿园八村12号楼301室"]
    assert [r.place for r in rows_of(worker_in, "patrols", compound_id=world.compound_a.pk)] == [
        "绿园八村12号楼"
    ]


def test_worker_ledger_holds_a_concern_handed_to_it_outside_its_patch(world, worker_in, november):
    add_concern(
        world.household_b, world.resident_b, worker_in, date(2026, 11, 21), real_need="转交来的诉求"
    )
    rows = rows_of(worker_in, "concerns", worker_id=worker_in.pk)
    assert "转交来的诉求" in [row.matter for row in rows]
    assert "九村停车难" not in [row.matter for row in rows]


def test_worker_outside_its_patch_is_refused(world, worker_in, worker_out, november):
    with pytest.raises(Http404):
        ledger_scope(worker_in, **NOV, compound_id=world.compound_b.pk)
    with pytest.raises(Http404):
        ledger_scope(worker_in, **NOV, area_id=world.area.pk)  # the whole area is not its own
    with pytest.raises(Http404):
        ledger_scope(worker_in, **NOV, worker_id=worker_out.pk)
    with pytest.raises(Http404):
        ledger_scope(worker_in, **NOV, area_id=world.other_area.pk)


def test_selector_query_count_does_not_grow_with_rows(world, secretary, worker_in, november):
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    kinds = ("visits", "concerns", "cases", "patrols", "meetings")

    def queries(kind):
        with CaptureQueriesContext(connection) as captured:
            ledger_rows(secretary, scope, kind)
        return len(captured)

    before = {kind: queries(kind) for kind in kinds}
    for day in range(1, 25):
        add_visit(world.household_a, world.resident, worker_in, date(2026, 11, day))
        add_visit(world.household_b, world.resident_b, worker_in, date(2026, 11, day))
        add_concern(world.household_a, world.resident, worker_in, date(2026, 11, day))
        add_patrol(world.building_a, worker_in, date(2026, 11, day), findings=2)
    assert {kind: queries(kind) for kind in kinds} == before
    assert before["visits"] == 2  # visits with their places, then the residents' groups
    assert len(ledger_rows(secretary, scope, "visits")) == 50


def test_xlsx_opens_with_title_bold_frozen_header_and_landscape(world, secretary, november):
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    ledger = ledger_generate(user=secretary, scope=scope, kind="visits", fmt="xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(ledger.content)).active
    assert sheet["A1"].value == "绿八居民区 走访台账（2026年11月）"
    assert "脱敏" in sheet["A2"].value
    headers = [cell.value for cell in sheet[3]]
    assert headers[:7] == ["序号", "日期", "地点", "人员", "事项", "结果", "经办人"]
    assert all(cell.font.bold for cell in sheet[3] if cell.value)
    assert sheet.freeze_panes == "A4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["E"].width == 40
    assert [sheet.cell(row=4, column=2).value, sheet.cell(row=5, column=2).value] == [
        "2026-11-03",
        "2026-11-20",
    ]
    assert sheet.max_row == 5
    assert ledger.count == 2
    assert ledger.filename.endswith(".xlsx") and "走访台账" in ledger.filename


def test_pdf_renders_chinese_headers(tmp_path, world, secretary, november):
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    ledger = ledger_generate(user=secretary, scope=scope, kind="concerns", fmt="pdf")
    assert ledger.content.startswith(b"%PDF")
    path = tmp_path / "ledger.pdf"
    path.write_bytes(ledger.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "民情日志" in text
    assert "经办人" in text and "事项" in text
    assert "清理12号楼楼道堆物" in text
    assert "申请困难补助" not in text


def test_every_generation_is_audited(world, secretary, november):
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    ledger_generate(user=secretary, scope=scope, kind="visits", fmt="xlsx")
    ledger_generate(
        user=secretary,
        scope=scope,
        kind="concerns",
        fmt="pdf",
        unmasked=True,
        reason="街道检查台账",
    )
    masked, whole = AuditEvent.objects.filter(object_type="ledger").order_by("id")
    assert (masked.action, masked.object_id, masked.actor) == ("export", "visits", secretary)
    assert "masked" in masked.fields
    assert f"area:{world.area.pk}" in masked.fields
    assert "range:2026-11-01..2026-11-30" in masked.fields
    assert "count:2" in masked.fields
    assert whole.object_id == "concerns"
    assert "sensitive_groups" in whole.fields and "masked" not in whole.fields
    assert whole.reason == "街道检查台账"
    assert whole.area_id == world.area.pk


def test_page_queues_the_ledger_and_the_job_page_links_the_file(
    world, secretary, november, django_capture_on_commit_callbacks
):
    client = login(secretary)
    form = client.get("/ledgers/").content.decode()
    assert "生成台账" in form
    assert 'value="2026-11"' in form  # on 4 December, the month just ended
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ledgers/",
            {"kind": "visits", "scope": f"area:{world.area.pk}", "month": "2026-11", "fmt": "xlsx"},
        )
    job = Job.objects.get(owner=secretary)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.title == "绿八居民区 走访台账（2026年11月）"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"/jobs/{job.pk}/download" in page
    download = client.get(f"/jobs/{job.pk}/download")
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet.max_row == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"start": "2026-11-30", "end": "2026-11-01"}, "结束日期不能早于开始日期"),
        ({"start": "2025-01-01", "end": "2026-11-30"}, "日期范围不能超过 366 天"),
        ({}, "请选择月份，或填写开始和结束日期"),
        ({"month": "十一月"}, "月份的格式是 2026-11"),
    ],
)
def test_bad_range_is_answered_in_chinese_and_nothing_is_queued(
    world, secretary, data, message, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(secretary).post(
            "/ledgers/",
            {"kind": "visits", "scope": f"area:{world.area.pk}", "fmt": "xlsx", **data},
        )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Job.objects.exists()


def test_worker_asking_outside_its_patch_is_refused_and_nothing_is_queued(
    world, worker_in, django_capture_on_commit_callbacks
):
    client = login(worker_in)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ledgers/",
            {
                "kind": "visits",
                "scope": f"compound:{world.compound_b.pk}",
                "month": "2026-11",
                "fmt": "xlsx",
            },
        )
    assert response.status_code == 400
    assert "没有找到：超出您的工作范围" in response.content.decode()
    assert not Job.objects.exists()
    page = client.get("/ledgers/").content.decode()
    assert "绿园八村" in page and "绿园九村" not in page


def test_unmasked_ledger_needs_a_reason(world, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(secretary).post(
            "/ledgers/",
            {
                "kind": "concerns",
                "scope": f"area:{world.area.pk}",
                "month": "2026-11",
                "fmt": "pdf",
                "unmasked": "on",
            },
        )
    assert response.status_code == 400
    assert "生成完整信息台账须说明事由" in response.content.decode()
    assert not Job.objects.exists()


def test_roles_without_fieldwork_get_404(world, editor):
    assert login(editor).get("/ledgers/").status_code == 404


def test_command_writes_a_file(tmp_path, world, november):
    out = tmp_path / "visits.xlsx"
    stdout = io.StringIO()
    call_command(
        "ledger",
        "visits",
        "--area",
        world.area.code,
        "--month",
        "2026-11",
        "--format",
        "xlsx",
        "--out",
        str(out),
        stdout=stdout,
    )
    assert "已生成走访台账 2 条" in stdout.getvalue()
    sheet = openpyxl.load_workbook(out).active
    assert sheet["A1"].value == "绿八居民区 走访台账（2026年11月）"
    event = AuditEvent.objects.get(object_type="ledger")
    assert event.actor is None and event.actor_name.startswith("命令行")


def test_command_writes_a_pdf_for_a_compound_and_range(tmp_path, world, november):
    out = tmp_path / "patrols.pdf"
    call_command(
        "ledger",
        "patrols",
        "--compound",
        "绿园八村",
        "--from",
        "2026-10-01",
        "--to",
        "2026-11-30",
        "--format",
        "pdf",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_command_refuses_unmasked_without_a_user_and_bad_ranges(tmp_path, world):
    out = tmp_path / "x.xlsx"
    base = ["visits", "--area", world.area.code, "--out", str(out)]
    with pytest.raises(CommandError, match="--user"):
        call_command("ledger", *base, "--month", "2026-11", "--unmasked")
    with pytest.raises(CommandError, match="结束日期不能早于开始日期"):
        call_command("ledger", *base, "--from", "2026-11-30", "--to", "2026-11-01")
    assert not out.exists()


def test_pdf_repeats_the_table_header_on_every_page(tmp_path, world, secretary, worker_in):
    for day in range(1, 31):
        for _ in range(3):
            add_visit(world.household_a, world.resident, worker_in, date(2026, 11, day))
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    ledger = ledger_generate(user=secretary, scope=scope, kind="visits", fmt="pdf")
    path = tmp_path / "ledger.pdf"
    path.write_bytes(ledger.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    pages = int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )
    assert pages >= 2
    assert "landscape" in info.stdout or "841.89 x 595" in info.stdout
    for number in (1, pages):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "经办人" in text and "事项" in text
        assert f"第 {number} 页" in text


def test_a_job_whose_owner_lost_the_place_fails_with_a_plain_message(
    world, worker_in, november, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = ledger_request(
            user=worker_in,
            kind="visits",
            fmt="xlsx",
            start=NOV["start"],
            end=NOV["end"],
            compound_id=world.compound_a.pk,
        )
    worker_in.patch_compounds.set([world.compound_b])  # handed over before the queue ran it
    forget_scope(worker_in)
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "没有找到：超出您的工作范围"
    assert not AuditEvent.objects.filter(object_type="ledger").exists()


def test_audit_log_names_the_ledger_in_chinese(world, secretary, november):
    scope = ledger_scope(secretary, **NOV, area_id=world.area.pk)
    ledger_generate(user=secretary, scope=scope, kind="patrols", fmt="xlsx")
    body = login(secretary).get("/audit/").content.decode()
    assert "台账 巡查台账" in body
    assert "日期范围：2026-11-01..2026-11-30" in body
    assert "条数：2" in body


def test_audit_words_know_every_ledger():
    assert CODE_LABELS["ledger"] == LEDGER_LABELS


def test_command_unmasked_as_a_user_with_a_reason_is_audited(tmp_path, world, secretary, november):
    out = tmp_path / "concerns.xlsx"
    stdout = io.StringIO()
    call_command(
        "ledger",
        "concerns",
        "--worker",
        "shegong_in",
        "--month",
        "2026-11",
        "--out",
        str(out),
        "--unmasked",
        "--user",
        "shuji",
        "--reason",
        "街道年度检查",
        stdout=stdout,
    )
    assert "（完整信息）" in stdout.getvalue()
    sheet = openpyxl.load_workbook(out).active
    matters = [sheet.cell(row=row, column=5).value for row in range(4, sheet.max_row + 1)]
    assert matters == ["清理12号楼楼道堆物", "申请困难补助"]
    event = AuditEvent.objects.get(object_type="ledger")
    assert event.actor == secretary and event.reason == "街道年度检查"
    assert {"health", "sensitive_groups"} <= set(event.fields)
