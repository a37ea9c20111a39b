"""Importing real .xlsx files: messy cells, all or nothing, idempotency, the report, limits."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from jinlin.core.models import AuditEvent
from jinlin.party.importing import MSG_NOT_REGISTERED
from jinlin.party.models import PartyMember
from jinlin.people import cells, importwriter, services, workbook
from jinlin.people.groups import GroupCode
from jinlin.people.importing import import_sheet
from jinlin.people.models import GroupMembership, Resident
from jinlin.people.workbook import Limits
from jinlin.places.models import Building, Compound, Household
from tests.factories import valid_id
from tests.people.sheets import HEADINGS, xlsx

OLD = valid_id(date(1950, 3, 2), "M")
WIFE = valid_id(date(1952, 4, 5), "F")
YOUNG = valid_id(date(1990, 1, 9), "M")


def good_rows():
    return [
        HEADINGS,
        [
            "陈国华",
            "男",
            OLD,
            "1950.3.2",
            "13800001111",
            "绿园八村",
            "12号楼",
            "301",
            "户主",
            "中共党员",
            "",
        ],
        [
            "王秀兰",
            "女",
            WIFE,
            "1952年4月5日",
            "",
            "绿园八村",
            "12",
            "301室",
            "配偶",
            "群众",
            "腿脚不便",
        ],
        ["陈小军", "", YOUNG, "", "13900002222", "绿园八村", "十二号楼", "302", "户主", "", ""],
    ]


def run(world, rows, **options):
    return import_sheet(
        source=xlsx(rows, title="绿八居民区居民信息表"),
        kind="residents",
        area=world.area,
        actor=None,
        **options,
    )


def test_messy_sheet_is_read_as_a_worker_means_it(world):
    number = YOUNG.lower() if YOUNG.endswith("X") else YOUNG
    rows = [
        [
            "序号",
            "姓名 ",
            "性别",
            "公民身份号码",
            "出生年月日",
            "手机号码",
            "小区名称",
            "幢",
            "房号",
            "与户主关系",
            "户籍/居住状态",
        ],
        [],
        [
            1,
            "陈　国华",
            "男",
            " " + OLD + " ",
            18324,
            13800001111,
            "绿园八村 ",
            "１２号楼",
            "３０１",
            "户主",
            "户籍",
        ],
        [
            2,
            "王秀兰",
            "女",
            WIFE.lower(),
            "1952年4月5日",
            None,
            "绿园八村",
            12,
            301,
            "妻子",
            "常住",
        ],
        [None, None, None, None, None, None, None, None, None, None, None],
        [
            3,
            "陈小军",
            None,
            "\u3000" + number,
            "19900109",
            "139 0000 2222",
            "绿园八村",
            "十二号楼",
            "302室",
            "",
            "来沪人员",
        ],
    ]
    report = run(world, rows)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    chen = Resident.objects.get(id_number=OLD)
    assert (chen.name, chen.birth_date, chen.phone) == ("陈国华", date(1950, 3, 2), "13800001111")
    assert (chen.household.building.number, chen.household.room) == ("12", "301")
    assert chen.household_id == Resident.objects.get(id_number=WIFE).household_id
    young = Resident.objects.get(id_number=YOUNG)
    assert (young.residence_status, young.phone, young.gender) == ("floating", "13900002222", "M")
    assert world.household_a.residents.count() == 3  # 12号楼301 existed already


def test_every_bad_row_reported_with_row_column_and_reason_and_nothing_written(world):
    rows = good_rows()
    rows[2][2] = OLD[:17] + ("0" if OLD[17] != "0" else "1")  # wrong check character
    rows[3][6] = "东边那幢"
    report = run(world, rows)
    assert [(p.row, p.column) for p in report.errors] == [(4, "身份证号"), (5, "楼号")]
    assert all(p.message for p in report.errors)
    assert not report.written
    assert not Resident.objects.filter(id_number=OLD).exists()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 0)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_valid_only_writes_the_good_rows_and_reports_the_bad(world):
    rows = good_rows()
    rows[2][2] = "12345"
    report = run(world, rows, valid_only=True)
    assert [(p.row, p.column) for p in report.errors] == [(4, "身份证号")]
    assert report.written and report.created == 2
    assert Resident.objects.filter(id_number__in=[OLD, YOUNG]).count() == 2


def test_dry_run_says_what_would_happen_and_writes_nothing(world):
    report = run(world, good_rows(), dry_run=True)
    assert report.created == 3 and not report.written
    assert not Resident.objects.filter(id_number=OLD).exists()


def test_importing_the_same_file_twice_changes_nothing(world):
    content = xlsx(good_rows())
    first = import_sheet(source=content, kind="residents", area=world.area, actor=None)
    history = Resident.history.count()
    households = Household.objects.count()
    second = import_sheet(source=content, kind="residents", area=world.area, actor=None)
    assert (first.created, second.created, second.updated, second.unchanged) == (3, 0, 0, 3)
    assert Resident.history.count() == history
    assert Household.objects.count() == households
    assert PartyMember.objects.count() == 0


def test_a_created_resident_and_flat_start_their_history_as_stored(world, secretary):
    rows = good_rows()
    rows[1][7] = "601"  # a flat the area lacks: created with its resident
    report = import_sheet(source=xlsx(rows), kind="residents", area=world.area, actor=secretary)
    assert report.created == 3 and report.new_households == 2
    chen = Resident.objects.get(id_number=OLD)
    (first,) = chen.history.all()
    assert (first.history_type, first.history_user, first.history_change_reason) == (
        "+",
        secretary,
        importwriter.CHANGE_REASON,
    )
    assert (first.name, first.birth_date, first.phone, first.political_status, first.hobbies) == (
        chen.name,
        date(1950, 3, 2),
        "13800001111",
        chen.political_status,
        chen.hobbies,
    )
    assert first.household_id == chen.household_id and first.created_at == chen.created_at
    (flat,) = chen.household.history.all()
    assert (flat.history_type, flat.room, flat.building_id) == ("+", "601", world.building_a.pk)


def test_a_changed_row_updates_the_record_and_shows_in_its_history(world, secretary):
    import_sheet(source=xlsx(good_rows()), kind="residents", area=world.area, actor=secretary)
    rows = good_rows()
    rows[1][4] = "13800009999"
    rows[3][7] = "502"  # moved to another flat
    report = import_sheet(source=xlsx(rows), kind="residents", area=world.area, actor=secretary)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    chen = Resident.objects.get(id_number=OLD)
    assert chen.phone == "13800009999" and chen.phone_tail == "9999"
    latest = chen.history.latest()
    assert latest.history_user == secretary
    assert latest.history_change_reason == importwriter.CHANGE_REASON
    assert Resident.objects.get(id_number=YOUNG).household.room == "502"


def test_blank_cells_never_erase(world):
    import_sheet(source=xlsx(good_rows()), kind="residents", area=world.area, actor=None)
    rows = good_rows()
    rows[1][4] = ""
    report = run(world, rows)
    assert report.unchanged == 3
    assert Resident.objects.get(id_number=OLD).phone == "13800001111"


def test_derived_groups_follow_the_import(world):
    rows = [
        HEADINGS,
        [
            "孙阿婆",
            "女",
            valid_id(date(1940, 1, 1), "F"),
            "",
            "",
            "绿园八村",
            "12",
            "401",
            "户主",
            "",
            "",
        ],
    ]
    run(world, rows)
    resident = Resident.objects.get(name="孙阿婆")
    assert GroupMembership.objects.filter(
        resident=resident, group=GroupCode.LIVING_ALONE, ended_on__isnull=True
    ).exists()


def test_joining_date_makes_a_party_member(world):
    rows = good_rows()
    rows[0] = [*HEADINGS, "入党时间"]
    rows[1] = [*rows[1], "1970.7.1"]
    report = run(world, rows)
    assert report.errors == []
    member = PartyMember.objects.get(resident__id_number=OLD)
    assert member.joined_on == date(1970, 7, 1)
    assert member.full_member_on == date(1971, 7, 1)
    assert GroupMembership.objects.filter(
        resident=member.resident, group=GroupCode.VETERAN_MEMBER
    ).exists()
    assert run(world, rows).unchanged == 3


def _open_derived_groups(households):
    return {
        (m.resident.name, m.group, m.since, m.household_id)
        for m in GroupMembership.objects.filter(
            household_id__in=households,
            source=GroupMembership.Source.DERIVED,
            ended_on__isnull=True,
        ).select_related("resident")
    }


def test_a_first_import_gives_new_flats_the_derived_groups_a_refresh_would(world):
    """Flats the import creates get 独居老人 and 老党员 from the rows it wrote: the rows a
    refresh from the database would write (it then finds nothing to change)."""
    heading = [*HEADINGS, "状态", "变动日期", "入党时间"]

    def row(name, born, gender, room, status="", moved="", joined="", political=""):
        number = valid_id(born, gender)
        return [name, "", number, "", "", "绿园八村", "12", room, "", political, "", status,
                moved, joined]  # fmt: skip

    rows = [
        heading,
        row("孙阿婆", date(1940, 1, 1), "F", "401"),
        row("周老伯", date(1938, 2, 2), "M", "402"),
        row("周阿婆", date(1939, 3, 3), "F", "402"),
        row("吴老伯", date(1941, 4, 4), "M", "403"),
        row("吴阿婆", date(1942, 5, 5), "F", "403", status="已故", moved="2020.1.1"),
        row("郑老党员", date(1935, 6, 6), "M", "404", joined="1960.7.1", political="中共党员"),
        row("冯先生", date(1967, 6, 1), "M", "405"),
        row("冯老伯", date(1944, 7, 7), "M", "406", status="已迁出", moved="2024.1.1"),
    ]
    report = run(world, rows)
    assert report.errors == []
    households = dict(Household.objects.filter(room__startswith="40").values_list("room", "id"))
    assert len(households) == 6
    assert _open_derived_groups(households.values()) == {
        ("孙阿婆", GroupCode.LIVING_ALONE, date(2000, 1, 1), households["401"]),
        ("吴老伯", GroupCode.LIVING_ALONE, date(2001, 4, 4), households["403"]),
        ("郑老党员", GroupCode.LIVING_ALONE, date(1995, 6, 6), households["404"]),
        ("郑老党员", GroupCode.VETERAN_MEMBER, date(2010, 7, 1), households["404"]),
        ("冯先生", GroupCode.LIVING_ALONE, date(2027, 6, 1), households["405"]),
    }
    assert services.refresh_derived_groups(households.values()) == 0


def test_a_resident_moving_into_a_flat_the_import_creates_has_its_groups_refreshed(world):
    """A flat created by the import that a registered resident moves into is read back: the
    elder who lived alone shares the new flat and leaves 独居老人."""
    rows = good_rows()[:2]
    rows[1][7] = "305"
    run(world, rows)
    assert GroupMembership.objects.filter(
        resident__id_number=OLD, group=GroupCode.LIVING_ALONE, ended_on__isnull=True
    ).exists()
    moved = good_rows()[:3]
    moved[1][7] = moved[2][7] = "501"
    assert run(world, moved).errors == []
    assert not GroupMembership.objects.filter(
        resident__id_number=OLD, group=GroupCode.LIVING_ALONE, ended_on__isnull=True
    ).exists()
    assert services.refresh_derived_groups(Household.objects.values_list("id", flat=True)) == 0


def test_new_compounds_and_buildings_are_created_and_named_when_confirmed(world):
    rows = good_rows()
    rows[3][5] = "绿园新苑"
    report = run(world, rows, create_places=True)
    assert report.new_compounds == ["绿园新苑"]
    assert Building.objects.filter(compound__name="绿园新苑", number="12").exists()
    assert "新建小区：绿园新苑" in report.summary()
    assert [(p.row, p.message) for p in report.new_places] == [
        (5, importwriter.MSG_NEW_COMPOUND.format(compound="绿园新苑")),
        (5, importwriter.MSG_NEW_BUILDING.format(compound="绿园新苑", building="12号楼")),
    ]


def test_a_place_the_area_lacks_is_never_created_silently(world):
    rows = good_rows()
    rows[3][6] = "21"  # 绿园八村 has no 21号楼
    before = Building.objects.count()
    dry = run(world, rows, dry_run=True)
    assert dry.errors == []
    assert [(p.row, p.message) for p in dry.new_places] == [
        (5, importwriter.MSG_NEW_BUILDING.format(compound="绿园八村", building="21号楼"))
    ]
    report = run(world, rows)
    assert [(p.row, p.message) for p in report.errors] == [
        (5, importwriter.MSG_PLACE_NOT_CONFIRMED.format(place="绿园八村21号楼"))
    ]
    assert not report.written and Building.objects.count() == before
    assert Resident.objects.filter(id_number=YOUNG).count() == 0


def test_without_a_compound_column_the_single_compound_is_used(world):
    Compound.objects.filter(pk=world.compound_b.pk).update(area=world.other_area)
    rows = [["姓名", "身份证号", "楼号", "室号"], ["陈国华", OLD, "12", "301"]]
    assert run(world, rows).created == 1


def test_stairwell_needed_when_the_building_has_several(world):
    Building.objects.create(compound=world.compound_a, number="7", stairwell="1")
    Building.objects.create(compound=world.compound_a, number="7", stairwell="2")
    rows = [["姓名", "身份证号", "小区", "楼号", "室号"], ["陈国华", OLD, "绿园八村", "7", "301"]]
    assert [p.message for p in run(world, rows).errors] == [importwriter.MSG_STAIRWELL_NEEDED]
    rows[0].append("单元")
    rows[1].append("2单元")
    assert run(world, rows).created == 1


def test_id_number_of_another_area_is_refused(world):
    rows = [
        HEADINGS,
        [
            "王小明",
            "男",
            world.other_resident.id_number,
            "",
            "",
            "绿园八村",
            "12",
            "301",
            "",
            "",
            "",
        ],
    ]
    report = run(world, rows)
    assert [(p.row, p.message) for p in report.errors] == [(3, importwriter.MSG_OTHER_AREA)]
    world.other_resident.refresh_from_db()
    assert world.other_resident.area_id == world.other_area.pk


def test_the_same_person_twice_in_one_file(world):
    rows = good_rows()
    rows.append(rows[1][:])
    report = run(world, rows)
    assert [(p.row, p.message) for p in report.errors] == [
        (6, cells.MSG_DUPLICATE_ROW.format(row=3, what="身份证号"))
    ]


def test_import_is_audited_with_counts_and_no_personal_data(world, secretary):
    import_sheet(source=xlsx(good_rows()), kind="residents", area=world.area, actor=secretary)
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.actor == secretary and event.area == world.area
    assert "created:3" in event.fields
    text = json.dumps(event.fields, ensure_ascii=False) + event.reason
    assert OLD not in text and "陈国华" not in text


def test_households_and_party_members_sheets(world):
    households = [
        ["小区", "楼号", "室号", "备注"],
        ["绿园八村", "12", "301", "二楼有电梯"],
        ["绿园八村", "12", "303", ""],
    ]
    report = import_sheet(source=xlsx(households), kind="households", area=world.area, actor=None)
    assert (report.created, report.updated) == (1, 1)
    world.household_a.refresh_from_db()
    assert world.household_a.notes == "二楼有电梯"
    members = [
        ["姓名", "身份证号", "入党时间", "转正时间", "在职党员"],
        [world.resident.name, world.resident.id_number, "1975-07-01", "1976-07-01", "否"],
        ["无此人", YOUNG, "2001-07-01", "", "是"],
    ]
    report = import_sheet(
        source=xlsx(members), kind="party-members", area=world.area, actor=None, valid_only=True
    )
    assert report.created == 1
    assert [(p.row, p.message) for p in report.errors] == [(3, MSG_NOT_REGISTERED)]
    world.resident.refresh_from_db()
    assert world.resident.political_status == "member"
    assert world.resident.party_member.full_member_on == date(1976, 7, 1)


# --- the command ---


def test_command_prints_the_json_report_and_fails_on_errors(world, tmp_path, capsys):
    rows = good_rows()
    rows[2][2] = "12345"
    path = tmp_path / "居民.xlsx"
    path.write_bytes(xlsx(rows))
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "residents", str(path), "--area", "lv8", "--json")
    assert exit_.value.code == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "errors": [
            {"row": 3, "column": "身份证号", "message": "身份证号应为18位（17位数字加1位校验码）"}
        ],
    }
    call_command("import", "residents", str(path), "--area", "绿八居民区", "--json", "--valid-only")
    assert json.loads(capsys.readouterr().out)["created"] == 2


# --- limits: refused with a message, never a crash or a hang ---


def refused(content, limits=None):
    report = import_sheet(source=content, kind="residents", area=None, actor=None, limits=limits)  # type: ignore[arg-type]
    assert len(report.errors) == 1 and report.errors[0].row == 0
    return report.errors[0].message


def test_not_an_xlsx_file(db):
    assert refused("姓名,身份证号\n张三,1\n".encode()) == workbook.MSG_NOT_XLSX
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600) == workbook.MSG_XLS
    assert refused(b"") == workbook.MSG_EMPTY
    assert refused(b"PK\x03\x04garbage") == workbook.MSG_BROKEN
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert refused(buffer.getvalue()) == workbook.MSG_NOT_XLSX


def test_file_too_big(db):
    assert "文件太大" in refused(xlsx(good_rows()), Limits(max_file_bytes=1000))


def test_zip_bomb_is_refused_before_parsing(db):
    buffer = io.BytesIO(xlsx(good_rows()))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))
    assert refused(buffer.getvalue()) == workbook.MSG_RATIO.format(ratio=100)


def test_zip_whose_declared_size_lies_is_refused(db):
    content = bytearray(xlsx(good_rows()))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    # Halve the uncompressed size in the central directory entry of the sheet.
    central = content.rfind(b"PK\x01\x02", 0, content.rfind(b"xl/worksheets/sheet1.xml") + 1)
    size_at = central + 24
    content[size_at : size_at + 4] = (info.file_size // 2).to_bytes(4, "little")
    assert refused(bytes(content)) == workbook.MSG_BROKEN


def test_too_many_rows(db):
    rows = good_rows() + [["某人", "", "1", "", "", "", "12", "301", "", "", ""]] * 60
    assert refused(xlsx(rows), Limits(max_rows=10)) == workbook.MSG_TOO_MANY_ROWS.format(rows=10)


def test_a_tiny_file_naming_the_last_cell_of_the_sheet_does_not_exhaust_memory(db):
    book = Workbook()
    book.active["A1"] = "姓名"
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    assert "行" in refused(buffer.getvalue())


def test_far_away_columns_fall_back_to_the_streaming_reader(world):
    book = Workbook()
    for row in good_rows():
        book.active.append(row)
    book.active["XFD2"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    with workbook.SheetRows(buffer.getvalue()) as rows:
        assert not rows.uses_calamine
    report = import_sheet(source=buffer.getvalue(), kind="residents", area=world.area, actor=None)
    assert report.errors == [] and report.created == 3
