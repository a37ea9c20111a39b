"""Exports: masked unless the role may unmask, audited, signed, formula-safe, importable back."""

import io
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from jinlin.core.models import AuditEvent, Role
from jinlin.people import exporting, importwriter
from jinlin.people.importing import import_sheet
from jinlin.people.models import Resident
from jinlin.people.services import group_add_manual
from tests.factories import ResidentFactory, UserFactory
from tests.people.sheets import read_xlsx


def export(user, world, **selection):
    chosen = exporting.select(user, area_id=world.area.pk, **selection)
    return exporting.export_residents(user=user, selection=chosen)


def rows_of(content):
    rows = read_xlsx(content)
    headings = rows[1]
    return rows[0][0], [dict(zip(headings, row, strict=False)) for row in rows[2:]]


def test_masked_export_hides_ids_phones_health_and_the_birth_day(world, secretary):
    Resident.objects.filter(pk=world.resident.pk).update(health="chronic", health_notes="高血压")
    result = export(secretary, world)
    _banner, rows = rows_of(result.content)
    row = next(r for r in rows if r["姓名"] == "张建国")
    assert (
        row["身份证号"] == world.resident.id_number[:6] + "********" + world.resident.id_number[-4:]
    )
    assert row["联系电话"] == "138****5678"
    assert row["出生日期"] == "1950年"
    assert (row["健康状况"], row["健康备注"]) == ("已隐藏", "已隐藏")
    assert (row["小区"], row["楼号"], row["室号"]) == ("绿园八村", "12", "301")
    assert result.unmasked == []
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.fields == ["masked", "count:2"] and event.actor == secretary


def test_every_export_names_who_made_it_and_when(world, secretary):
    secretary.display_name = "沈建华"
    content = export(secretary, world).content
    banner, _rows = rows_of(content)
    assert "导出人：沈建华（shuji）" in banner and "导出时间：" in banner
    properties = load_workbook(io.BytesIO(content)).properties
    assert properties.creator == "沈建华（shuji）"
    assert properties.created is not None


def test_unmasked_export_needs_a_reason_and_is_audited(world, secretary):
    selection = exporting.select(secretary, area_id=world.area.pk)
    with pytest.raises(exporting.PermissionDenied):
        exporting.export_residents(user=secretary, selection=selection, unmasked=True, reason=" ")
    result = exporting.export_residents(
        user=secretary, selection=selection, unmasked=True, reason="换届选举核对"
    )
    _banner, rows = rows_of(result.content)
    row = next(r for r in rows if r["姓名"] == "张建国")
    assert (row["身份证号"], row["联系电话"], row["出生日期"].date()) == (
        world.resident.id_number,
        "13812345678",
        date(1950, 3, 2),
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.reason == "换届选举核对"
    assert event.fields == ["id_number", "phone", "health", "sensitive_groups", "count:2"]


def test_roles_that_may_not_unmask_get_no_whole_export(world):
    editor = UserFactory(role=Role.EDITOR)
    with pytest.raises(exporting.PermissionDenied):
        exporting.unmasked_fields(editor, unmasked=True, reason="x")
    branch = UserFactory(role=Role.BRANCH_SECRETARY, area=world.area)
    assert exporting.unmasked_fields(branch, unmasked=True, reason="x") == ["phone"]


def test_cells_that_would_run_as_formulas_are_neutralised(world, secretary):
    Resident.objects.filter(pk=world.resident.pk).update(
        notes='=HYPERLINK("http://x")', employer="@SUM(1)", occupation="-1+2"
    )
    content = exporting.export_residents(
        user=secretary,
        selection=exporting.select(secretary, area_id=world.area.pk),
        unmasked=True,
        reason="核对",
    ).content
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    values = {cell.value for cell in cells}
    assert {'\'=HYPERLINK("http://x")', "'@SUM(1)", "'-1+2"} <= values


def test_reimporting_an_unmasked_export_changes_nothing(world, secretary):
    Resident.objects.filter(pk=world.resident.pk).update(
        notes="=1+1",
        hobbies=["书法", "太极拳"],
        health="chronic",
        health_notes="高血压",
        is_retired=True,
    )
    group_add_manual(resident=world.resident, actor=secretary, group="talent", reason="会书法")
    content = exporting.export_residents(
        user=secretary,
        selection=exporting.select(secretary, area_id=world.area.pk),
        unmasked=True,
        reason="备份",
    ).content
    history = Resident.history.count()
    report = import_sheet(source=content, kind="residents", area=world.area, actor=secretary)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Resident.history.count() == history
    world.resident.refresh_from_db()
    assert world.resident.notes == "=1+1"


def test_a_masked_export_edited_and_imported_back_changes_only_the_edit(world, secretary):
    """The sheet a worker downloads by default: masked ID, phone, health and a birth year. Read
    back, a masked cell means "as stored"; the cell the worker edited is the one change."""
    Resident.objects.filter(pk=world.resident.pk).update(
        health="chronic", health_notes="高血压", phone="13812345678"
    )
    world.resident.refresh_from_db()
    before = {
        f: getattr(world.resident, f)
        for f in ("id_number", "phone", "health", "health_notes", "birth_date")
    }
    content = export(secretary, world).content
    unchanged = import_sheet(source=content, kind="residents", area=world.area, actor=secretary)
    assert unchanged.errors == []
    assert (unchanged.created, unchanged.updated, unchanged.unchanged) == (0, 0, 2)

    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    headings = [cell.value for cell in sheet[2]]
    for row in sheet.iter_rows(min_row=3):
        if row[headings.index("姓名")].value == world.resident.name:
            row[headings.index("职业")].value = "退休教师"
    edited = io.BytesIO()
    book.save(edited)
    history = Resident.history.count()
    report = import_sheet(
        source=edited.getvalue(), kind="residents", area=world.area, actor=secretary
    )
    assert report.errors == [] and report.written
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Resident.history.count() == history + 1
    world.resident.refresh_from_db()
    assert world.resident.occupation == "退休教师"
    assert {f: getattr(world.resident, f) for f in before} == before


def test_a_masked_id_without_its_resident_is_refused_with_a_message(world, secretary):
    content = export(secretary, world).content
    book = load_workbook(io.BytesIO(content))
    sheet = book.active
    headings = [cell.value for cell in sheet[2]]
    sheet.cell(row=3, column=headings.index("姓名") + 1).value = "不存在的人"
    edited = io.BytesIO()
    book.save(edited)
    report = import_sheet(
        source=edited.getvalue(), kind="residents", area=world.area, actor=secretary
    )
    assert [p.message for p in report.errors] == [importwriter.MSG_MASKED_NO_MATCH]
    assert not report.written


def test_a_worker_exports_only_its_patch_and_gets_404_elsewhere(world, worker_in, worker_out):
    _banner, rows = rows_of(export(worker_out, world).content)
    assert [r["姓名"] for r in rows] == ["李秀英"]
    with pytest.raises(exporting.Http404):
        exporting.select(worker_out, area_id=world.area.pk, compound_id=world.compound_a.pk)
    with pytest.raises(exporting.Http404):
        exporting.select(worker_out, area_id=world.area.pk, building_id=world.building_a.pk)
    with pytest.raises(exporting.Http404):
        exporting.select(worker_in, area_id=world.other_area.pk)


def test_editor_and_unopened_admin_get_404(world, editor, admin):
    for user in (editor, admin):
        with pytest.raises(exporting.Http404):
            exporting.select(user, area_id=world.area.pk)


def test_building_compound_and_group_exports(world, secretary):
    ResidentFactory(
        household=world.household_a, name="孙阿婆", birth_date=date(1930, 1, 1), gender="F"
    )
    _b, rows = rows_of(export(secretary, world, building_id=world.building_b.pk).content)
    assert [r["姓名"] for r in rows] == ["李秀英"]
    _b, rows = rows_of(export(secretary, world, compound_id=world.compound_a.pk).content)
    assert {r["姓名"] for r in rows} == {"张建国", "孙阿婆"}
    group_add_manual(resident=world.resident, actor=secretary, group="model_worker", reason="劳模")
    _b, rows = rows_of(export(secretary, world, group="model_worker").content)
    assert [r["姓名"] for r in rows] == ["张建国"]


def test_sensitive_group_export_needs_the_right_to_see_it(world):
    branch = UserFactory(role=Role.BRANCH_SECRETARY, area=world.area)
    branch.patch_compounds.set([world.compound_a])
    with pytest.raises(exporting.Http404):
        exporting.select(branch, area_id=world.area.pk, group="hardship")


# --- pages ---


def test_export_links_on_list_pages_and_downloads(as_user, world, secretary, worker_out):
    client = as_user(secretary)
    page = client.get(f"/areas/{world.area.pk}/").content.decode()
    assert f"/areas/{world.area.pk}/export/" in page and f"/areas/{world.area.pk}/import/" in page
    assert (
        f"export/?compound={world.compound_a.pk}"
        in client.get(f"/compounds/{world.compound_a.pk}/").content.decode()
    )
    assert (
        f"export/?building={world.building_a.pk}"
        in client.get(f"/buildings/{world.building_a.pk}/").content.decode()
    )
    response = client.get(f"/areas/{world.area.pk}/export/", {"compound": world.compound_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    worker = as_user(worker_out)
    assert (
        worker.get(f"/areas/{world.area.pk}/export/", {"compound": world.compound_a.pk}).status_code
        == 404
    )
    assert (
        worker.get(f"/areas/{world.area.pk}/export/", {"building": world.building_a.pk}).status_code
        == 404
    )
    assert (
        f"/areas/{world.area.pk}/import/"
        not in worker.get(f"/areas/{world.area.pk}/").content.decode()
    )


def test_unmasked_export_page_asks_for_a_reason(as_user, world, secretary):
    client = as_user(secretary)
    assert client.post(f"/areas/{world.area.pk}/export/", {"reason": ""}).status_code == 403
    response = client.post(f"/areas/{world.area.pk}/export/", {"reason": "核对"})
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT, reason="核对").exists()


# --- the command ---


def test_export_command(world, tmp_path, worker_out):
    path = tmp_path / "out.xlsx"
    call_command("export", "residents", "--area", "lv8", "--compound", "绿园八村", "-o", str(path))
    _banner, rows = rows_of(path.read_bytes())
    assert [r["姓名"] for r in rows] == ["张建国"] and "*" in rows[0]["身份证号"]
    with pytest.raises(CommandError):
        call_command("export", "residents", "--area", "lv8", "--unmasked", "-o", str(path))
    with pytest.raises(CommandError, match="没有找到"):
        call_command(
            "export",
            "residents",
            "--area",
            "lv8",
            "--building",
            "12",
            "--user",
            worker_out.username,
            "-o",
            str(path),
        )
    call_command(
        "export",
        "residents",
        "--area",
        "lv8",
        "--user",
        "shegong_out",
        "--unmasked",
        "--reason",
        "走访",
        "-o",
        str(path),
    )
    _banner, rows = rows_of(path.read_bytes())
    assert [(r["姓名"], r["联系电话"]) for r in rows] == [("李秀英", "13998765432")]


# --- the other import formats: households and Party members -----------------------------------


def make_member(resident, **fields):
    from jinlin.party.models import PartyMember
    from jinlin.people.models import PoliticalStatus

    Resident.objects.filter(pk=resident.pk).update(political_status=PoliticalStatus.MEMBER)
    defaults = {"joined_on": date(1975, 7, 1), "full_member_on": date(1976, 7, 1)}
    return PartyMember.objects.create(resident=resident, **{**defaults, **fields})


def test_party_members_export_in_the_party_sheets_columns_masked_by_default(world, secretary):
    make_member(
        world.resident, is_in_service=False, can_contact=False, cannot_contact_reason="年事已高"
    )
    selection = exporting.select(secretary, area_id=world.area.pk)
    export_ = exporting.export_residents(user=secretary, selection=selection, kind="party-members")
    banner, rows = rows_of(export_.content)
    assert "党员" in banner and "脱敏" in banner
    assert rows == [
        {
            "姓名": "张建国",
            "身份证号": exporting.mask_id_number(world.resident.id_number),
            "入党时间": datetime(1975, 7, 1),
            "转正时间": datetime(1976, 7, 1),
            "在职党员": "否",
            "双报到": "否",
            "组织关系所在单位": None,
            "能承担联系户": "否",
            "不能联系户的原因": "年事已高",
            "同意公示电话": "否",
        }
    ]
    assert export_.filename.startswith("绿八居民区-党员-")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.fields == ["masked", "kind:party-members", "count:1"]


def test_reimporting_unmasked_party_members_and_households_changes_nothing(world, secretary):
    make_member(world.resident, is_dual_registered=True, home_organisation="上海第十七棉纺织厂")
    world.household_a.notes = "老房子，楼梯陡"
    world.household_a.save()
    selection = exporting.select(secretary, area_id=world.area.pk)
    party = exporting.export_residents(
        user=secretary,
        selection=selection,
        unmasked=True,
        reason="核对党员名册",
        kind="party-members",
    )
    households = exporting.export_residents(user=secretary, selection=selection, kind="households")
    assert party.count == 1 and households.count == 2
    for content, kind in ((party.content, "party-members"), (households.content, "households")):
        report = import_sheet(source=content, kind=kind, area=world.area, actor=secretary)
        assert report.errors == []
        assert (report.created, report.updated) == (0, 0) and report.unchanged > 0


def test_export_command_writes_each_kind(world, tmp_path):
    make_member(world.resident)
    out = tmp_path / "党员.xlsx"
    call_command("export", "party-members", "--area", "lv8", "-o", str(out))
    _banner, rows = rows_of(out.read_bytes())
    assert [r["姓名"] for r in rows] == ["张建国"]
    out = tmp_path / "户.xlsx"
    call_command("export", "households", "--area", "lv8", "-o", str(out))
    _banner, rows = rows_of(out.read_bytes())
    assert sorted(r["室号"] for r in rows) == ["301", "502"]


def test_party_members_page_offers_the_party_export(as_user, world, secretary):
    make_member(world.resident)
    page = as_user(secretary).get(f"/party/areas/{world.area.pk}/members/").content.decode()
    assert f"/areas/{world.area.pk}/export/?kind=party-members" in page
    assert "导出党员名册 Excel（脱敏）" in page
    download = as_user(secretary).get(f"/areas/{world.area.pk}/export/?kind=party-members")
    assert download.status_code == 200
    assert as_user(secretary).get(f"/areas/{world.area.pk}/export/?kind=nothing").status_code == 404


def test_households_of_a_group_and_of_a_building(world, secretary):
    """A group's households are the flats of its members; a building's, every flat of it."""
    selection = exporting.select(secretary, area_id=world.area.pk, group="living_alone")
    export_ = exporting.export_residents(user=secretary, selection=selection, kind="households")
    _banner, rows = rows_of(export_.content)
    assert sorted((r["小区"], r["室号"]) for r in rows) == [
        ("绿园九村", "502"),
        ("绿园八村", "301"),
    ]
    selection = exporting.select(secretary, area_id=world.area.pk, building_id=world.building_b.pk)
    export_ = exporting.export_residents(user=secretary, selection=selection, kind="households")
    assert [r["室号"] for r in rows_of(export_.content)[1]] == ["502"]


def test_a_masked_export_does_not_tell_who_has_a_health_note(world, secretary):
    """The probe: 已隐藏 stood exactly on the rows with a note, empty on the others."""
    Resident.objects.filter(pk=world.resident.pk).update(health="chronic", health_notes="高血压")
    _banner, rows = rows_of(export(secretary, world).content)
    assert {row["姓名"]: row["健康备注"] for row in rows} == {
        "张建国": "已隐藏",
        "李秀英": "已隐藏",
    }
