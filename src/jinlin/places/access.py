"""Which areas, compounds, buildings and households a user may see: querysets and 404 gates.

Built on core.access.personal_scope; every list of places starts from a `visible_*` queryset
and every single place from an `access_*` gate (a place outside the scope is a 404).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jinlin.core.access import Scope, personal_scope
from jinlin.core.models import Role, User
from jinlin.places.models import Area, Building, Compound, Household


def aggregate_area_ids(user: User) -> frozenset[int] | None:
    """Areas whose counts (no personal data) the user may see; None means all."""
    if user.is_superuser:
        return None
    if user.role == Role.SUBDISTRICT_ADMIN and user.subdistrict_id:
        return frozenset(
            Area.objects.filter(subdistrict_id=user.subdistrict_id).values_list("id", flat=True)
        )
    return areas_of_scope(personal_scope(user))


def areas_of_scope(scope: Scope) -> frozenset[int]:
    """The areas a scope reaches: its own, and those of its compounds and buildings."""
    areas = set(scope.area_ids)
    if scope.compound_ids:
        areas |= set(
            Compound.objects.filter(id__in=scope.compound_ids).values_list("area_id", flat=True)
        )
    if scope.building_ids:
        areas |= set(
            Building.objects.filter(id__in=scope.building_ids).values_list(
                "compound__area_id", flat=True
            )
        )
    return frozenset(areas)


# --- querysets: every list starts here ---------------------------------------------------


def visible_areas(user: User) -> QuerySet[Area]:
    ids = aggregate_area_ids(user)
    areas = Area.objects.all()
    return areas if ids is None else areas.filter(id__in=ids)


def visible_compounds(user: User) -> QuerySet[Compound]:
    scope = personal_scope(user)
    if scope.everything:
        return Compound.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(id__in=scope.compound_ids)
    if scope.building_ids:
        condition |= Q(buildings__id__in=scope.building_ids)
    return Compound.objects.filter(condition).distinct()


def visible_buildings(user: User) -> QuerySet[Building]:
    scope = personal_scope(user)
    if scope.everything:
        return Building.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(compound__area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(compound_id__in=scope.compound_ids)
    if scope.building_ids:
        condition |= Q(id__in=scope.building_ids)
    return Building.objects.filter(condition)


def visible_households(user: User) -> QuerySet[Household]:
    return Household.objects.filter(personal_scope(user).q())


# --- gatekeepers: one object or 404 --------------------------------------------------------


def access_area(user: User, area_id: int) -> Area:
    """An area whose aggregates the user may see."""
    try:
        return visible_areas(user).get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该居民区") from None


def access_compound(user: User, compound_id: int) -> Compound:
    try:
        return visible_compounds(user).select_related("area").get(pk=compound_id)
    except (Compound.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该小区") from None


def access_building(user: User, building_id: int) -> Building:
    try:
        return visible_buildings(user).select_related("compound__area").get(pk=building_id)
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该楼组") from None


def access_household(user: User, household_id: int) -> Household:
    try:
        return (
            visible_households(user).select_related("building__compound__area").get(pk=household_id)
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该户") from None
