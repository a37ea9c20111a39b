"""Reads of the registry shaped for pages and the API, already limited by access.

Each function runs a fixed number of queries, whatever the size of the area.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from jinlin.places.models import Area, Building, BuildingAdjacency, Compound


def building_neighbours(building_ids: list[int]) -> dict[int, set[int]]:
    result: dict[int, set[int]] = defaultdict(set)
    edges = BuildingAdjacency.objects.filter(
        Q(first_id__in=building_ids) | Q(second_id__in=building_ids)
    )
    for first, second in edges.values_list("first_id", "second_id"):
        result[first].add(second)
        result[second].add(first)
    return result


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


def neighbour_buildings(building: Building) -> QuerySet[Building]:
    """The buildings next to this one, in the compound's order."""
    neighbours = building_neighbours([building.pk]).get(building.pk, set())
    return Building.objects.filter(id__in=neighbours).order_by("sort_key")


def compound_buildings_in_order(compound: Compound) -> list[Building]:
    return list(
        Building.objects.filter(compound=compound).order_by("sort_key", "number", "stairwell")
    )


def area_compounds(area: Area) -> list[Compound]:
    return list(Compound.objects.filter(area=area).order_by("name"))


def area_compound(area: Area, compound_id: int) -> Compound | None:
    """A compound of this area (None when it is another area's or none at all)."""
    return Compound.objects.filter(area=area, pk=compound_id).select_related("area").first()
