"""The due-visit rule (fieldwork/due.py): hand-worked examples and properties."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from jinlin.fieldwork.due import DueVisit, Membership, due_visits

INTERVALS = {"living_alone": 7, "lost_only_child": 14, "serious_illness": 14, "hardship": 30}
ON = date(2025, 11, 25)


def due(memberships, visits=(), on=ON, intervals=INTERVALS, horizon_days=0) -> list[DueVisit]:
    return due_visits(
        memberships=memberships,
        visits=visits,
        intervals=intervals,
        on=on,
        horizon_days=horizon_days,
    )


def alone(household=1, resident=10, since=date(2020, 1, 1), **kwargs) -> Membership:
    return Membership(
        household_id=household, resident_id=resident, group="living_alone", since=since, **kwargs
    )


def test_never_visited_is_due_from_the_day_it_entered_the_group():
    [item] = due([alone(since=date(2025, 11, 1))])
    assert item.due_on == date(2025, 11, 1)
    assert item.days_overdue == 24
    assert item.last_visit is None
    assert item.reason_group == "living_alone"
    assert item.interval_days == 7


def test_visited_within_the_interval_is_not_due():
    assert due([alone()], visits=[(1, ON - timedelta(days=6))]) == []


def test_visit_exactly_one_interval_ago_makes_it_due_today():
    [item] = due([alone()], visits=[(1, ON - timedelta(days=7))])
    assert item.due_on == ON
    assert item.days_overdue == 0


def test_overdue_by_the_days_since_the_interval_ran_out():
    [item] = due([alone()], visits=[(1, date(2025, 11, 10)), (1, date(2025, 10, 1))])
    assert item.last_visit == date(2025, 11, 10)
    assert item.due_on == date(2025, 11, 17)
    assert item.days_overdue == 8


def test_household_in_two_groups_is_due_at_the_shorter_interval_and_one_visit_satisfies_both():
    members = [
        Membership(1, 10, "hardship", date(2020, 1, 1)),
        Membership(1, 10, "living_alone", date(2020, 1, 1)),
    ]
    [item] = due(members, visits=[(1, ON - timedelta(days=10))])
    assert item.reason_group == "living_alone"
    assert item.interval_days == 7
    assert item.days_overdue == 3
    assert item.groups == ("hardship", "living_alone")
    assert due(members, visits=[(1, ON)]) == []


def test_a_visit_before_joining_the_group_does_not_count_for_it():
    # Visited in spring; turned 60 (joined 独居老人) on 1 November: due that day.
    [item] = due([alone(since=date(2025, 11, 1))], visits=[(1, date(2025, 4, 1))])
    assert item.due_on == date(2025, 11, 1)


def test_a_visit_just_before_joining_counts_like_any_other():
    [item] = due([alone(since=date(2025, 11, 20))], visits=[(1, date(2025, 11, 18))])
    assert item.due_on == date(2025, 11, 25)


def test_upcoming_birthday_adds_a_due_visit_on_that_day():
    member = alone(since=ON + timedelta(days=1))
    assert due([member]) == []
    [item] = due([member], on=ON + timedelta(days=1))
    assert item.due_on == ON + timedelta(days=1)
    assert item.days_overdue == 0


def test_moving_out_or_dying_removes_the_due_visit():
    assert due([alone(left_on=ON)]) == []
    assert due([alone(left_on=ON - timedelta(days=3))]) == []
    # Still listed on a day before the move.
    assert len(due([alone(left_on=ON)], on=ON - timedelta(days=1))) == 1


def test_ended_membership_removes_the_due_visit():
    assert due([alone(ended_on=ON)]) == []


def test_groups_without_interval_count_for_nothing():
    assert due([Membership(1, 10, "veteran_member", date(2000, 1, 1))]) == []


def test_visits_after_the_day_are_ignored():
    [item] = due([alone()], visits=[(1, ON + timedelta(days=1)), (1, ON - timedelta(days=9))])
    assert item.last_visit == ON - timedelta(days=9)


def test_most_overdue_first():
    members = [
        alone(household=1, resident=1),
        alone(household=2, resident=2),
        alone(household=3, resident=3),
    ]
    visits = [
        (1, ON - timedelta(days=8)),
        (2, ON - timedelta(days=20)),
        (3, ON - timedelta(days=7)),
    ]
    assert [item.household_id for item in due(members, visits)] == [2, 1, 3]


def test_horizon_lists_visits_due_soon():
    [item] = due([alone()], visits=[(1, ON - timedelta(days=5))], horizon_days=2)
    assert item.due_on == ON + timedelta(days=2)
    assert item.days_overdue == -2


def test_area_interval_replaces_the_default():
    [item] = due(
        [alone()], visits=[(1, ON - timedelta(days=7))], intervals={**INTERVALS, "living_alone": 5}
    )
    assert item.interval_days == 5
    assert item.days_overdue == 2


# --- properties ------------------------------------------------------------------------------

GROUP_CODES = list(INTERVALS) + ["veteran_member", "talent"]
days_ago = st.integers(min_value=-10, max_value=400)


@st.composite
def memberships(draw):
    household = draw(st.integers(1, 6))
    left = draw(st.none() | days_ago)
    ended = draw(st.none() | days_ago)
    return Membership(
        household_id=household,
        resident_id=household * 10 + draw(st.integers(0, 2)),
        group=draw(st.sampled_from(GROUP_CODES)),
        since=ON - timedelta(days=draw(days_ago)),
        ended_on=None if ended is None else ON - timedelta(days=ended),
        left_on=None if left is None else ON - timedelta(days=left),
    )


visit_lists = st.lists(
    st.tuples(st.integers(1, 6), days_ago.map(lambda d: ON - timedelta(days=d))), max_size=20
)
member_lists = st.lists(memberships(), max_size=15)


def reference(members, visits, on=ON):
    """The rule by brute force: walk day by day from the last visit."""
    result = {}
    for household in {m.household_id for m in members}:
        active = [
            m
            for m in members
            if m.household_id == household and m.is_active_on(on) and m.group in INTERVALS
        ]
        if not active:
            continue
        last = max((d for h, d in visits if h == household and d <= on), default=None)
        best = None
        for m in active:
            since = min(x.since for x in active if x.group == m.group)
            day = since if last is None else max(since, last + timedelta(days=INTERVALS[m.group]))
            best = day if best is None else min(best, day)
        if best <= on:
            result[household] = best
    return result


@settings(max_examples=300, deadline=None)
@given(member_lists, visit_lists)
def test_matches_the_brute_force_rule(members, visits):
    items = due(members, visits)
    assert {item.household_id: item.due_on for item in items} == reference(members, visits)


@settings(max_examples=200, deadline=None)
@given(member_lists, visit_lists)
def test_ordered_most_overdue_first_and_each_household_once(members, visits):
    items = due(members, visits)
    overdue = [item.days_overdue for item in items]
    assert overdue == sorted(overdue, reverse=True)
    assert len({item.household_id for item in items}) == len(items)
    assert all(item.days_overdue >= 0 for item in items)


@settings(max_examples=200, deadline=None)
@given(member_lists, visit_lists)
def test_a_visit_today_clears_the_household(members, visits):
    items = due(members, visits)
    for item in items:
        after = due(members, [*visits, (item.household_id, ON)])
        assert item.household_id not in {x.household_id for x in after}


@settings(max_examples=200, deadline=None)
@given(member_lists, visit_lists)
def test_due_at_the_shortest_interval_of_its_groups(members, visits):
    for item in due(members, visits):
        active = {
            m.group
            for m in members
            if m.household_id == item.household_id and m.is_active_on(ON) and m.group in INTERVALS
        }
        assert item.reason_group in active
        assert set(item.groups) == active
        if item.last_visit is not None:
            # Never later than the shortest interval after the last visit allows (unless just joined).
            shortest = min(INTERVALS[g] for g in active)
            latest_join = max(
                min(
                    m.since
                    for m in members
                    if m.household_id == item.household_id and m.group == g and m.is_active_on(ON)
                )
                for g in active
            )
            assert item.due_on <= max(item.last_visit + timedelta(days=shortest), latest_join)


@settings(max_examples=200, deadline=None)
@given(member_lists, visit_lists)
def test_people_who_left_never_make_a_household_due(members, visits):
    gone = [
        Membership(m.household_id, m.resident_id, m.group, m.since, m.ended_on, ON) for m in members
    ]
    assert due(gone, visits) == []


@settings(max_examples=200, deadline=None)
@given(member_lists, visit_lists, st.integers(1, 30))
def test_more_days_never_make_a_household_less_overdue(members, visits, later):
    """Without new visits or group changes, a household due today stays due later."""
    steady = [m for m in members if m.ended_on is None and m.left_on is None]
    before = {item.household_id: item.due_on for item in due(steady, visits)}
    after = {
        item.household_id: item.due_on
        for item in due(steady, visits, on=ON + timedelta(days=later))
    }
    visits_after = {h for h, d in visits if d > ON}
    for household, due_on in before.items():
        if household not in visits_after:
            assert after[household] == due_on


@settings(max_examples=100, deadline=None)
@given(member_lists, visit_lists, st.randoms())
def test_result_does_not_depend_on_input_order(members, visits, rng):
    shuffled_members, shuffled_visits = list(members), list(visits)
    rng.shuffle(shuffled_members)
    rng.shuffle(shuffled_visits)
    assert due(members, visits) == due(shuffled_members, shuffled_visits)
