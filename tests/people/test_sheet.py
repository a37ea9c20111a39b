"""Messy cells of real sheets: each normalised when unambiguous, reported clearly otherwise."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.core.idnumber import make_id_number
from jinlin.people import cells, sheet
from jinlin.people.cells import CellError
from jinlin.people.models import (
    Gender,
    Health,
    LifeStatus,
    PoliticalStatus,
    Relation,
    ResidenceStatus,
)
from jinlin.people.sheet import Header, Problem, RowCleaner
from tests.factories import valid_id

TODAY = date(2026, 11, 25)
ID = valid_id(date(1950, 3, 2), "M")
# One whose check character is a digit, so that Excel could hold it as a number.
DIGIT_ID = next(
    n
    for n in (make_id_number("310105", date(1950, 3, 2), s, "M") for s in range(20))
    if n.isdigit()
)


def error_of(call, *args, **kwargs) -> str:
    with pytest.raises(CellError) as caught:
        call(*args, **kwargs)
    return caught.value.message


# --- places ---


@pytest.mark.parametrize(
    "cell",
    [
        "12",
        "12号",
        "12号楼",
        "十二号楼",
        "１２号楼",
        "12幢",
        "12栋",
        "第12号楼",
        12,
        12.0,
        " 12 号楼 ",
        "012",
    ],
)
def test_building_numbers_as_workers_write_them(cell):
    assert cells.building_number(cell) == ("12", "")


def test_building_with_its_stairwell_in_one_cell():
    assert cells.building_number("12号楼2单元") == ("12", "2")
    assert cells.stairwell("二单元") == "2"
    assert cells.stairwell("1号门洞") == "1"


def test_unreadable_building_is_reported():
    assert error_of(cells.building_number, "东边那幢") == cells.MSG_BUILDING


@pytest.mark.parametrize("cell", ["301", "301室", "３０１", 301, 301.0, "三〇一"])
def test_rooms(cell):
    assert cells.room_number(cell) == "301"


def test_room_with_a_fraction_is_reported():
    assert error_of(cells.room_number, 301.5) == cells.MSG_ROOM


# --- dates ---


@pytest.mark.parametrize(
    "cell",
    [
        date(1950, 3, 2),
        datetime(1950, 3, 2),
        18324,
        18324.0,
        "1950.3.2",
        "1950-03-02",
        "1950/3/2",
        "1950年3月2日",
        "19500302",
        19500302,
        "1950-03-02 00:00:00",
        "一九五〇年三月二日",
        "１９５０.３.２",
    ],
)
def test_dates_in_every_common_form(cell):
    assert cells.parse_date(cell, today=TODAY) == date(1950, 3, 2)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1950.3", cells.MSG_DATE_PARTIAL),
        ("1950年3月", cells.MSG_DATE_PARTIAL),
        (1950, cells.MSG_DATE_PARTIAL),
        ("三月初", cells.MSG_DATE_FORMAT),
        ("1950.2.30", cells.MSG_DATE_FORMAT),
        ("2030-01-01", cells.MSG_DATE_FUTURE),
        ("1850-01-01", cells.MSG_DATE_RANGE),
    ],
)
def test_ambiguous_or_impossible_dates_are_reported(cell, message):
    assert error_of(cells.parse_date, cell, today=TODAY) == message


# --- identity ---


def test_id_number_with_lowercase_x_full_width_digits_and_spaces():
    number = valid_id(date(1962, 7, 9), "F")
    messy = " " + number[:6] + " " + number[6:].replace("X", "x") + "\u3000"
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in number)
    assert cells.citizen_id(messy, today=TODAY)[0] == number
    assert cells.citizen_id(full_width, today=TODAY)[0] == number


def test_id_number_stored_as_a_number_reports_the_lost_digits():
    assert error_of(cells.citizen_id, float(DIGIT_ID), today=TODAY) == cells.MSG_ID_AS_NUMBER
    assert error_of(cells.citizen_id, "3.10105E+17", today=TODAY) == cells.MSG_ID_AS_NUMBER


def test_id_number_written_whole_as_an_integer_is_exact_and_accepted():
    assert cells.citizen_id(int(DIGIT_ID), today=TODAY)[0] == DIGIT_ID


def test_masked_id_number_is_refused():
    assert error_of(cells.citizen_id, "310105********123X", today=TODAY) == cells.MSG_ID_MASKED


def test_phone_stored_as_a_number():
    assert cells.phone(13812345678.0) == "13812345678"
    assert cells.phone("138 1234 5678") == "13812345678"
    assert cells.phone("") == ""


def test_name_padded_with_a_full_width_space():
    assert cells.person_name("张　三 ") == "张三"
    assert cells.person_name(" Mary  Smith ") == "Mary Smith"


# --- choices ---


@pytest.mark.parametrize(
    ("choice", "model_choices"),
    [
        (cells.GENDER, Gender),
        (cells.RELATION, Relation),
        (cells.RESIDENCE, ResidenceStatus),
        (cells.HEALTH, Health),
        (cells.POLITICAL, PoliticalStatus),
        (cells.LIFE, LifeStatus),
    ],
)
def test_choice_labels_match_the_models(choice, model_choices):
    assert choice.labels == dict(model_choices.choices)


def test_choices_accept_what_workers_write():
    assert cells.RELATION.parse("妻子") == "spouse"
    assert cells.POLITICAL.parse("党员") == "member"
    assert cells.RESIDENCE.parse("来沪人员") == "floating"
    assert "可填" in error_of(cells.HEALTH.parse, "还行")


# --- headings and header ---


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("公民身份号码", "id_number"),
        ("身份证号（18位）", "id_number"),
        ("*姓名", "name"),
        ("手机号码 ", "phone"),
        ("户籍/居住状态", "residence_status"),
        ("幢", "building"),
        ("房号", "room"),
        ("单元", "stairwell"),
        ("工作单位/原单位", "employer"),
        ("序号", None),
    ],
)
def test_heading_variants(text, key):
    assert sheet.recognise_heading(text) == key


def rows(*lines):
    return iter(enumerate(lines, start=1))


def test_header_found_below_merged_title_rows():
    found = sheet.find_header(
        rows(
            ["绿八居民区居民信息表", "", ""],
            ["", "", ""],
            ["序号", "姓名", "公民身份号码", "幢", "室号", "籍贯"],
        ),
        sheet.KIND_RESIDENTS,
    )
    assert isinstance(found, Header)
    assert found.row == 3
    assert found.headings["id_number"] == "公民身份号码"
    assert found.ignored == ["籍贯"]


def test_missing_required_column_is_one_clear_problem():
    found = sheet.find_header(rows(["姓名", "楼号", "室号"]), sheet.KIND_RESIDENTS)
    assert found == Problem(1, "身份证号", cells.MSG_MISSING_COLUMN.format(heading="身份证号"))


def test_sheet_without_header():
    found = sheet.find_header(rows(["a", "b"], ["c", "d"]), sheet.KIND_RESIDENTS)
    assert isinstance(found, Problem)
    assert "没有找到表头" in found.message


def cleaner():
    header = sheet.find_header(
        rows(["姓名", "性别", "身份证号", "出生日期", "楼号", "室号", "状态", "变动日期"]),
        sheet.KIND_RESIDENTS,
    )
    return RowCleaner(sheet.KIND_RESIDENTS, header, today=TODAY)


def test_row_takes_birth_date_and_gender_from_the_id():
    row = cleaner().clean(5, ["张三", "", ID, "", "12号楼", "301室", "", ""])
    assert row.is_valid
    assert row.values["birth_date"] == date(1950, 3, 2)
    assert row.values["gender"] == "M"


def test_row_whose_birth_date_and_gender_disagree_with_the_id():
    row = cleaner().clean(5, ["张三", "女", ID, "1950-03-03", "12", "301", "", ""])
    assert [(p.row, p.column) for p in row.problems] == [(5, "出生日期"), (5, "性别")]


def test_blank_row_is_skipped_and_departure_needs_a_date():
    assert cleaner().clean(5, ["", " ", None, "", "", "", "", ""]) is None
    row = cleaner().clean(6, ["张三", "", ID, "", "12", "301", "已故", ""])
    assert [p.message for p in row.problems] == [cells.MSG_STATUS_DATE_NEEDED]


def test_required_cells_left_empty():
    row = cleaner().clean(7, ["", "", ID, "", "12", "", "", ""])
    assert {(p.column, p.message) for p in row.problems} == {
        ("姓名", cells.MSG_REQUIRED),
        ("室号", cells.MSG_REQUIRED),
    }


# --- formula neutralisation ---


@pytest.mark.parametrize("text", ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "'=x", "'abc"])
def test_neutralised_text_reads_back_the_same(text):
    assert cells.neutralise(text).startswith("'")
    assert cells.cell_text(cells.neutralise(text)) == text


@given(st.text(max_size=30))
def test_neutralise_round_trips_any_clean_text(text):
    if cells.cell_text(text) != text:
        return
    assert cells.cell_text(cells.neutralise(text)) == text
    assert cells.neutralise(text)[:1] not in cells.FORMULA_TRIGGERS


# --- never a crash ---

any_cell = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1800, 1, 1), max_value=datetime(2100, 1, 1)),
    st.sampled_from(
        ["1950.3.2", "十二号楼", "301室", "x", "户主", "31010519500302123x", "=cmd|' /C calc'!A0"]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(sheet._parsers(TODAY))), any_cell)
def test_every_parser_returns_a_value_or_a_clear_error(key, cell):
    parser = sheet._parsers(TODAY)[key]
    try:
        parser(cell)
    except CellError as error:
        assert isinstance(error.message, str) and error.message


@settings(max_examples=200, deadline=None)
@given(st.lists(any_cell, min_size=0, max_size=10))
def test_any_row_cleans_without_crashing(values):
    row = cleaner().clean(3, values)
    if row is not None:
        assert all(p.row == 3 and p.message for p in row.problems)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(any_cell, max_size=8), max_size=12))
def test_header_search_never_crashes(lines):
    found = sheet.find_header(rows(*lines), sheet.KIND_RESIDENTS)
    assert isinstance(found, Header | Problem)


_place_cells = st.one_of(
    any_cell,
    st.lists(st.sampled_from(list("0123456789０１２٣٤१二十号楼幢单元室-AB第 ")), max_size=10).map(
        "".join
    ),
)


@settings(max_examples=300, deadline=None)
@given(_place_cells)
def test_places_are_stored_in_ascii_or_reported(cell):
    """Other scripts' digits (١٢) survive NFKC: they were stored as typed and never found."""
    for parse in (lambda c: cells.building_number(c)[0], cells.stairwell, cells.room_number):
        try:
            value = parse(cell)
        except CellError as error:
            assert error.message
            continue
        assert value.isascii() and value == value.upper()


def test_a_building_in_another_scripts_digits_is_reported():
    assert error_of(cells.building_number, "١٢号楼") == cells.MSG_BUILDING


@settings(max_examples=300, deadline=None)
@given(any_cell)
def test_any_cell_reads_as_trimmed_text(cell):
    text = cells.cell_text(cell)
    assert isinstance(text, str)
    assert text == text.strip(" \t\r\n\u3000\u00a0\u200b\ufeff") or text.startswith("'")
    assert cells.is_blank(cell) == (text == "")
