"""Sheets as workers really keep them (issue 12): a 合计 row at the foot, and 小区/楼号/室号
merged down over a family's rows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from jinlin.people import sheet
from jinlin.people.importing import import_sheet
from jinlin.people.models import Resident
from tests.factories import valid_id
from tests.people.sheets import HEADINGS

HUSBAND = valid_id(date(1950, 3, 2), "M")
WIFE = valid_id(date(1952, 4, 5), "F")
SON = valid_id(date(1980, 6, 1), "M")
NEIGHBOUR = valid_id(date(1948, 1, 1), "F")


def person(name, number, compound="绿园八村", building="12", room="301"):
    row = dict.fromkeys(HEADINGS, None)
    row.update({"姓名": name, "身份证号": number, "小区": compound, "楼号": building, "室号": room})
    return [row[h] for h in HEADINGS]


def workbook(rows, merges=(), *, streaming=False) -> bytes:
    book = Workbook()
    sheet_ = book.active
    sheet_.append(["绿八居民区居民花名册"])
    sheet_.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADINGS))
    for row in rows:
        sheet_.append(row)
    for merge in merges:
        sheet_.merge_cells(merge)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(world, content, **options):
    return import_sheet(source=content, kind="residents", area=world.area, actor=None, **options)


@pytest.mark.django_db
def test_a_total_row_at_the_foot_is_skipped_and_said(world):
    total = [None] * len(HEADINGS)
    total[0] = "合计：2人"
    rows = [HEADINGS, person("陈国华", HUSBAND), person("王秀兰", WIFE), total]
    report = run(world, workbook(rows))
    assert report.errors == [] and report.written and report.created == 2
    assert report.total_rows == [5]
    assert "已跳过合计行：第5行" in report.summary()


@pytest.mark.django_db
def test_a_resident_whose_cells_start_with_the_word_is_no_total(world):
    rows = [HEADINGS, person("合计安", HUSBAND)]
    report = run(world, workbook(rows))
    assert report.created == 1 and report.total_rows == []


@pytest.mark.django_db
def test_address_cells_merged_down_over_a_family_fill_each_row(world):
    # 小区 F, 楼号 G, 室号 H merged over the three rows of one family (rows 3 to 5).
    rows = [
        HEADINGS,
        person("陈国华", HUSBAND),
        person("王秀兰", WIFE, compound=None, building=None, room=None),
        person("陈小军", SON, compound=None, building=None, room=None),
        person("李阿婆", NEIGHBOUR, room="302"),
    ]
    report = run(world, workbook(rows, merges=["F3:F5", "G3:G5", "H3:H5"]))
    assert report.errors == [], report.errors
    assert report.created == 4
    family = Resident.objects.filter(id_number__in=[HUSBAND, WIFE, SON])
    assert {r.household.room for r in family} == {"301"}
    assert len({r.household_id for r in family}) == 1
    assert Resident.objects.get(id_number=NEIGHBOUR).household.room == "302"


@pytest.mark.django_db
def test_without_a_merge_an_empty_room_is_still_refused(world):
    rows = [HEADINGS, person("陈国华", HUSBAND), person("王秀兰", WIFE, room=None)]
    report = run(world, workbook(rows))
    assert [(p.row, p.column) for p in report.errors] == [(4, "室号")]
    assert not report.written


# --- the fill-down rule, without a database ---------------------------------------------------


def test_fill_down_fills_only_empty_cells_within_the_merge_below_the_header():
    rows = [(1, ["标题"]), (2, ["室号"]), (3, ["301"]), (4, [None]), (5, [""]), (6, [None])]
    merges = [(1, 3, 0), (3, 5, 0)]  # the first starts above the header: left alone
    out = list(sheet.filled_down(iter(rows), merges, below=2))
    assert [cells for _, cells in out] == [["标题"], ["室号"], ["301"], ["301"], ["301"], [None]]


@given(
    st.lists(st.one_of(st.none(), st.text(min_size=1, max_size=3)), min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(1, 12), st.integers(0, 4)), max_size=5),
)
def test_fill_down_never_changes_a_filled_cell_nor_the_row_numbers(column, spans):
    rows = [(n, [value]) for n, value in enumerate(column, start=1)]
    merges = [(first, first + length, 0) for first, length in spans]
    out = list(sheet.filled_down(iter([(n, list(c)) for n, c in rows]), merges, below=0))
    assert [n for n, _ in out] == [n for n, _ in rows]
    for (_, before), (_, after) in zip(rows, out, strict=True):
        if before[0] not in (None, ""):
            assert after == before


@pytest.mark.parametrize("fast", [True, False])
def test_both_readers_report_the_same_merges(fast):
    from jinlin.people.workbook import SheetRows

    content = workbook([HEADINGS, person("陈国华", HUSBAND)], merges=["F3:F5", "B7:C9"])
    with SheetRows(content) as book:
        book.uses_calamine = fast  # the streaming reader takes sheets calamine cannot
        name = book.sheet_names()[0]
        # Row numbers as Excel shows them, the cell index from column A; the title's merge
        # (one row) and the right columns of a block are no fill-down.
        assert book.merged_down(name) == [(3, 5, 5), (7, 9, 1)]


# --- a masked export read back, without a database --------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "id_is_masked", "kept"),
    [
        ("phone", "138****5678", False, True),
        ("phone", "021-****5678", False, True),
        ("phone", "13812345678", False, False),
        ("health", "已隐藏", False, True),
        ("health_notes", "已隐藏", True, True),
        ("birth_date", "1950年", True, True),
        ("birth_date", "1950年", False, False),  # beside a whole ID a year alone is an error
        ("birth_date", "1950-03-02", True, False),
        ("name", "已隐藏", True, False),
    ],
)
def test_which_masked_cells_mean_as_stored(key, value, id_is_masked, kept):
    assert sheet.is_kept_as_is(key, value, id_is_masked=id_is_masked) is kept


def test_a_masked_id_is_a_key_not_a_number():
    assert sheet.masked_id("310105********123X") == sheet.MaskedId("310105", "123X")
    assert sheet.masked_id("３１０１０５********123x") == sheet.MaskedId("310105", "123X")
    assert sheet.masked_id("3101**********123X") is None  # not how Jinlin masks: refused later
    assert sheet.masked_id(310105) is None
