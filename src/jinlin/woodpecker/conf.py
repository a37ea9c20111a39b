"""Settings of the woodpecker programme: defaults here, overridden by `settings.WOODPECKER`.

SPEC 纠错有奖: "Amounts and counts are settings". A round copies the award settings when it is
created, so changing a setting never rewrites a round already under way or judged.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # minor: punctuation or typo; moderate: wrong word or grammar; major: a factual error.
    "POINTS": {"minor": 1, "moderate": 2, "major": 3},
    "BEST_COUNT": 1,
    "EXCELLENT_COUNT": 10,  # ten in September 2022
    "CASH_YUAN": 100,
    "SOUVENIR": "纪念品",
    # Reports on a month's issues are accepted until this day of the next month, this time,
    # Shanghai time, inclusive: 1 and "23:59:59" means "by 1 November" for October's issues.
    "DEADLINE_DAY": 1,
    "DEADLINE_TIME": "23:59:59",
    "TIME_ZONE": "Asia/Shanghai",
    # Per client address: (requests, seconds). The public form and the API share each bucket.
    "RATE_LIMITS": {
        "report": (10, 3600),  # submissions (every attempt counts, refused ones too)
        "lookup": (60, 600),  # receipt look-ups
        "parse": (30, 600),  # free-text recognitions on the form
    },
    "MAX_BODY_BYTES": 16 * 1024,  # a report, JSON or form, is far smaller
    "MAX_ARTICLE_CHARS": 60_000,  # a newspaper article; an uploaded .txt is refused beyond it
    "MAX_UPLOAD_BYTES": 256 * 1024,
}


def setting(name: str) -> Any:
    overrides = getattr(settings, "WOODPECKER", None) or {}
    return overrides.get(name, DEFAULTS[name])


def programme_zone() -> ZoneInfo:
    return ZoneInfo(setting("TIME_ZONE"))


def default_deadline(year: int, month: int) -> datetime:
    """The default deadline of a month's round: DEADLINE_DAY of the next month at DEADLINE_TIME,
    in the programme's time zone (the day is clamped to the month's length)."""
    next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
    day = min(int(setting("DEADLINE_DAY")), calendar.monthrange(next_year, next_month)[1])
    at = time.fromisoformat(setting("DEADLINE_TIME"))
    return datetime.combine(date(next_year, next_month, day), at, tzinfo=programme_zone())


# A deadline is kept to the second and includes that whole second: 23:59:59.999 is in time.
DEADLINE_GRACE = timedelta(seconds=1)
