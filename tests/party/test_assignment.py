from collections import Counter
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.party.assignment import (
    Household,
    Member,
    assign_households,
    same_building_pairs,
)
from jinlin.party.formation import PlanningInputError


def households_in(building, count, start=1):
    return [Household(f"{building}-{i}", building) for i in range(start, start + count)]


def test_loads_are_even_and_members_keep_their_own_building():
    members = [Member("m1", "1"), Member("m2", "2")]
    households = households_in("1", 3) + households_in("2", 1)
    result = assign_households(members, households)
    assert result.loads == {"m1": 2, "m2": 2}
    assert same_building_pairs(result.contacts, members, households) == 3
    assert result.contacts["2-1"] == "m2"


def test_the_extra_household_goes_where_it_stays_in_its_building():
    # 5 households for 2 members: one takes 3. Building 1 has 3 households, so m1 takes them.
    members = [Member("m1", "1"), Member("m2", "2")]
    households = households_in("1", 3) + households_in("2", 2)
    result = assign_households(members, households)
    assert result.loads == {"m1": 3, "m2": 2}
    assert same_building_pairs(result.contacts, members, households) == 5


def test_members_unable_to_take_contacts_are_skipped():
    members = [Member("m1", "1"), Member("old", "1", can_contact=False), Member("m2", "2")]
    households = households_in("1", 4)
    result = assign_households(members, households)
    assert set(result.contacts.values()) == {"m1", "m2"}
    assert "old" not in result.loads
    assert sorted(result.loads.values()) == [2, 2]


def test_households_of_a_group_without_able_members_are_reported_uncovered():
    members = [Member("old", "1", can_contact=False)]
    result = assign_households(members, households_in("1", 2))
    assert result.contacts == {}
    assert result.uncovered == ("1-1", "1-2")


def test_more_members_than_households_leaves_the_member_without_neighbours_idle():
    members = [Member("a", "1"), Member("b", "2"), Member("c", "3")]
    result = assign_households(members, households_in("1", 1) + households_in("3", 1))
    assert result.contacts == {"1-1": "a", "3-1": "c"}
    assert result.loads == {"a": 1, "b": 0, "c": 1}


def test_households_of_buildings_without_members_are_shared_out():
    members = [Member("a", "1"), Member("b", "2")]
    households = households_in("1", 1) + households_in("2", 1) + households_in("9", 4)
    result = assign_households(members, households)
    assert result.loads == {"a": 3, "b": 3}
    assert len(result.contacts) == 6


@pytest.mark.parametrize(
    ("members", "households", "message"),
    [
        ([Member("a", "1"), Member("a", "2")], [], 'duplicate member id "a"'),
        ([Member("a", "1")], households_in("1", 1) * 2, 'duplicate household id "1-1"'),
    ],
)
def test_duplicate_ids_are_refused(members, households, message):
    with pytest.raises(PlanningInputError, match=message):
        assign_households(members, households)


# --- exactness against brute force -----------------------------------------------------------


@st.composite
def small_groups(draw):
    buildings = ["1", "2", "3"]
    members = [
        Member(f"m{i}", draw(st.sampled_from(buildings)), draw(st.booleans() | st.just(True)))
        for i in range(draw(st.integers(0, 4)))
    ]
    households = [
        Household(f"h{i}", draw(st.sampled_from([*buildings, "4"])))
        for i in range(draw(st.integers(0, 7)))
    ]
    return members, households


def best_by_brute_force(members, households):
    """The most same-building pairs over every assignment whose loads differ by at most one."""
    able = [m for m in members if m.can_contact]
    best = -1
    for choice in product(range(len(able)), repeat=len(households)):
        loads = Counter(choice)
        counts = [loads[i] for i in range(len(able))]
        if max(counts) - min(counts) > 1:
            continue
        pairs = sum(
            1 for h, i in zip(households, choice, strict=True) if able[i].building == h.building
        )
        best = max(best, pairs)
    return best


@settings(max_examples=300, deadline=None)
@given(small_groups())
def test_assignment_is_even_complete_and_keeps_most_households_in_their_building(group):
    members, households = group
    result = assign_households(members, households)
    able = {m.id for m in members if m.can_contact}
    if not able:
        assert result.contacts == {}
        assert sorted(result.uncovered) == sorted(h.id for h in households)
        return
    assert result.uncovered == ()
    assert sorted(result.contacts) == sorted(h.id for h in households)
    assert set(result.contacts.values()) <= able
    loads = Counter(result.contacts.values())
    assert result.loads == {m: loads[m] for m in able}
    assert max(result.loads.values()) - min(result.loads.values()) <= 1
    assert same_building_pairs(result.contacts, members, households) == best_by_brute_force(
        members, households
    )


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 40)), min_size=1, max_size=8),
    st.integers(0, 30),
)
def test_larger_groups_reach_the_bound_on_same_building_pairs(buildings, stray_households):
    # Each building has (able members, households); with q = H // M and r = H % M no even
    # assignment can keep more than sum min(h, k q) + min(r, sum min(k, max(0, h - k q))).
    members = [Member(f"m{b}-{i}", str(b)) for b, (k, _) in enumerate(buildings) for i in range(k)]
    households = [
        Household(f"h{b}-{i}", str(b)) for b, (_, h) in enumerate(buildings) for i in range(h)
    ]
    households += [Household(f"stray-{i}", "elsewhere") for i in range(stray_households)]
    if not members:
        return
    base, extras = divmod(len(households), len(members))
    bound = sum(min(h, k * base) for k, h in buildings) + min(
        extras, sum(min(k, max(0, h - k * base)) for k, h in buildings)
    )
    result = assign_households(members, households)
    assert same_building_pairs(result.contacts, members, households) == bound


@settings(max_examples=100, deadline=None)
@given(small_groups(), st.randoms(use_true_random=False))
def test_assignment_does_not_depend_on_input_order(group, rng):
    members, households = group
    shuffled_members, shuffled_households = list(members), list(households)
    rng.shuffle(shuffled_members)
    rng.shuffle(shuffled_households)
    assert assign_households(shuffled_members, shuffled_households) == assign_households(
        members, households
    )
