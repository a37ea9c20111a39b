"""Reads of the registry shaped for pages and the API, already limited by access.

Each function runs a fixed number of queries, whatever the size of the area.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from jinlin.core.access import personal_scope, visible_buildings, visible_compounds
from jinlin.core.models import User
from jinlin.people.groups import GROUPS, GroupCode
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import Area, Building, BuildingAdjacency, Compound, Household

HOUSEHOLD_GROUPS = frozenset(
    {GroupCode.HARDSHIP, GroupCode.SERIOUS_ILLNESS, GroupCode.LOST_ONLY_CHILD}
)


@dataclass
class CompoundCounts:
    compound_id: int
    name: str
    buildings: int = 0
    households: int = 0
    residents: int = 0
    groups: dict[str, int] = field(default_factory=dict)


def active_memberships(on=None):  # type: ignore[no-untyped-def]
    """Memberships in force on a day: begun, not ended, of a current resident."""
    day = on or timezone.localdate()
    return GroupMembership.objects.filter(
        since__lte=day, ended_on__isnull=True, resident__status=LifeStatus.CURRENT
    )


def area_overview(user: User, area: Area) -> list[CompoundCounts]:
    """Counts per compound (buildings, households, residents, each group) that the user may see."""
    compounds = list(
        visible_compounds(user).filter(area=area).order_by("name").values("id", "name")
    )
    scope = personal_scope(user)
    rows = {c["id"]: CompoundCounts(c["id"], c["name"]) for c in compounds}
    ids = list(rows)
    # Aggregates are not personal data: a subdistrict admin sees them for all its areas,
    # a worker only for the compounds of its patch (rows above).
    building_filter = Q(compound_id__in=ids)
    if (
        not scope.everything
        and area.pk not in scope.area_ids
        and scope.building_ids
        and not scope.compound_ids
    ):
        building_filter &= Q(id__in=scope.building_ids)
    for row in (
        Building.objects.filter(building_filter).values("compound_id").annotate(n=Count("id"))
    ):
        rows[row["compound_id"]].buildings = row["n"]
    for row in (
        Household.objects.filter(compound_id__in=ids).values("compound_id").annotate(n=Count("id"))
    ):
        rows[row["compound_id"]].households = row["n"]
    for row in (
        Resident.objects.filter(area=area, status=LifeStatus.CURRENT)
        .values("compound_id")
        .annotate(n=Count("id"))
    ):
        if row["compound_id"] in rows:
            rows[row["compound_id"]].residents = row["n"]
    for row in (
        active_memberships()
        .filter(area=area)
        .values("compound_id", "group")
        .annotate(
            people=Count("resident_id", distinct=True), homes=Count("household_id", distinct=True)
        )
    ):
        if row["compound_id"] in rows:
            homes = row["group"] in HOUSEHOLD_GROUPS
            rows[row["compound_id"]].groups[row["group"]] = row["homes"] if homes else row["people"]
    return list(rows.values())


def overview_totals(rows: list[CompoundCounts]) -> CompoundCounts:
    total = CompoundCounts(0, "合计")
    groups: dict[str, int] = defaultdict(int)
    for row in rows:
        total.buildings += row.buildings
        total.households += row.households
        total.residents += row.residents
        for code, count in row.groups.items():
            groups[code] += count
    total.groups = dict(groups)
    return total


def subdistrict_overview(user: User, areas: list[Area]) -> list[dict[str, object]]:
    """One row per area for the subdistrict admin: counts only, no personal data."""
    ids = [area.pk for area in areas]
    households = dict(
        Household.objects.filter(area_id__in=ids)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )
    residents = dict(
        Resident.objects.filter(area_id__in=ids, status=LifeStatus.CURRENT)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    )
    groups: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        active_memberships()
        .filter(area_id__in=ids)
        .values("area_id", "group")
        .annotate(
            people=Count("resident_id", distinct=True), homes=Count("household_id", distinct=True)
        )
    ):
        homes = row["group"] in HOUSEHOLD_GROUPS
        groups[row["area_id"]][row["group"]] = row["homes"] if homes else row["people"]
    return [
        {
            "area": area,
            "households": households.get(area.pk, 0),
            "residents": residents.get(area.pk, 0),
            "groups": groups.get(area.pk, {}),
        }
        for area in areas
    ]


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


def building_neighbours(building_ids: list[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = defaultdict(set)
    edges = BuildingAdjacency.objects.filter(
        Q(first_id__in=building_ids) | Q(second_id__in=building_ids)
    )
    for first, second in edges.values_list("first_id", "second_id"):
        result[first].add(second)
        result[second].add(first)
    return result


def building_households(building: Building) -> list[Household]:
    """Households of a building with their current residents, in two queries."""
    from django.db.models import Prefetch

    current = Resident.objects.filter(status=LifeStatus.CURRENT).order_by("id")
    return list(
        Household.objects.filter(building=building)
        .prefetch_related(Prefetch("residents", queryset=current, to_attr="current_residents"))
        .order_by("room")
    )


def group_label(code: str) -> str:
    return GROUPS[GroupCode(code)].label


def compounds_without_adjacency(area: Area) -> list[Compound]:
    """Compounds of the area with two or more buildings and no pair of neighbours: their
    buildings can form Party groups only one by one (typical after an import)."""
    has_edges = BuildingAdjacency.objects.filter(
        Q(first__compound=OuterRef("pk")) | Q(second__compound=OuterRef("pk"))
    )
    return list(
        Compound.objects.filter(area=area)
        .annotate(building_count=Count("buildings"))
        .filter(building_count__gte=2)
        .exclude(Exists(has_edges))
        .order_by("name")
    )
