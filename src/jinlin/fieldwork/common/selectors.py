"""Reads every part shares: scope filters, and the households, residents and compounds a page
may offer (404 outside the user's scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from jinlin.core.access import Scope
from jinlin.core.models import User
from jinlin.fieldwork import access
from jinlin.people.models import LifeStatus, Resident
from jinlin.people.search import search_residents
from jinlin.places.access import visible_compounds
from jinlin.places.models import Household


def scope_q(scope: Scope, prefix: str = "") -> Q:
    """Scope.q() for a model reached through `prefix` (e.g. "resident__")."""
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(**{f"{prefix}area_id__in": scope.area_ids})
    if scope.compound_ids:
        condition |= Q(**{f"{prefix}compound_id__in": scope.compound_ids})
    if scope.building_ids:
        condition |= Q(**{f"{prefix}building_id__in": scope.building_ids})
    return condition


def household_or_404(user: User, household_id: Any) -> Household:
    try:
        return (
            Household.objects.filter(access.fieldwork_scope(user).q())
            .select_related("building__compound")
            .get(pk=int(household_id))
        )
    except (Household.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该户") from None


def resident_or_404(user: User, resident_id: Any) -> Resident:
    try:
        return (
            access.visible_residents_q(user)
            .select_related("household__building__compound")
            .get(pk=int(resident_id))
        )
    except (Resident.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该居民") from None


def residents_in_scope(user: User, ids: list[int]) -> list[Resident]:
    """Of these residents, those in the user's fieldwork scope, by name."""
    return list(
        access.visible_residents_q(user)
        .filter(pk__in=ids)
        .select_related("household__building__compound")
        .order_by("name", "id")
    )


def patrol_compounds(user: User) -> list[Any]:
    """Compounds the user may patrol or name for a concern or case: its areas' and its own."""
    scope = access.fieldwork_scope(user)
    if not (scope.everything or scope.area_ids or scope.compound_ids):
        return []
    return list(visible_compounds(user).filter(_compound_q(scope)).order_by("name"))


def _compound_q(scope: Any) -> Any:
    if scope.everything:
        return Q()
    return Q(area_id__in=scope.area_ids) | Q(id__in=scope.compound_ids)


def find_residents(user: User, query: str, request: HttpRequest | None = None) -> list[Resident]:
    """Residents to pick (for a concern, a visit): the registry's search, the current ones, kept
    to the fieldwork scope. SearchRefused (people.search) for a query it does not run."""
    found = search_residents(user, query, limit=20, request=request)
    ids = [r.pk for r in found if r.status == LifeStatus.CURRENT]
    return residents_in_scope(user, ids)
