"""Reads of patrols, findings, photos and collection points, already limited by access."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from jinlin.core.models import User
from jinlin.fieldwork import access
from jinlin.fieldwork.patrols.models import CollectionPoint, Finding, FindingPhoto, Patrol, Severity
from jinlin.places.models import Building


def visible_patrols(user: User) -> QuerySet[Patrol]:
    return Patrol.objects.filter(access.fieldwork_scope(user).q())


def visible_findings(user: User) -> QuerySet[Finding]:
    return Finding.objects.filter(access.fieldwork_scope(user).q())


def visible_collection_points(user: User) -> QuerySet[CollectionPoint]:
    scope = access.fieldwork_scope(user)
    if scope.everything:
        return CollectionPoint.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(compound_id__in=scope.compound_ids)
    return CollectionPoint.objects.filter(condition)


def access_patrol(user: User, patrol_id: int) -> Patrol:
    try:
        return visible_patrols(user).select_related("compound", "worker").get(pk=patrol_id)
    except (Patrol.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该巡查") from None


def access_finding(user: User, finding_id: int) -> Finding:
    try:
        return (
            visible_findings(user)
            .select_related("patrol", "compound", "building", "collection_point")
            .get(pk=finding_id)
        )
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该巡查发现") from None


def access_photo(user: User, photo_id: int) -> FindingPhoto:
    try:
        return FindingPhoto.objects.get(pk=photo_id, finding__in=visible_findings(user))
    except (FindingPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该照片") from None


def access_collection_point(user: User, point_id: int) -> CollectionPoint:
    try:
        return visible_collection_points(user).get(pk=point_id)
    except (CollectionPoint.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该垃圾投放点") from None


def patrol_list(user: User) -> QuerySet[Any]:
    return (
        visible_patrols(user)
        .select_related("compound", "worker")
        .annotate(
            finding_count=Count("findings", distinct=True),
            problem_count=Count(
                "findings", filter=~Q(findings__severity=Severity.NONE), distinct=True
            ),
        )
        .order_by("-patrolled_on", "-id")
    )


def collection_points(user: User, compound_id: int) -> list[CollectionPoint]:
    return list(
        visible_collection_points(user)
        .filter(compound_id=compound_id, is_active=True)
        .order_by("name")
    )


def collection_point_list(user: User, compound_id: int | None = None) -> QuerySet[CollectionPoint]:
    points = visible_collection_points(user).order_by("compound_id", "name")
    if compound_id is not None:
        points = points.filter(compound_id=compound_id)
    return points


def patrols_with_findings(user: User) -> QuerySet[Patrol]:
    """Patrols with their findings and photos prefetched, newest first (the API's list)."""
    return (
        visible_patrols(user)
        .select_related("compound", "worker")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("id").prefetch_related("photos"))
        )
        .order_by("-patrolled_on", "-id")
    )


def patrol_findings(patrol: Patrol) -> QuerySet[Finding]:
    """A patrol's findings with their photos, in the order found (the API's shape)."""
    return patrol.findings.prefetch_related("photos").order_by("id")


def patrol_findings_for_page(patrol: Patrol) -> list[Finding]:
    return list(
        patrol.findings.select_related("building", "collection_point")
        .prefetch_related("photos")
        .order_by("id")
    )


def compound_buildings(compound_id: int | None) -> list[Building]:
    if compound_id is None:
        return []
    return list(
        Building.objects.filter(compound_id=compound_id).order_by("sort_key", "number", "stairwell")
    )


def finding_photos(finding: Finding) -> list[FindingPhoto]:
    return list(finding.photos.order_by("id"))


def finding_case_links(finding: Finding) -> list[Any]:
    """The cases this finding is evidence of (through the reverse relation: no import of cases)."""
    return list(finding.case_links.select_related("case"))
