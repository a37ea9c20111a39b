"""How lively a building 楼组 is, from the dates and kinds of its activities (no Django).

SPEC "The chain at work": 楼组 activities (互助, 卫生, 调解, 新风); the area sees active and quiet
buildings, and the 文明楼组 evaluation reads it. The rule, counted up to `on` (later dates are
ignored, withdrawn activities are never passed in):

- active 活跃: at least one activity in the last 90 days, and at least 2 kinds in the last year;
- quiet 沉寂: no activity in the last 90 days;
- steady 一般: the rest (something lately, but only one kind all year).

Adding an activity never lowers a building's level (every count only grows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

RECENT_DAYS = 90
YEAR_DAYS = 365
ACTIVE_MIN_KINDS = 2


class Liveliness(Enum):
    ACTIVE = "active"
    STEADY = "steady"
    QUIET = "quiet"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def rank(self) -> int:
        """quiet 0 < steady 1 < active 2."""
        return RANKS[self]


LABELS = {Liveliness.ACTIVE: "活跃", Liveliness.STEADY: "一般", Liveliness.QUIET: "沉寂"}
RANKS = {Liveliness.QUIET: 0, Liveliness.STEADY: 1, Liveliness.ACTIVE: 2}


@dataclass(frozen=True)
class Held:
    """One activity: the day it was held and its kind (any text: the rule only counts kinds)."""

    on: date
    kind: str


@dataclass(frozen=True)
class Tally:
    """A building's activities counted for the rule."""

    recent: Counter[str] = field(default_factory=Counter)  # kind → count, last 90 days
    year: Counter[str] = field(default_factory=Counter)  # kind → count, last 365 days
    last_on: date | None = None
    liveliness: Liveliness = Liveliness.QUIET

    @property
    def recent_total(self) -> int:
        return sum(self.recent.values())

    @property
    def year_total(self) -> int:
        return sum(self.year.values())


def classify(recent_total: int, year_kinds: int) -> Liveliness:
    """The rule above, on its two counts."""
    if recent_total == 0:
        return Liveliness.QUIET
    if year_kinds >= ACTIVE_MIN_KINDS:
        return Liveliness.ACTIVE
    return Liveliness.STEADY


def tally(held: Iterable[Held], on: date) -> Tally:
    """Count a building's activities up to `on` and classify it."""
    recent_from = on - timedelta(days=RECENT_DAYS - 1)
    year_from = on - timedelta(days=YEAR_DAYS - 1)
    recent: Counter[str] = Counter()
    year: Counter[str] = Counter()
    last_on: date | None = None
    for item in held:
        if item.on > on or item.on < year_from:
            continue
        year[item.kind] += 1
        if item.on >= recent_from:
            recent[item.kind] += 1
        if last_on is None or item.on > last_on:
            last_on = item.on
    return Tally(
        recent=recent,
        year=year,
        last_on=last_on,
        liveliness=classify(sum(recent.values()), len(year)),
    )
