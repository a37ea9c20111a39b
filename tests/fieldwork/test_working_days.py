"""Working days (fieldwork/due.py): China's public holidays and 调休 make-up days count."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jinlin.fieldwork.due import add_working_days, is_working_day, reply_deadline

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_national_day_2026_is_a_holiday_week():
    for day in range(1, 8):
        assert not is_working_day(date(2026, 10, day)), f"2026-10-0{day} 国庆放假"


def test_the_make_up_saturday_after_national_day_2026_is_worked():
    assert date(2026, 10, 10).weekday() == 5  # a Saturday
    assert is_working_day(date(2026, 10, 10))  # 调休上班


def test_plain_weekdays_and_weekends():
    assert is_working_day(date(2026, 9, 29))  # a Tuesday
    assert not is_working_day(date(2026, 9, 27))  # a Sunday


def test_years_without_holiday_data_fall_back_to_monday_to_friday():
    assert is_working_day(date(2040, 10, 1))  # a Monday; the package knows no 2040 holidays
    assert not is_working_day(date(2040, 10, 6))  # a Saturday


def test_a_deadline_counted_across_national_day_2026():
    # Due on Wednesday 30 September; two working days later is Friday 9 October, not 2 October.
    assert add_working_days(date(2026, 9, 30), 2) == date(2026, 10, 9)
    # From inside the holiday the count starts on the first working day (Thursday 8 October).
    assert add_working_days(date(2026, 10, 3), 0) == date(2026, 10, 8)
    assert add_working_days(date(2026, 10, 3), 2) == date(2026, 10, 10)  # the 调休 Saturday


def test_a_reply_to_a_concern_received_before_national_day_2026():
    received = datetime(2026, 9, 30, 10, 0, tzinfo=SHANGHAI)
    assert reply_deadline(received) == datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI)


days = st.dates(min_value=date(2004, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=0, max_value=30)


@given(days, counts)
def test_the_deadline_is_a_working_day_at_or_after_the_start(start, working_days):
    deadline = add_working_days(start, working_days)
    assert is_working_day(deadline)
    assert deadline >= start
    between = [start + timedelta(days=n) for n in range(1, (deadline - start).days + 1)]
    if is_working_day(start):
        assert sum(1 for day in between if is_working_day(day)) == working_days


@given(days, counts)
def test_one_more_working_day_is_never_earlier(start, working_days):
    assert add_working_days(start, working_days + 1) > add_working_days(start, working_days)
