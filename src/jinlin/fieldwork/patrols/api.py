"""API of patrols 望: collection points, patrols, findings and their photos."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork.common.schemas import Page
from jinlin.fieldwork.patrols import selectors, services
from jinlin.fieldwork.patrols.models import Finding, Patrol
from jinlin.fieldwork.patrols.schemas import (
    CollectionPointIn,
    CollectionPointOut,
    FindingIn,
    FindingOut,
    FixedIn,
    PatrolIn,
    PatrolOut,
    PhotoOut,
)
from jinlin.fieldwork.photos import MSG_TOO_LARGE, max_bytes

router = Router(tags=["fieldwork"])


def _photo_out(photo: Any) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "url": reverse("fieldwork_photo", args=[photo.pk]),
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
    }


def _finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "patrol_id": finding.patrol_id,
        "found_on": finding.found_on,
        "kind": finding.kind,
        "category": finding.category,
        "category_label": finding.get_category_display(),
        "place": finding.place,
        "severity": finding.severity,
        "facility_state": finding.facility_state,
        "collection_point_id": finding.collection_point_id,
        "is_up_to_standard": finding.is_up_to_standard,
        "description": finding.description,
        "building_id": finding.building_id,
        "photos": [_photo_out(p) for p in finding.photos.all()],
        "needs_fixing": finding.needs_fixing,
        "fixed_at": finding.fixed_at,
        "fixed_note": finding.fixed_note,
    }


def _patrol_out(patrol: Patrol) -> dict[str, Any]:
    findings = selectors.patrol_findings(patrol)
    return {
        "id": patrol.pk,
        "compound_id": patrol.compound_id,
        "compound": patrol.compound.name if patrol.compound else "",
        "patrolled_on": patrol.patrolled_on,
        "worker": str(patrol.worker),
        "notes": patrol.notes,
        "findings": [_finding_out(f) for f in findings],
    }


@router.get(
    "/collection-points", response=answers(200, list[CollectionPointOut], 422), summary="垃圾投放点"
)
def list_collection_points(
    request: AuthedRequest, compound_id: ObjectId | None = None
) -> list[dict[str, Any]]:
    points = selectors.collection_point_list(request.user, compound_id)
    return [{"id": p.pk, "compound_id": p.compound_id, "name": p.name} for p in points[:500]]


@router.post(
    "/collection-points",
    response=answers(201, CollectionPointOut, 400, 422),
    summary="登记垃圾投放点",
)
def create_collection_point(
    request: AuthedRequest, payload: CollectionPointIn
) -> Status[dict[str, Any]]:
    point = services.collection_point_create(
        actor=request.user, compound_id=payload.compound_id, name=payload.name
    )
    return Status(201, {"id": point.pk, "compound_id": point.compound_id, "name": point.name})


@router.get("/patrols", response=answers(200, list[PatrolOut], 422), summary="巡查记录")
def list_patrols(request: AuthedRequest, page: Query[Page]) -> list[dict[str, Any]]:
    patrols = selectors.patrols_with_findings(request.user)[page.offset : page.offset + page.limit]
    return [
        {
            "id": p.pk,
            "compound_id": p.compound_id,
            "compound": p.compound.name if p.compound else "",
            "patrolled_on": p.patrolled_on,
            "worker": str(p.worker),
            "notes": p.notes,
            "findings": [_finding_out(f) for f in p.findings.all()],
        }
        for p in patrols
    ]


@router.post("/patrols", response=answers(201, PatrolOut, 400, 422), summary="开始巡查")
def create_patrol(request: AuthedRequest, payload: PatrolIn) -> Status[dict[str, Any]]:
    patrol = services.patrol_record(
        actor=request.user,
        compound_id=payload.compound_id,
        patrolled_on=payload.patrolled_on,
        notes=payload.notes,
    )
    return Status(201, _patrol_out(patrol))


@router.get("/patrols/{patrol_id}", response=answers(200, PatrolOut, 404, 422), summary="巡查详情")
def get_patrol(request: AuthedRequest, patrol_id: ObjectId) -> dict[str, Any]:
    return _patrol_out(selectors.access_patrol(request.user, patrol_id))


@router.post(
    "/patrols/{patrol_id}/findings",
    response=answers(201, FindingOut, 400, 404, 422),
    summary="登记巡查发现",
)
def create_finding(
    request: AuthedRequest, patrol_id: ObjectId, payload: FindingIn
) -> Status[dict[str, Any]]:
    patrol = selectors.access_patrol(request.user, patrol_id)
    finding = services.finding_record(
        patrol=patrol, actor=request.user, data=services.FindingInput(**payload.dict())
    )
    return Status(201, _finding_out(finding))


@router.get(
    "/findings/{finding_id}", response=answers(200, FindingOut, 404, 422), summary="巡查发现详情"
)
def get_finding(request: AuthedRequest, finding_id: ObjectId) -> dict[str, Any]:
    return _finding_out(selectors.access_finding(request.user, finding_id))


@router.post(
    "/findings/{finding_id}/fixed",
    response=answers(200, FindingOut, 400, 404, 422),
    summary="确认已修复（安全隐患、损坏的设施）",
)
def mark_fixed(request: AuthedRequest, finding_id: ObjectId, payload: FixedIn) -> dict[str, Any]:
    finding = selectors.access_finding(request.user, finding_id)
    return _finding_out(
        services.finding_mark_fixed(finding=finding, actor=request.user, note=payload.note)
    )


@router.post(
    "/findings/{finding_id}/photos",
    response=answers(201, PhotoOut, 400, 404, 422),
    summary="上传照片（仅图片，去除位置信息）",
)
def upload_photo(
    request: AuthedRequest, finding_id: ObjectId, photo: File[UploadedFile]
) -> Status[dict[str, Any]]:
    finding = selectors.access_finding(request.user, finding_id)
    if photo.size is not None and photo.size > max_bytes():
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=max_bytes() // (1024 * 1024))})
    row = services.finding_add_photo(
        finding=finding, actor=request.user, content=photo.read(max_bytes() + 1)
    )
    return Status(201, _photo_out(row))
