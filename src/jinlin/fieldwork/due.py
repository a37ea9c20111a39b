"""Which households are due a care visit on a day, and how overdue each one is.

SPEC "问 Ask": each vulnerable group has a visit interval; every worker has a list of visits
due today and overdue, ordered by how overdue they are. Plain data in, plain data out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar


@dataclass(frozen=True)
class Membership:
    """A resident's membership of a group, as the rule needs it.

    `household_id` is the resident's current household; `left_on` the day the resident
    moved out or died (None while the resident lives here).
    """

    household_id: int
    resident_id: int
    group: str
    since: date
    ended_on: date | None = None
    left_on: date | None = None

    def is_active_on(self, day: date) -> bool:
        if self.since > day:
            return False
        if self.ended_on is not None and self.ended_on <= day:
            return False
        return self.left_on is None or self.left_on > day


@dataclass(frozen=True)
class DueVisit:
    household_id: int
    due_on: date
    days_overdue: int  # 0 = due today
    reason_group: str  # the group whose interval makes the household due first
    interval_days: int
    groups: tuple[str, ...]  # every visiting group the household is in, sorted
    resident_ids: tuple[int, ...]  # the residents whose memberships make it due, sorted
    last_visit: date | None


def due_visits(
    *,
    memberships: Iterable[Membership],
    visits: Iterable[tuple[int, date]],
    intervals: Mapping[str, int],
    on: date,
    horizon_days: int = 0,
) -> list[DueVisit]:
    """Households due a visit on `on` (or within `horizon_days` after), most overdue first.

    Per group g of the household: due_g = the day the household entered g if it has not been
    visited since, else max(entered, last visit + interval_g); the household is due at the
    earliest due_g, so two groups mean the shorter interval and one visit satisfies both.
    Memberships not in force on `on` (not begun, ended, resident moved out or died) and groups
    without an interval count for nothing. Visits after `on` are ignored.
    """
    entered: dict[int, dict[str, date]] = defaultdict(dict)
    residents: dict[int, set[int]] = defaultdict(set)
    for membership in memberships:
        interval = intervals.get(membership.group)
        if interval is None or interval <= 0 or not membership.is_active_on(on):
            continue
        by_group = entered[membership.household_id]
        known = by_group.get(membership.group)
        if known is None or membership.since < known:
            by_group[membership.group] = membership.since
        residents[membership.household_id].add(membership.resident_id)
    if not entered:
        return []
    last_visit: dict[int, date] = {}
    for household_id, visited_on in visits:
        if household_id not in entered or visited_on > on:
            continue
        known_visit = last_visit.get(household_id)
        if known_visit is None or visited_on > known_visit:
            last_visit[household_id] = visited_on
    horizon = on + timedelta(days=horizon_days)
    result: list[DueVisit] = []
    for household_id, by_group in entered.items():
        last = last_visit.get(household_id)
        candidates = []
        for group, since in by_group.items():
            interval = intervals[group]
            due_on = since if last is None else max(since, last + timedelta(days=interval))
            candidates.append((due_on, interval, group))
        due_on, interval, group = min(candidates)
        if due_on > horizon:
            continue
        result.append(
            DueVisit(
                household_id=household_id,
                due_on=due_on,
                days_overdue=(on - due_on).days,
                reason_group=group,
                interval_days=interval,
                groups=tuple(sorted(by_group)),
                resident_ids=tuple(sorted(residents[household_id])),
                last_visit=last,
            )
        )
    result.sort(key=lambda item: (item.due_on, item.interval_days, item.household_id))
    return result


# --- replies to residents' concerns ------------------------------------------------------------

REPLY_WORKING_DAYS = (
    2  # issue 14, after 宝山社区通: every concern is answered within 2 working days
)


@lru_cache(maxsize=8192)
def is_working_day(day: date) -> bool:
    """A working day in mainland China: Monday to Friday except public holidays, plus the
    调休 Saturdays and Sundays worked in their place (the chinese-calendar package, which knows
    the State Council's notices from 2004 to its release year). For a year it has no data for
    (it raises NotImplementedError), Monday to Friday: a deadline then ignores holidays rather
    than fail. Kept per day (the package's data is fixed for the process): 今日 works out the
    reply deadline of 20 concerns a request, a few days each (5% of its time uncached)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def add_working_days(start: date, working_days: int) -> date:
    """The day on which `working_days` working days after `start` have begun: the
    `working_days`-th working day after `start` (0: `start` itself when it is a working day,
    else the next working day). Always a working day, never before `start`."""
    day = start
    while not is_working_day(day):
        day += timedelta(days=1)
    remaining = working_days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_after(start: date, end: date) -> int:
    """How many working days lie after `start`, up to and including `end` (0 when end <= start):
    how many working days a thing due on `start` is overdue on `end`."""
    return sum(
        1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n))
    )


def reply_deadline(received: datetime, working_days: int = REPLY_WORKING_DAYS) -> datetime:
    """When a reply to a concern received at `received` (local time) becomes late: the same time
    of day after `working_days` working days; received on a day off (weekend or public holiday),
    the clock starts at the beginning of the next working day."""
    moment = received
    while not is_working_day(moment.date()):
        moment = datetime.combine(moment.date() + timedelta(days=1), time.min, moment.tzinfo)
    remaining = working_days
    while remaining > 0:
        moment += timedelta(days=1)
        if is_working_day(moment.date()):
            remaining -= 1
    return moment


def is_reply_late(
    received: datetime, now: datetime, working_days: int = REPLY_WORKING_DAYS
) -> bool:
    return now >= reply_deadline(received, working_days)
