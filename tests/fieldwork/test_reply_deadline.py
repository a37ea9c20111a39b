"""Replies to residents' concerns are late after 2 working days (fieldwork/due.py):
hand-worked examples and properties."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jinlin.fieldwork.due import is_reply_late, is_working_day, reply_deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A day of December 2025: Monday the 1st … Sunday the 7th, Monday the 8th …"""
    return datetime(2025, 12, day, hour, minute, tzinfo=SHANGHAI)


def test_hand_worked_examples():
    assert reply_deadline(at(1)) == at(3)  # Monday → Wednesday, same hour
    assert reply_deadline(at(4)) == at(8)  # Thursday → Monday
    assert reply_deadline(at(5)) == at(9)  # Friday → Tuesday
    assert reply_deadline(at(6, 15)) == at(10, 0)  # Saturday: from Monday 00:00 → Wednesday
    assert reply_deadline(at(7, 23, 59)) == at(10, 0)  # Sunday too
    assert not is_reply_late(at(5), at(9) - timedelta(seconds=1))
    assert is_reply_late(at(5), at(9))


moments = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=SHANGHAI)
)


@given(moments)
def test_deadline_falls_on_a_working_day_two_days_or_more_later(received):
    """Two to four days over a weekend; up to twelve over 春节 or 国庆 and its 调休."""
    deadline = reply_deadline(received)
    assert is_working_day(deadline.date())
    assert timedelta(days=2) <= deadline - received <= timedelta(days=12)


@given(moments)
def test_two_whole_working_days_are_given(received):
    """From a working day: the deadline is on the second working day after it. From a day off:
    at midnight, once the next working day and the one after have passed in full."""
    deadline = reply_deadline(received)
    start = received.date()
    between = [start + timedelta(days=n) for n in range(1, (deadline.date() - start).days)]
    working_between = sum(1 for day in between if is_working_day(day))
    if is_working_day(start):
        assert working_between == 1 and deadline.time() == received.time()
    else:
        assert working_between == 2 and deadline.time() == datetime.min.time()


@given(moments, moments)
def test_later_received_is_never_due_earlier(first, second):
    early, late = sorted((first, second))
    assert reply_deadline(early) <= reply_deadline(late)
