"""Counts of the registry across areas and compounds, shaped for the overview pages and API.

Counts only, of the people the user may count, sensitive groups suppressed below 3 where it
cannot open them (core.disclosure). Each function runs a fixed number of queries, whatever
the size of the area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from jinlin.core.access import Scope, can_unmask, personal_scope
from jinlin.core.disclosure import Shown, suppress_cell, suppress_groups, suppress_row
from jinlin.core.models import Role, User
from jinlin.fieldwork.concerns.models import Rating
from jinlin.overview.figures import (
    AreaCounts,
    active_memberships,
    area_figures,
    compute_area_figures,
    group_counts,
)
from jinlin.people.catalogue import is_sensitive
from jinlin.people.groups import SENSITIVE_CODES
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.access import (
    aggregate_area_ids,
    visible_areas,
    visible_buildings,
    visible_compounds,
)
from jinlin.places.models import Area, Building, Compound, Household
from jinlin.places.selectors import building_neighbours


@dataclass
class CompoundCounts:
    compound_id: int
    name: str
    buildings: int = 0
    households: int = 0
    residents: int = 0
    # As shown: sensitive counts of 1 or 2 read "<3" to whoever cannot open the people.
    groups: dict[str, Shown] = field(default_factory=dict)
    counted_groups: dict[str, int] = field(default_factory=dict, repr=False)
    is_suppressed: bool = False


def count_scope(user: User) -> Scope:
    """Whose numbers a user may count: the people it may see; for a subdistrict admin (and a
    superuser) whole areas, which are counts only until it opens one (docs/security.md)."""
    if user.is_superuser:
        return Scope(everything=True)
    if user.role == Role.SUBDISTRICT_ADMIN:
        return Scope(area_ids=aggregate_area_ids(user) or frozenset())
    return personal_scope(user)


def sensitive_among(codes: Iterable[str]) -> frozenset[str]:
    """The sensitive groups among counted ones: the built-ins and an area's own (低保 …)."""
    return SENSITIVE_CODES | frozenset(code for code in codes if is_sensitive(code))


def may_open_counted(user: User, area_id: int) -> bool:
    """Whether the user may open the people behind an area's sensitive counts: those counted
    are within its personal scope, and its role may see sensitive groups."""
    return area_id in areas_open_counted(user, [area_id])


def areas_open_counted(user: User, area_ids: Iterable[int]) -> frozenset[int]:
    """The areas among `area_ids` whose sensitive counts the user may open (may_open_counted),
    the user's side decided once."""
    if not can_unmask(user, "sensitive_groups"):
        return frozenset()
    if user.role != Role.SUBDISTRICT_ADMIN:
        return frozenset(area_ids)
    scope = personal_scope(user)
    return frozenset(
        area_id for area_id in area_ids if scope.everything or area_id in scope.area_ids
    )


def area_overview(user: User, area: Area) -> list[CompoundCounts]:
    """Counts per compound (buildings, households, residents, each group) of the people the
    user may see, sensitive ones suppressed below 3 where it cannot open them."""
    compounds = list(
        visible_compounds(user).filter(area=area).order_by("name").values("id", "name")
    )
    scope = personal_scope(user)
    rows = {c["id"]: CompoundCounts(c["id"], c["name"]) for c in compounds}
    ids = list(rows)
    for row in (
        visible_buildings(user)
        .filter(compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"))
    ):
        rows[row["compound_id"]].buildings = row["n"]
    for row in (
        Household.objects.filter(scope.q(), compound_id__in=ids)
        .values("compound_id")
        .annotate(n=Count("id"))
    ):
        rows[row["compound_id"]].households = row["n"]
    for row in (
        Resident.objects.filter(scope.q(), area=area, status=LifeStatus.CURRENT)
        .values("compound_id")
        .annotate(n=Count("id"))
    ):
        if row["compound_id"] in rows:
            rows[row["compound_id"]].residents = row["n"]
    memberships = active_memberships().filter(
        scope.q(building_field="resident__building_id"), area=area
    )
    for _area_id, compound_id, group, count in group_counts(memberships):
        if compound_id in rows:
            rows[compound_id].counted_groups[group] = count
    suppress = not may_open_counted(user, area.pk)
    for counts in rows.values():
        counts.is_suppressed = suppress
        counts.groups = suppress_row(
            counts.counted_groups, sensitive_among(counts.counted_groups) if suppress else ()
        )
    return list(rows.values())


def overview_totals(rows: list[CompoundCounts]) -> CompoundCounts:
    total = CompoundCounts(0, "合计")
    for row in rows:
        total.buildings += row.buildings
        total.households += row.households
        total.residents += row.residents
    counted = [row.counted_groups for row in rows]
    suppressed = (
        sensitive_among(code for row in counted for code in row)
        if any(row.is_suppressed for row in rows)
        else ()
    )
    _shown, total.groups = suppress_groups(counted, suppressed)
    return total


def subdistrict_overview(user: User, areas: list[Area]) -> list[dict[str, object]]:
    """One row per area: counts only, no person, of the people the user may count; with the
    area's work and Party contact coverage under "figures" (overview.figures)."""
    day = timezone.localdate()
    scope = count_scope(user)
    whole = [area.pk for area in areas if scope.everything or area.pk in scope.area_ids]
    figures = area_figures(whole, day)
    partial = [area.pk for area in areas if area.pk not in figures]
    if partial:
        # Areas the user may count only part of: their registry counts within its scope.
        figures.update(compute_area_figures(partial, day, scope))
    openable = areas_open_counted(user, [area.pk for area in areas])
    rows: list[dict[str, object]] = []
    for area in areas:
        counts = figures[area.pk]
        suppressed = () if area.pk in openable else sensitive_among(counts.groups)
        rows.append(
            {
                "area": area,
                "households": counts.households,
                "residents": counts.residents,
                "groups": suppress_row(counts.groups, suppressed),
                "figures": counts,
            }
        )
    return rows


def compound_buildings(user: User, compound: Compound) -> list[dict[str, object]]:
    buildings = list(
        visible_buildings(user)
        .filter(compound=compound)
        .annotate(
            household_count=Count("households", distinct=True),
        )
        .order_by("sort_key", "number", "stairwell")
    )
    residents = dict(
        Resident.objects.filter(compound=compound, status=LifeStatus.CURRENT)
        .values("building_id")
        .annotate(n=Count("id"))
        .values_list("building_id", "n")
    )
    neighbours = building_neighbours([b.pk for b in buildings])
    labels = {b.pk: b.label for b in Building.objects.filter(compound=compound)}
    return [
        {
            "building": b,
            "households": b.household_count,
            "residents": residents.get(b.pk, 0),
            "neighbours": [
                labels[n]
                for n in sorted(neighbours.get(b.pk, ()), key=lambda n: labels[n])
                if n in labels
            ],
        }
        for b in buildings
    ]


def subdistrict_rows(user: User) -> list[dict[str, object]]:
    """Every area the user oversees: registry counts, how its work stands, contact coverage."""
    areas = list(visible_areas(user).select_related("subdistrict").order_by("name"))
    rows = subdistrict_overview(user, areas)
    for row in rows:
        counts: AreaCounts = row["figures"]  # type: ignore[assignment]  # rows are dict[str, object]
        households = counts.households
        row["work"] = counts.work
        row["satisfaction"] = satisfaction(counts.work.ratings)
        row["contacted"] = round(100 * counts.contacted / households) if households else None
    return rows


RATING_LABELS = list(Rating.labels)


@dataclass(frozen=True)
class Satisfaction:
    """群众评单 of one area's 扫码 concerns, each count of 1 or 2 shown as "<3" (a resident who
    rated among so few is singled out); the satisfied share only when no cell is suppressed."""

    cells: list[Shown]  # in the order of Rating
    rated: int
    percent: int | None  # 满意 + 基本满意, of all rated


def satisfaction(ratings: dict[str, int]) -> Satisfaction:
    counts = [ratings.get(code, 0) for code in Rating.values]
    cells = [suppress_cell(count) for count in counts]
    rated = sum(counts)
    whole = rated > 0 and all(isinstance(cell, int) for cell in cells)
    satisfied = ratings.get(Rating.SATISFIED, 0) + ratings.get(Rating.FAIRLY_SATISFIED, 0)
    return Satisfaction(
        cells=cells, rated=rated, percent=round(100 * satisfied / rated) if whole else None
    )


WORK_TOTALS = (
    "overdue_visits",
    "due_visits",
    "visits_30d",
    "concerns_30d",
    "open_cases",
    "old_open_cases",
)


def work_totals(rows: list[dict[str, object]]) -> dict[str, int]:
    totals = {name: sum(getattr(row["work"], name) for row in rows) for name in WORK_TOTALS}
    totals["households"] = sum(row["households"] for row in rows)
    totals["residents"] = sum(row["residents"] for row in rows)
    return totals
