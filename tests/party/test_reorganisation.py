"""The area plan (branches over compounds, groups over buildings) and its diff: pure rules,
hand-worked examples and hypothesis properties (every building once, groups reach the
threshold, independent of input order)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.party.formation import Building
from jinlin.party.reorganisation import (
    JOINT_NO_HOST_REASON,
    CompoundInput,
    CurrentBranch,
    CurrentGroup,
    diff_network,
    fingerprint,
    plan_area,
)


def compound(name: str, members: list[int], row: bool = True) -> CompoundInput:
    buildings = tuple(Building(str(i + 1), m) for i, m in enumerate(members))
    edges = tuple((str(i + 1), str(i + 2)) for i in range(len(members) - 1)) if row else ()
    return CompoundInput(name, buildings, edges)


def groups_of(plan) -> list[tuple[tuple[str, str], ...]]:
    return [group.buildings for branch in plan.branches for group in branch.groups]


def test_large_compounds_get_their_own_branch_and_groups():
    plan = plan_area([compound("A", [5, 1, 2]), compound("B", [3])], [("A", "B")])
    assert [b.compounds for b in plan.branches] == [("A",), ("B",)]
    assert groups_of(plan) == [(("A", "1"),), (("A", "2"), ("A", "3")), (("B", "1"),)]


def test_small_compound_joins_the_lightest_group_of_its_joint_branch():
    plan = plan_area([compound("A", [4, 0, 3]), compound("B", [1, 0])], [("A", "B")])
    [branch] = plan.branches
    assert branch.is_joint and branch.compounds == ("A", "B")
    # A's groups: {1} with 4 and {2, 3} with 3; B (1 member) joins the lighter one.
    assert [(g.buildings, g.members) for g in branch.groups] == [
        ((("A", "1"),), 4),
        ((("A", "2"), ("A", "3"), ("B", "1"), ("B", "2")), 4),
    ]


def test_joint_branch_of_small_compounds_only_is_one_group():
    plan = plan_area([compound("A", [1, 0]), compound("B", [2])], [("A", "B")])
    [branch] = plan.branches
    assert [(g.buildings, g.members) for g in branch.groups] == [
        ((("A", "1"), ("A", "2"), ("B", "1")), 3)
    ]


def test_a_compound_of_two_members_with_no_neighbour_is_unplaceable():
    plan = plan_area([compound("A", [2, 0])], [])
    assert plan.branches == () and plan.unplaced_compounds == ("A",)
    [part] = plan.unplaced
    assert part.buildings == (("A", "1"), ("A", "2")) and part.members == 2
    assert "没有相邻小区" in part.reason


def test_small_compound_whose_partner_forms_no_group_is_unplaceable_with_reason():
    # A has 3 members in three buildings nobody has said are adjacent: no group there.
    plan = plan_area([compound("A", [1, 1, 1], row=False), compound("B", [1])], [("A", "B")])
    reasons = [p.reason for p in plan.unplaced if p.buildings[0][0] == "B"]
    assert reasons == [JOINT_NO_HOST_REASON.format(members=1, host="A")]


def test_lone_building_of_two_is_unplaceable_inside_a_large_compound():
    plan = plan_area([CompoundInput("A", (Building("1", 3), Building("2", 2)), ())], [])
    assert groups_of(plan) == [(("A", "1"),)]
    assert [p.buildings for p in plan.unplaced] == [(("A", "2"),)]


# --- the diff ------------------------------------------------------------------------------


def test_diff_from_nothing_is_all_new():
    plan = plan_area([compound("A", [3, 3])], [])
    diff = diff_network([], [], plan)
    assert [b.change for b in diff.branches] == ["new"]
    assert [g.change for g in diff.groups] == ["new", "new"]
    assert [m.before for m in diff.moves] == [None, None]


def test_diff_keeps_matching_groups_and_lists_moves():
    plan = plan_area([compound("A", [3, 1, 3])], [])
    # Today: one group of all three buildings; the rule makes {1, 2} and {3}.
    current = [CurrentGroup(7, "第一党小组", 70, frozenset({("A", "1"), ("A", "2"), ("A", "3")}))]
    diff = diff_network([CurrentBranch(70, "A党支部", frozenset({"A"}))], current, plan)
    assert [b.change for b in diff.branches] == ["keep"]
    changes = {g.change: g for g in diff.groups}
    assert changes["change"].current.id == 7 and changes["change"].removed == (("A", "3"),)
    assert changes["new"].buildings_after == (("A", "3"),)
    assert [(m.building, m.before) for m in diff.moves] == [(("A", "3"), 7)]
    assert not diff.is_empty


def test_diff_of_the_same_organisation_is_empty():
    plan = plan_area([compound("A", [3, 1, 3])], [])
    current = [
        CurrentGroup(1, "x", 9, frozenset({("A", "1"), ("A", "2")})),
        CurrentGroup(2, "y", 9, frozenset({("A", "3")})),
    ]
    diff = diff_network([CurrentBranch(9, "b", frozenset({"A"}))], current, plan)
    assert diff.is_empty
    assert diff.counts()["groups_kept"] == 2


def test_diff_dissolves_groups_the_plan_has_no_place_for():
    plan = plan_area([compound("A", [3])], [])
    current = [
        CurrentGroup(1, "x", 9, frozenset({("A", "1")})),
        CurrentGroup(2, "y", 9, frozenset({("A", "9")})),
    ]
    diff = diff_network([CurrentBranch(9, "b", frozenset({"A"}))], current, plan)
    assert [(g.change, g.current.id) for g in diff.groups if g.current] == [
        ("keep", 1),
        ("dissolve", 2),
    ]


def test_fingerprint_depends_only_on_the_content():
    assert fingerprint({"a": 1, "b": [1, 2]}) == fingerprint({"b": [1, 2], "a": 1})
    assert fingerprint({"a": 1}) != fingerprint({"a": 2})


# --- properties -----------------------------------------------------------------------------

areas = st.lists(
    st.tuples(
        st.lists(st.integers(0, 4), min_size=1, max_size=6),  # members per building
        st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=8),  # extra edges
    ),
    min_size=1,
    max_size=4,
)


def build(data, compound_edges_seed: int):
    compounds = []
    for index, (members, extra) in enumerate(data):
        count = len(members)
        edges = [(str(a % count + 1), str(b % count + 1)) for a, b in extra]
        compounds.append(
            CompoundInput(
                f"C{index}",
                tuple(Building(str(i + 1), m) for i, m in enumerate(members)),
                tuple(edges),
            )
        )
    rng = random.Random(compound_edges_seed)
    names = [c.id for c in compounds]
    compound_edges = [
        (a, b) for i, a in enumerate(names) for b in names[i + 1 :] if rng.random() < 0.6
    ]
    return compounds, compound_edges


@settings(max_examples=150, deadline=None)
@given(areas, st.integers(0, 10**6), st.integers(1, 5))
def test_every_building_is_placed_once_and_every_group_reaches_the_threshold(data, seed, threshold):
    compounds, compound_edges = build(data, seed)
    plan = plan_area(compounds, compound_edges, threshold)
    members = {(c.id, b.id): b.members for c in compounds for b in c.buildings}
    placed = [key for group in groups_of(plan) for key in group]
    placed += [key for part in plan.unplaced for key in part.buildings]
    assert sorted(placed) == sorted(members)
    for branch in plan.branches:
        assert sum(g.members for g in branch.groups) <= branch.members
        for group in branch.groups:
            assert group.members == sum(members[k] for k in group.buildings)
            assert group.members >= threshold


@settings(max_examples=100, deadline=None)
@given(areas, st.integers(0, 10**6), st.integers(1, 5), st.randoms(use_true_random=False))
def test_plan_does_not_depend_on_input_order(data, seed, threshold, rng):
    compounds, compound_edges = build(data, seed)
    shuffled = [
        CompoundInput(
            c.id,
            tuple(rng.sample(list(c.buildings), len(c.buildings))),
            tuple((b, a) for a, b in reversed(c.adjacency)),
        )
        for c in compounds
    ]
    rng.shuffle(shuffled)
    reversed_edges = [(b, a) for a, b in reversed(compound_edges)]
    assert plan_area(shuffled, reversed_edges, threshold) == plan_area(
        compounds, compound_edges, threshold
    )


@settings(max_examples=100, deadline=None)
@given(areas, st.integers(0, 10**6))
def test_diff_of_a_plan_against_itself_is_empty(data, seed):
    compounds, compound_edges = build(data, seed)
    plan = plan_area(compounds, compound_edges)
    branches = [
        CurrentBranch(100 + i, f"b{i}", frozenset(b.compounds)) for i, b in enumerate(plan.branches)
    ]
    groups = [
        CurrentGroup(1000 + n, f"g{n}", 100 + i, frozenset(g.buildings))
        for n, (i, g) in enumerate((i, g) for i, b in enumerate(plan.branches) for g in b.groups)
    ]
    assert diff_network(branches, groups, plan).is_empty
