"""The 合计 row check (sheet.is_total_row) keeps its answer on its fast path: a row whose texts
hold no 计 is never a total row, one written with full-width spaces still is."""

from jinlin.people.sheet import is_total_row

COLUMNS = {0: "name", 1: "id_number", 2: "notes"}
REQUIRED = ("name", "id_number")


def test_total_row_with_full_width_spaces_is_skipped():
    assert is_total_row(["　合　计：2人", None, ""], COLUMNS, REQUIRED)
    assert is_total_row(["", "小计", None], COLUMNS, REQUIRED)


def test_resident_rows_are_not_total_rows():
    # Texts that NFKC changes (full-width letters) but hold no 计: answered without a match.
    assert not is_total_row(["ＡＢＣ张三", "110101199003070019", "备注"], COLUMNS, REQUIRED)
    # A resident named 合计安 has an ID number: not a total row.
    assert not is_total_row(["合计安", "110101199003070019", None], COLUMNS, REQUIRED)
    assert not is_total_row([None, 12, 3.5], COLUMNS, REQUIRED)
