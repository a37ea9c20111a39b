"""Small-cell suppression: no shown count of 1 or 2, and totals derivable from the cells."""

from hypothesis import given
from hypothesis import strategies as st

from jinlin.core.disclosure import SUPPRESSED, suppress_cell, suppress_column, suppress_groups


def test_hand_worked_examples():
    assert [suppress_cell(n) for n in (0, 1, 2, 3, 40)] == [0, "<3", "<3", 3, 40]
    assert suppress_column([2, 5]) == (["<3", 5], "≥6")
    assert suppress_column([1, 1]) == (["<3", "<3"], "≥2")
    assert suppress_column([0, 3, 7]) == ([0, 3, 7], 10)


@given(st.lists(st.integers(min_value=0, max_value=50), max_size=12))
def test_no_cell_shows_one_or_two(counts):
    cells, total = suppress_column(counts)
    assert all(cell in (0, SUPPRESSED) or cell >= 3 for cell in cells)
    if SUPPRESSED not in cells:
        assert total == sum(counts)


@given(
    st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=8),
    st.data(),
)
def test_a_total_is_the_same_for_all_counts_that_show_the_same_cells(counts, data):
    """Swap any suppressed 1 for 2 (or back): the page does not change at all."""
    other = [
        data.draw(st.sampled_from([1, 2])) if suppress_cell(n) == SUPPRESSED else n for n in counts
    ]
    assert suppress_column(counts) == suppress_column(other)


def test_only_the_sensitive_columns_are_suppressed():
    rows, totals = suppress_groups(
        [{"hardship": 1, "living_alone": 1}, {"hardship": 4}], ["hardship"]
    )
    assert rows == [{"hardship": "<3", "living_alone": 1}, {"hardship": 4}]
    assert totals == {"hardship": "≥5", "living_alone": 1}
