"""A large sheet is read and cleaned in a second process, which starts while the first
surveys the file and then writes what it is sent: the import reports and writes exactly what
it does in one process, whichever way the second process ends (people.sheetreading)."""

import gc
import io
import pickle
import subprocess
import sys
from datetime import date, timedelta

import pytest
from openpyxl import Workbook

from jinlin.people import sheetreading
from jinlin.people.importing import import_sheet
from jinlin.people.importwriter import Writer
from jinlin.people.models import Resident
from jinlin.people.workbook import Limits
from tests.factories import valid_id
from tests.people.sheets import HEADINGS, xlsx


def _rows():
    """Twelve residents, one bad ID number in the middle, one duplicate, a 合计 row."""
    rows = [HEADINGS]
    for index in range(12):
        number = valid_id(date(1950 + index, 1, 2), "F")
        rows.append(["居民" + "甲乙丙丁戊己庚辛壬癸子丑"[index], "", number, "", "", "绿园八村",
                     "12", str(401 + index // 3), "", "", ""])  # fmt: skip
    rows[6][2] = "310105195001021235"  # a wrong check digit
    rows.append(list(rows[3]))  # the same ID number twice
    rows.append(["合计：12人", "", "", "", "", "", "", "", "", "", ""])
    return rows


@pytest.fixture
def aside(monkeypatch):
    """Even a small sheet goes to the second process."""
    monkeypatch.setattr(sheetreading, "SECOND_PROCESS_FROM_BYTES", 0)


def _import(world, content, second_process, **options):
    return import_sheet(
        source=content,
        kind="residents",
        area=world.area,
        actor=None,
        second_process=second_process,
        **options,
    )


def test_a_sheet_read_aside_reports_as_in_one_process(world, aside, monkeypatch):
    content = xlsx(_rows(), title="绿八居民区居民信息表")
    read = []
    reader = sheetreading.read_sheet_aside

    def counted(*args, **kwargs):
        read.append(1)
        return reader(*args, **kwargs)

    monkeypatch.setattr(sheetreading, "read_sheet_aside", counted)
    for options in ({}, {"dry_run": True}):
        here = _import(world, content, False, **options)
        assert read == []
        there = _import(world, content, True, **options)
        assert read == [1]
        read.clear()
        assert there == here
        assert [p.row for p in there.errors] == [8, 15]
        assert there.errors[1].message.startswith("与第5行重复")
        assert there.total_rows == [16]
        assert there.rows == 13 and there.header_row == 2
    assert not Resident.objects.filter(name__startswith="居民").exists()  # all or nothing


def test_valid_rows_only_read_aside_writes_the_valid_rows(world, aside):
    report = _import(world, xlsx(_rows()), True, valid_only=True)
    assert report.written and report.created == 11
    assert len(report.errors) == 2
    assert Resident.objects.filter(name__startswith="居民").count() == 11


def test_a_refusal_found_aside_is_reported_as_in_one_process(world, aside):
    rows = [HEADINGS, *(_rows()[1:13] * 4)]
    limits = Limits(max_rows=3)  # 3 rows, and up to 30 above them
    here = _import(world, xlsx(rows), False, limits=limits)
    there = _import(world, xlsx(rows), True, limits=limits)
    assert there == here
    assert len(there.errors) == 1 and there.errors[0].message.startswith("表格超过 3 行")
    headless = _import(world, xlsx([["没有表头"], ["也没有"]]), True)
    assert [p.message for p in headless.errors] == [
        p.message for p in _import(world, xlsx([["没有表头"], ["也没有"]]), False).errors
    ]


def test_only_a_large_file_goes_to_a_second_process(tmp_path):
    small = xlsx(_rows())
    limits = Limits()
    assert sheetreading.wants_second_process(small, limits) is None
    large = small + b"\0" * sheetreading.SECOND_PROCESS_FROM_BYTES
    assert sheetreading.wants_second_process(large, limits) == large
    path = tmp_path / "居民.xlsx"
    path.write_bytes(large)
    assert sheetreading.wants_second_process(path, limits) == path
    stream = io.BytesIO(large)
    assert sheetreading.wants_second_process(stream, limits) == large
    assert stream.tell() == 0
    too_large = Limits(max_file_bytes=len(large) - 1)
    assert sheetreading.wants_second_process(large, too_large) is None


def test_the_setting_chooses_the_second_process(world, aside, monkeypatch, settings):
    calls = []
    reader = sheetreading.read_sheet_aside
    monkeypatch.setattr(
        sheetreading, "read_sheet_aside", lambda *a, **k: calls.append(1) or reader(*a, **k)
    )
    content = xlsx(_rows())
    assert _import(world, content, None, dry_run=True).created == 11
    assert calls == [1]  # on by default
    settings.JINLIN = {**settings.JINLIN, "IMPORT_SECOND_PROCESS": False}
    assert _import(world, content, None, dry_run=True).created == 11
    assert calls == [1]


def _many_rows(count):
    rows = [HEADINGS]
    for index in range(count):
        number = valid_id(date(1940, 1, 1) + timedelta(days=index), "M")
        rows.append([f"居民{index}", "", number, "", "", "绿园八村", "12",
                     str(101 + index // 3), "", "", ""])  # fmt: skip
    return rows


def test_many_batches_read_aside_arrive_whole_and_in_order(tmp_path):
    path = tmp_path / "居民.xlsx"
    path.write_bytes(xlsx(_many_rows(1_700)))
    today = date(2026, 12, 5)
    here = list(sheetreading.read_sheet(path, Limits(), "residents", today=today))
    there = list(sheetreading.read_sheet_aside(path, Limits(), "residents", today=today))
    assert len(there) == 1 + 4  # the header, then batches of 500
    assert there == here
    assert [row.values["name"] for item in there[1:] for row in item.rows] == [
        f"居民{index}" for index in range(1_700)
    ]


def test_an_importer_that_stops_reading_ends_the_second_process(tmp_path):
    path = tmp_path / "居民.xlsx"
    path.write_bytes(xlsx(_many_rows(1_700)))
    items = sheetreading.read_sheet_aside(path, Limits(), "residents", today=date(2026, 12, 5))
    next(items), next(items)
    items.close()  # returns: the second process is killed, not waited on while it sends


def test_the_import_runs_with_the_collector_paused(world, monkeypatch):
    seen = []
    write = Writer.write

    def watched(self, chunk):
        seen.append(gc.isenabled())
        return write(self, chunk)

    monkeypatch.setattr(Writer, "write", watched)
    gc.enable()
    assert _import(world, xlsx(_rows()), False, valid_only=True).created == 11
    assert seen == [False]
    assert gc.isenabled()


def _saved(book):
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_file_the_survey_refuses_is_refused_aside_with_its_message(world, aside):
    book = Workbook()
    book.active["A1"] = "姓名"
    book.active["XFD1048576"] = "x"  # calamine, unsurveyed, would ask for half a terabyte
    content = _saved(book)
    here = _import(world, content, False)
    there = _import(world, content, True)
    assert there == here
    assert len(there.errors) == 1 and "行" in there.errors[0].message


def test_a_file_calamine_is_not_trusted_with_is_read_here(world, aside):
    book = Workbook()
    for row in _rows()[:5]:
        book.active.append(row)
    book.active["XFD2"] = "x"  # far away columns: the streaming reader takes the sheet
    content = _saved(book)
    here = _import(world, content, False, dry_run=True)
    there = _import(world, content, True, dry_run=True)
    assert there == here and there.created == 4


def test_a_second_process_that_ends_before_a_word_leaves_the_reading_here(
    world, aside, monkeypatch
):
    def silent(*_args):
        return subprocess.Popen(  # a process that ends at once, without a word
            [sys.executable, "-c", "pass"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    monkeypatch.setattr(sheetreading, "_start", silent)
    content = xlsx(_rows())
    here = _import(world, content, False, dry_run=True)
    there = _import(world, content, True, dry_run=True)
    assert there == here and there.created == 11


def test_a_sheet_column_that_names_a_resident_field_is_one_the_import_writes():
    """A new resident is written from the row's values as they are (importwriter
    _new_resident): a sheet key that were a resident's column but not one the import
    writes would reach the database unchecked."""
    from jinlin.people import sheet
    from jinlin.people.importwriter import RESIDENT_FIELDS

    columns = {f.attname for f in Resident._meta.concrete_fields}
    for kind in sheet.KINDS:
        assert set(sheet.KIND_COLUMNS[kind]) & columns <= set(RESIDENT_FIELDS), kind


def test_a_refusal_from_the_second_process_before_its_first_item_is_checked_here(
    world, aside, monkeypatch
):
    refusal = pickle.dumps(("refused", "文件已损坏，无法读取"))  # as a reader out of memory says

    def refusing(*_args):
        return subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.stdout.buffer.write({refusal!r})"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    monkeypatch.setattr(sheetreading, "_start", refusing)
    content = xlsx(_rows())
    there = _import(world, content, True, dry_run=True)
    assert there == _import(world, content, False, dry_run=True) and there.created == 11
