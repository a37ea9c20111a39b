import random
import time
from itertools import combinations
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.party import formation, graphsplit
from jinlin.party.formation import (
    BUILDING_ALONE_REASON,
    BUILDING_REASON,
    COMPOUND_ALONE_REASON,
    Building,
    Compound,
    Group,
    PlanningInputError,
    natural_key,
    propose_groups,
    propose_joint_branches,
)


def row(*counts):
    """Buildings "1", "2", … in a row, with these member counts."""
    buildings = [Building(str(i + 1), count) for i, count in enumerate(counts)]
    return buildings, [(str(i), str(i + 1)) for i in range(1, len(counts))]


def groups_of(plan):
    return [set(group.buildings) for group in plan.groups]


# --- hand-worked examples --------------------------------------------------------------------


def test_building_with_three_stands_alone_and_light_neighbours_group_together():
    plan = propose_groups(*row(5, 1, 2))
    assert plan.groups == (Group(("1",), 5), Group(("2", "3"), 3))
    assert plan.unplaceable == ()


def test_light_buildings_on_both_sides_join_the_heavy_building():
    buildings = [Building("A", 5), Building("B", 1), Building("C", 2)]
    plan = propose_groups(buildings, [("B", "A"), ("A", "C")])
    assert plan.groups == (Group(("A", "B", "C"), 8),)


def test_lone_building_below_three_is_unplaceable_with_its_reason():
    plan = propose_groups([Building("7", 2)], [])
    assert plan.groups == ()
    [part] = plan.unplaceable
    assert part.buildings == ("7",)
    assert part.reason == BUILDING_ALONE_REASON.format(members=2, threshold=3)
    assert "请补充相邻关系或手工编组" in part.reason


def test_compound_with_two_members_in_all_is_unplaceable_as_a_whole():
    plan = propose_groups(*row(1, 0, 1))
    assert plan.groups == ()
    [part] = plan.unplaceable
    assert part.buildings == ("1", "2", "3")
    assert part.reason == "相邻楼组党员合计仅2名，不足3名：请补充相邻关系或手工编组"
    assert part.reason == BUILDING_REASON.format(members=2, threshold=3)


def test_buildings_without_members_are_covered_by_a_neighbouring_group():
    plan = propose_groups(*row(4, 0, 0, 6))
    assert groups_of(plan) == [{"1", "2", "3"}, {"4"}]


def test_light_part_joins_the_neighbour_with_fewer_members():
    plan = propose_groups(*row(9, 1, 4))
    assert groups_of(plan) == [{"1"}, {"2", "3"}]


def test_disconnected_parts_are_decided_separately():
    buildings = [Building("A", 3), Building("X", 1), Building("Y", 1)]
    plan = propose_groups(buildings, [("X", "Y")])
    assert groups_of(plan) == [{"A"}]
    assert [part.buildings for part in plan.unplaceable] == [("X", "Y")]


def test_a_path_of_light_buildings_is_cut_into_tight_groups():
    plan = propose_groups(*row(1, 2, 1, 2, 1, 2, 1))
    assert [group.members for group in plan.groups] == [3, 3, 4]
    assert groups_of(plan) == [{"1", "2"}, {"3", "4"}, {"5", "6", "7"}]


def test_grid_of_single_members_makes_two_groups_of_three():
    buildings = [Building(str(i), 1) for i in range(1, 7)]
    edges = [("1", "2"), ("2", "3"), ("4", "5"), ("5", "6"), ("1", "4"), ("2", "5"), ("3", "6")]
    plan = propose_groups(buildings, edges)
    assert [group.members for group in plan.groups] == [3, 3]


def test_star_of_single_members_stays_one_group():
    # Any split leaves one outer building with a single member on its own.
    buildings = [Building("0", 0)] + [Building(str(i), 1) for i in range(1, 7)]
    plan = propose_groups(buildings, [("0", str(i)) for i in range(1, 7)])
    assert plan.groups == (Group(tuple(str(i) for i in range(7)), 6),)


def test_four_neighbouring_buildings_with_one_two_two_one_make_two_groups():
    # Every breadth-first tree here is a star, so no single cut works; the exact search does.
    buildings = [Building("1", 1), Building("2", 2), Building("3", 2), Building("4", 1)]
    plan = propose_groups(buildings, list(combinations("1234", 2)))
    assert [group.members for group in plan.groups] == [3, 3]


def test_ring_holding_four_three_one_two_stays_one_group_at_threshold_five():
    # Two arcs of the ring hold 4+3 and 1+2, or 3+1 and 2+4: never five on both sides.
    buildings = [Building("1", 4), Building("2", 3), Building("3", 1), Building("4", 2)]
    edges = [("1", "2"), ("2", "3"), ("3", "4"), ("4", "1")]
    assert len(propose_groups(buildings, edges, threshold=5).groups) == 1
    edges += [("1", "3"), ("2", "4")]  # with both diagonals, 4+1 | 3+2 are both connected
    assert len(propose_groups(buildings, edges, threshold=5).groups) == 2


def test_unsplittable_grid_with_many_empty_buildings_is_one_group_quickly():
    # 5 × 8 buildings, members only at the corners, clockwise 4, 3, 1, 2, threshold 5: a
    # connected part joining 4 and 1 (or 3 and 2) cuts the other two corners apart.
    rows, columns = 5, 8
    counts = {0: 4, columns - 1: 3, rows * columns - 1: 1, (rows - 1) * columns: 2}
    buildings = [Building(str(v), counts.get(v, 0)) for v in range(rows * columns)]
    edges = [(str(v), str(v + 1)) for v in range(rows * columns) if (v + 1) % columns]
    edges += [(str(v), str(v + columns)) for v in range((rows - 1) * columns)]
    started = time.perf_counter()
    plan = propose_groups(buildings, edges, threshold=5)
    assert time.perf_counter() - started < 10
    assert len(plan.groups) == 1
    assert plan.groups[0].members == 10


def test_ids_sort_naturally_in_the_output():
    plan = propose_groups(*row(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3))
    assert [group.buildings[0] for group in plan.groups] == [str(i) for i in range(1, 12)]
    assert sorted(["10", "2", "1", "B1", "10A"], key=natural_key) == ["1", "2", "10", "10A", "B1"]


def test_threshold_one_puts_every_building_with_a_member_alone():
    plan = propose_groups(*row(1, 0, 1, 1), threshold=1)
    assert groups_of(plan) == [{"1", "2"}, {"3"}, {"4"}]


def test_self_loops_duplicate_and_reversed_edges_change_nothing():
    buildings, edges = row(5, 1, 2)
    noisy = [*edges, ("2", "2"), ("2", "1"), ("1", "2"), ("3", "2")]
    assert propose_groups(buildings, noisy) == propose_groups(buildings, edges)


@pytest.mark.parametrize(
    ("buildings", "edges", "threshold", "message"),
    [
        ([Building("1", 3)], [("1", "9")], 3, 'adjacency names unknown building "9"'),
        ([Building("1", 3), Building("1", 2)], [], 3, 'duplicate building id "1"'),
        ([Building("1", -1)], [], 3, 'building "1": members must be a whole number of at least 0'),
        ([Building("1", 3)], [], 0, "threshold must be a whole number of at least 1"),
    ],
)
def test_bad_input_is_refused_with_a_message(buildings, edges, threshold, message):
    with pytest.raises(PlanningInputError, match=message):
        propose_groups(buildings, edges, threshold)


def test_compound_below_three_forms_a_joint_branch_with_its_neighbour():
    compounds = [Compound("x", 2), Compound("y", 10), Compound("z", 30)]
    plan = propose_joint_branches(compounds, [("x", "y"), ("y", "z")])
    assert [(branch.compounds, branch.is_joint) for branch in plan.branches] == [
        (("x", "y"), True),
        (("z",), False),
    ]


def test_isolated_small_compound_is_reported_for_a_branch_by_hand():
    plan = propose_joint_branches([Compound("x", 2), Compound("y", 4)], [])
    assert [branch.compounds for branch in plan.branches] == [("y",)]
    assert plan.unplaceable[0].reason == COMPOUND_ALONE_REASON.format(members=2, threshold=3)


# --- guarantees, checked by brute force on random compounds -----------------------------------


def components(ids, edges):
    neighbours = {i: set() for i in ids}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    seen, parts = set(), []
    for start in ids:
        if start in seen:
            continue
        part, stack = {start}, [start]
        while stack:
            for near in neighbours[stack.pop()] - part:
                part.add(near)
                stack.append(near)
        seen |= part
        parts.append(part)
    return parts, neighbours


def is_connected(vertices, neighbours):
    vertices = set(vertices)
    start = next(iter(vertices))
    reached, stack = {start}, [start]
    while stack:
        for near in neighbours[stack.pop()] & vertices - reached:
            reached.add(near)
            stack.append(near)
    return reached == vertices


def can_be_split(group, members, neighbours, threshold):
    """Brute force over every way to cut the group in two."""
    first, *others = sorted(group)
    total = sum(members[b] for b in group)
    for size in range(len(others)):
        for chosen in combinations(others, size):
            side = {first, *chosen}
            side_members = sum(members[b] for b in side)
            if side_members < threshold or total - side_members < threshold:
                continue
            rest = set(group) - side
            if is_connected(side, neighbours) and is_connected(rest, neighbours):
                return True
    return False


def check_guarantees(buildings, edges, threshold, plan, *, brute_force_up_to=14):
    members = {b.id: b.members for b in buildings}
    parts, neighbours = components(list(members), [(a, b) for a, b in edges if a != b])
    placed = [b for group in plan.groups for b in group.buildings]
    left_out = [b for part in plan.unplaceable for b in part.buildings]
    assert sorted(placed + left_out) == sorted(members), "every building exactly once"
    too_small = sorted(sorted(p) for p in parts if sum(members[b] for b in p) < threshold)
    assert sorted(sorted(part.buildings) for part in plan.unplaceable) == too_small
    for part in plan.unplaceable:
        assert part.members == sum(members[b] for b in part.buildings) < threshold
        assert f"不足{threshold}名" in part.reason
    for group in plan.groups:
        assert group.members == sum(members[b] for b in group.buildings) >= threshold
        assert is_connected(group.buildings, neighbours)
        assert list(group.buildings) == sorted(group.buildings, key=natural_key)
        if len(group.buildings) <= brute_force_up_to:
            assert not can_be_split(group.buildings, members, neighbours, threshold), group
    firsts = [group.buildings[0] for group in plan.groups]
    assert firsts == sorted(firsts, key=natural_key)


@st.composite
def compounds(draw, max_buildings=14):
    threshold = draw(st.integers(1, 5))
    shape = draw(st.sampled_from(["path", "grid", "tree", "random", "two parts"]))
    count = draw(st.integers(1, max_buildings))
    if shape == "path":
        edges = [(i, i + 1) for i in range(count - 1)]
    elif shape == "grid":
        columns = draw(st.integers(1, 5))
        edges = [(i, i + 1) for i in range(count - 1) if (i + 1) % columns]
        edges += [(i, i + columns) for i in range(count - columns)]
    elif shape == "tree":
        edges = [(draw(st.integers(0, i - 1)), i) for i in range(1, count)]
    elif shape == "random":
        pair = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
        edges = draw(st.lists(pair, max_size=3 * count))
    else:
        cut = draw(st.integers(0, count))
        edges = [(i, i + 1) for i in range(count - 1) if i + 1 != cut]
        edges += draw(
            st.lists(
                st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=count
            )
        )
        edges = [(a, b) for a, b in edges if (a < cut) == (b < cut)]
    # Mostly light buildings, so that groups of several buildings must be formed and split.
    light = st.integers(0, max(0, threshold - 1))
    counts = st.one_of(light, light, st.integers(0, 8)) if draw(st.booleans()) else light
    buildings = [Building(str(i + 1), draw(counts)) for i in range(count)]
    return buildings, [(str(a + 1), str(b + 1)) for a, b in edges], threshold


@st.composite
def hard_compounds(draw):
    """Connected, densely linked buildings with a few light ones holding 2T to 3T - 3 members:
    where quick cuts fail and only an exact search can tell whether a split exists."""
    threshold = draw(st.integers(3, 5))
    count = draw(st.integers(4, 12))
    pair = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
    edges = [(i, draw(st.integers(0, i - 1))) for i in range(1, count)]
    edges += draw(st.lists(pair, min_size=count // 2, max_size=3 * count))
    target = draw(st.integers(2 * threshold, 3 * threshold - 3))
    counts = [0] * count
    for _ in range(target):
        light = [i for i in range(count) if counts[i] < threshold - 1]
        if not light:
            break
        counts[draw(st.sampled_from(light))] += 1
    buildings = [Building(str(i + 1), counts[i]) for i in range(count)]
    return buildings, [(str(a + 1), str(b + 1)) for a, b in edges], threshold


@settings(max_examples=300, deadline=None)
@given(hard_compounds())
def test_hard_compounds_keep_the_guarantees(compound):
    buildings, edges, threshold = compound
    check_guarantees(buildings, edges, threshold, propose_groups(buildings, edges, threshold))


@pytest.mark.parametrize(
    "only",
    [
        {"_ST_PAIRS": 0, "_SEARCH_BUDGET": 0},
        {"_ST_PAIRS": 0, "_SEARCH_BUDGET": 0, "_FRONTIER_LIMIT": 0},
    ],
)
@settings(max_examples=120, deadline=None)
@given(compound=hard_compounds())
def test_each_exact_method_alone_keeps_the_guarantees(only, compound):
    # Without tree cuts and st-orderings and with a search budget of 0, every split is decided
    # by the frontier sweep; with its width limit at 0 too, by the unbounded search instead.
    buildings, edges, threshold = compound
    with (
        mock.patch.object(formation, "_best_tree_cut", lambda *args: None),
        mock.patch.multiple(graphsplit, **only),
    ):
        plan = propose_groups(buildings, edges, threshold)
    check_guarantees(buildings, edges, threshold, plan)


@settings(max_examples=400, deadline=None)
@given(compounds())
def test_every_proposal_keeps_the_guarantees(compound):
    buildings, edges, threshold = compound
    check_guarantees(buildings, edges, threshold, propose_groups(buildings, edges, threshold))


@settings(max_examples=60, deadline=None)
@given(compounds(max_buildings=40))
def test_larger_compounds_keep_the_guarantees(compound):
    buildings, edges, threshold = compound
    plan = propose_groups(buildings, edges, threshold)
    check_guarantees(buildings, edges, threshold, plan, brute_force_up_to=12)


@settings(max_examples=200, deadline=None)
@given(compounds(), st.randoms(use_true_random=False))
def test_proposal_does_not_depend_on_input_order(compound, rng):
    buildings, edges, threshold = compound
    shuffled_buildings = list(buildings)
    rng.shuffle(shuffled_buildings)
    shuffled_edges = [(b, a) if rng.random() < 0.5 else (a, b) for a, b in edges]
    shuffled_edges += rng.sample(edges, len(edges) // 2)
    rng.shuffle(shuffled_edges)
    assert propose_groups(shuffled_buildings, shuffled_edges, threshold) == propose_groups(
        buildings, edges, threshold
    )


@settings(max_examples=100, deadline=None)
@given(compounds())
def test_joint_branches_keep_the_same_guarantees(compound):
    buildings, edges, threshold = compound
    plan = propose_joint_branches([Compound(b.id, b.members) for b in buildings], edges, threshold)
    groups = propose_groups(buildings, edges, threshold)
    assert [branch.compounds for branch in plan.branches] == [g.buildings for g in groups.groups]
    assert [part.compounds for part in plan.unplaceable] == [
        part.buildings for part in groups.unplaceable
    ]


def test_a_whole_compound_of_forty_buildings_takes_milliseconds():
    rng = random.Random(3)
    buildings = [Building(str(i), rng.choice([0, 1, 2, 2, 3, 5, 8])) for i in range(40)]
    edges = [(str(i), str(i + 1)) for i in range(39) if (i + 1) % 8]
    edges += [(str(i), str(i + 8)) for i in range(32)]
    started = time.perf_counter()
    for _ in range(20):
        plan = propose_groups(buildings, edges)
    assert (time.perf_counter() - started) / 20 < 0.05
    check_guarantees(buildings, edges, 3, plan)
