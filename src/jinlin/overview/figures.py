"""The subdistrict overview's figures of each area, kept per day and area revision.

Computing every area's counts, due visits and coverage at once is the slow part of the
subdistrict's page (hundreds of milliseconds at 40 areas); the figures of an area change only
when a write touches it (places.figures bumps its revision) or the day turns. So each area's
figures are kept with the day and the revision read *before* computing them: a write that
lands during the computation leaves a revision behind, and the next look computes again.
The figures are exact: the same as `compute_area_figures` on the spot (tests/overview).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date

from django.db.models import Count, QuerySet
from django.utils import timezone

from jinlin.core.access import Scope
from jinlin.fieldwork.summary.selectors import AreaWork, subdistrict_work
from jinlin.overview.models import AreaFigures
from jinlin.party.selectors import contact_coverage
from jinlin.people.groups import GroupCode
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.figures import kept_for_areas
from jinlin.places.models import Household

WHOLE_AREAS = Scope(everything=True)  # with `area_id__in`: every person of the areas asked for
HOUSEHOLD_GROUPS = frozenset(
    {GroupCode.HARDSHIP, GroupCode.SERIOUS_ILLNESS, GroupCode.LOST_ONLY_CHILD}
)


def active_memberships(on: date | None = None) -> QuerySet[GroupMembership]:
    """Memberships in force on a day: begun, not ended, of a current resident."""
    day = on or timezone.localdate()
    return GroupMembership.objects.filter(
        since__lte=day, ended_on__isnull=True, resident__status=LifeStatus.CURRENT
    )


def group_counts(
    memberships: QuerySet[GroupMembership],
) -> Iterator[tuple[int, int, str, int]]:
    """(area, compound, group, count) with households counted for household groups."""
    for row in memberships.values("area_id", "compound_id", "group").annotate(
        people=Count("resident_id", distinct=True), homes=Count("household_id", distinct=True)
    ):
        homes = row["group"] in HOUSEHOLD_GROUPS
        yield row["area_id"], row["compound_id"], row["group"], row["homes" if homes else "people"]


@dataclass
class AreaCounts:
    """One area's figures on the subdistrict overview: counts only, no person."""

    households: int = 0
    residents: int = 0
    groups: dict[str, int] = field(default_factory=dict)  # as counted, before suppression
    work: AreaWork = field(default_factory=AreaWork)
    contacted: int = 0  # households with a current Party member contact

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> AreaCounts:
        return cls(
            households=data["households"],
            residents=data["residents"],
            groups=dict(data["groups"]),
            work=AreaWork(**data["work"]),
            contacted=data["contacted"],
        )


def compute_area_figures(
    area_ids: list[int], day: date, scope: Scope = WHOLE_AREAS, *, kept: bool = True
) -> dict[int, AreaCounts]:
    """Every figure of the areas, computed on the spot (a fixed number of queries). A `scope`
    narrower than whole areas limits the registry counts (households, residents, groups) to
    the people it holds; the work and coverage figures stay those of whole areas, as on the page.
    The due visits are read from each area's kept dues (fieldwork, kept_area_dues) unless
    `kept` is False (tests compare with figures computed wholly afresh)."""
    counts = {area_id: AreaCounts() for area_id in area_ids}
    if not area_ids:
        return counts
    for area_id, n in (
        Household.objects.filter(scope.q(), area_id__in=area_ids)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    ):
        counts[area_id].households = n
    for area_id, n in (
        Resident.objects.filter(scope.q(), area_id__in=area_ids, status=LifeStatus.CURRENT)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    ):
        counts[area_id].residents = n
    groups: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    memberships = active_memberships(day).filter(
        scope.q(building_field="resident__building_id"), area_id__in=area_ids
    )
    for area_id, _compound_id, group, n in group_counts(memberships):
        groups[area_id][group] += n
    work = subdistrict_work(area_ids, day, kept=kept)
    contacted = contact_coverage(area_ids)
    for area_id, row in counts.items():
        row.groups = dict(groups.get(area_id, {}))
        row.work = work[area_id]
        row.contacted = contacted.get(area_id, 0)
    return counts


def area_figures(area_ids: list[int], day: date) -> dict[int, AreaCounts]:
    """The figures of whole areas: kept ones where the area has not moved since, the others
    computed together and kept (2 queries when nothing moved)."""
    return kept_for_areas(
        AreaFigures,
        "figures",
        area_ids,
        day,
        lambda stale: compute_area_figures(stale, day),
        AreaCounts.to_json,
        AreaCounts.from_json,
    )
