"""The rule of active and quiet buildings (chain.activities.liveliness): no database."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jinlin.chain.activities.liveliness import Held, Liveliness, classify, tally

ON = date(2026, 11, 25)
KINDS = ["mutual_help", "hygiene", "mediation", "new_customs"]


def days_ago(n: int, kind: str = "hygiene") -> Held:
    return Held(ON - timedelta(days=n), kind)


def test_nothing_is_quiet():
    result = tally([], ON)
    assert result.liveliness is Liveliness.QUIET
    assert (result.recent_total, result.year_total, result.last_on) == (0, 0, None)


def test_two_kinds_with_one_lately_is_active():
    result = tally([days_ago(10, "hygiene"), days_ago(200, "mutual_help")], ON)
    assert result.liveliness is Liveliness.ACTIVE
    assert result.recent["hygiene"] == 1 and result.year["mutual_help"] == 1
    assert result.last_on == ON - timedelta(days=10)


def test_one_kind_lately_is_steady():
    assert tally([days_ago(0), days_ago(30)], ON).liveliness is Liveliness.STEADY


def test_nothing_in_ninety_days_is_quiet_however_busy_before():
    held = [days_ago(90, kind) for kind in KINDS] + [days_ago(300, kind) for kind in KINDS]
    assert tally(held, ON).liveliness is Liveliness.QUIET


def test_the_window_is_ninety_days_counting_today():
    assert tally([days_ago(89)], ON).recent_total == 1
    assert tally([days_ago(90)], ON).recent_total == 0


def test_older_than_a_year_and_later_than_on_are_ignored():
    result = tally([days_ago(365, "mediation"), days_ago(-1, "new_customs"), days_ago(5)], ON)
    assert result.year_total == 1
    assert result.liveliness is Liveliness.STEADY


def test_classify_on_counts():
    assert classify(0, 4) is Liveliness.QUIET
    assert classify(1, 1) is Liveliness.STEADY
    assert classify(1, 2) is Liveliness.ACTIVE


def test_labels_and_ranks():
    assert [level.label for level in Liveliness] == ["活跃", "一般", "沉寂"]
    assert Liveliness.QUIET.rank < Liveliness.STEADY.rank < Liveliness.ACTIVE.rank


held_items = st.builds(
    Held,
    on=st.dates(min_value=ON - timedelta(days=500), max_value=ON + timedelta(days=30)),
    kind=st.sampled_from(KINDS),
)


@given(st.lists(held_items, max_size=30), held_items)
def test_adding_an_activity_never_lowers_a_building(held, extra):
    before = tally(held, ON).liveliness
    after = tally([*held, extra], ON).liveliness
    assert after.rank >= before.rank


@given(st.lists(held_items, max_size=30))
def test_order_does_not_matter_and_recent_is_part_of_year(held):
    forward, backward = tally(held, ON), tally(list(reversed(held)), ON)
    assert forward == backward
    assert all(forward.recent[kind] <= forward.year[kind] for kind in KINDS)
    assert (forward.liveliness is Liveliness.QUIET) == (forward.recent_total == 0)
