"""Adjacency proposed from building numbers: hand-worked estates and the rule's guarantees."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jinlin.places.layout import Block, auto_row_length, diff, edge, named, natural_key, propose


def blocks(*numbers: str) -> list[Block]:
    return [Block(id=f"b{n}", number=n) for n in numbers]


def pairs(layout_edges) -> set[tuple[str, str]]:
    return set(layout_edges)


def test_a_row_of_five_is_a_path_in_number_order_whatever_the_input_order():
    layout = propose(blocks("10", "2", "1", "3", "4"), row_length=5)
    assert layout.rows == (("1", "2", "3", "4", "10"),)
    assert pairs(layout.edges) == {("b1", "b2"), ("b2", "b3"), ("b3", "b4"), ("b4", "b10")}


def test_rows_of_three_make_a_grid():
    # 1 2 3
    # 4 5 6
    # 7
    layout = propose(blocks(*[str(n) for n in range(1, 8)]), row_length=3)
    assert layout.rows == (("1", "2", "3"), ("4", "5", "6"), ("7",))
    assert pairs(layout.edges) == {
        ("b1", "b2"),
        ("b2", "b3"),
        ("b4", "b5"),
        ("b5", "b6"),
        ("b1", "b4"),
        ("b2", "b5"),
        ("b3", "b6"),
        ("b4", "b7"),
    }


def test_stairwells_of_one_building_are_next_to_each_other_and_join_the_row_at_its_ends():
    layout = propose(
        [
            Block("a", "1"),
            Block("b2", "2", "2"),
            Block("b1", "2", "1"),
            Block("c", "3"),
        ],
        row_length=3,
    )
    assert pairs(layout.edges) == {("a", "b1"), ("b1", "b2"), ("b2", "c")}


def test_one_building_has_no_neighbour_and_none_is_empty():
    assert propose(blocks("12")).edges == frozenset()
    assert propose([]).edges == frozenset()
    assert propose([]).rows == ()


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="duplicate building id"):
        propose([Block("x", "1"), Block("x", "2")])
    with pytest.raises(ValueError, match="same number"):
        propose([Block("x", "1"), Block("y", "1")])
    with pytest.raises(ValueError, match="row length"):
        propose(blocks("1", "2"), row_length=0)


def test_the_chosen_row_length_grows_with_the_estate_up_to_six():
    assert [auto_row_length(n) for n in (1, 2, 4, 5, 9, 10, 30, 200)] == [1, 2, 2, 3, 3, 4, 6, 6]


def test_the_diff_says_what_applying_adds_and_removes_in_any_orientation():
    change = diff([("b2", "b1"), ("b3", "b9")], [("b1", "b2"), ("b2", "b3")])
    assert change.added == (("b2", "b3"),)
    assert change.removed == (("b3", "b9"),)
    assert change.kept == (("b1", "b2"),)
    assert not change.is_empty
    assert diff([("b1", "b2")], [("b2", "b1")]).is_empty


# --- the guarantees, on random estates -----------------------------------------------------

estates = st.lists(
    st.tuples(
        st.one_of(
            st.integers(1, 60).map(str),
            st.sampled_from(["12甲", "A1", "A2", "东1", "10A"]),
        ),
        st.lists(
            st.sampled_from(["", "1", "2", "3", "东", "西"]), min_size=1, max_size=3, unique=True
        ),
    ),
    max_size=40,
    unique_by=lambda item: item[0],
)


def estate_blocks(estate: list[tuple[str, list[str]]]) -> list[Block]:
    return [
        Block(id=f"{number}/{stair}", number=number, stairwell=stair)
        for number, stairs in estate
        for stair in stairs
    ]


@given(estates, st.one_of(st.none(), st.integers(1, 8)), st.randoms(use_true_random=False))
def test_every_guarantee_holds(estate, row_length, rng: random.Random):
    given_blocks = estate_blocks(estate)
    layout = propose(given_blocks, row_length)
    ids = {b.id for b in given_blocks}
    neighbours: dict[str, set[str]] = defaultdict(set)
    for first, second in layout.edges:
        assert first in ids and second in ids and first != second
        assert edge(first, second) == (first, second)
        neighbours[first].add(second)
        neighbours[second].add(first)
    assert all(len(n) <= 4 for n in neighbours.values())
    # Connected: every building is reached from any one.
    if ids:
        start = next(iter(ids))
        seen, todo = {start}, [start]
        while todo:
            for other in neighbours[todo.pop()] - seen:
                seen.add(other)
                todo.append(other)
        assert seen == ids
    # Rows: the numbers in natural order, full rows but the last.
    numbers = sorted({b.number for b in given_blocks}, key=natural_key)
    assert [n for row in layout.rows for n in row] == numbers
    assert all(len(row) == layout.row_length for row in layout.rows[:-1])
    # Independent of input order.
    shuffled = list(given_blocks)
    rng.shuffle(shuffled)
    assert propose(shuffled, row_length) == layout


@given(estates)
def test_a_single_row_is_a_tree(estate):
    given_blocks = estate_blocks(estate)
    layout = propose(given_blocks, row_length=max(1, len(estate)))
    assert len(layout.edges) == max(0, len(given_blocks) - 1)


def test_pairs_are_named_for_people_in_natural_order():
    labels = {"7": "12号楼", "8": "1号楼", "9": "2号楼", "10": "3号楼"}
    assert named([("9", "10"), ("7", "8"), ("8", "9")], labels) == [
        ("1号楼", "2号楼"),
        ("1号楼", "12号楼"),
        ("2号楼", "3号楼"),
    ]
