"""Derived groups: 独居老人 and 老党员 follow from the data, never typed in.

SPEC "Groups": 独居老人 = aged 60+ and the only current member of the household;
老党员 = 50+ years since joining the Party. Both thresholds are settings.
"""

from __future__ import annotations

from datetime import date


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March in common years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on a day (the birthday itself counts)."""
    had_birthday = (on.month, on.day) >= (birth_date.month, birth_date.day)
    return on.year - birth_date.year - (0 if had_birthday else 1)


def living_alone_elderly_since(
    *, birth_date: date | None, current_household_members: int, elderly_age: int
) -> date | None:
    """The day the resident is (or will be) 独居老人 while the household stays as it is.

    None when the resident does not live alone. A date in the future means the resident
    joins the group on that birthday without any further change to the data.
    """
    if birth_date is None or current_household_members != 1:
        return None
    return add_years(birth_date, elderly_age)


def veteran_member_since(*, joined_on: date | None, veteran_years: int) -> date | None:
    """The day a Party member becomes 老党员: `veteran_years` after joining."""
    if joined_on is None:
        return None
    return add_years(joined_on, veteran_years)
