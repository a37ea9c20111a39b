"""API of concerns 民声诉求."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork.concerns import selectors, services
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.schemas import ConcernFilter, ConcernIn, ConcernOut, ConcernPatch

router = Router(tags=["fieldwork"])


def _concern_out(concern: Concern, case_ids: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": concern.pk,
        "channel": concern.channel,
        "scope": concern.scope,
        "subcategory": concern.subcategory,
        "words": concern.words,
        "real_need": concern.real_need,
        "urgency": concern.urgency,
        "received_at": concern.received_at,
        "compound_id": concern.compound_id,
        "building_id": concern.building_id,
        "household_id": concern.household_id,
        "resident_id": concern.resident_id,
        "resident_name": concern.resident.name if concern.resident is not None else None,
        "is_anonymous": concern.is_anonymous,
        "case_ids": case_ids or [],
    }


@router.get(
    "/concerns",
    response=answers(200, list[ConcernOut], 422),
    summary="民声诉求（可搜索原话、真正诉求、居民姓名）",
)
def list_concerns(request: AuthedRequest, filters: Query[ConcernFilter]) -> list[dict[str, Any]]:
    matched = selectors.concern_list(
        request.user,
        q=filters.q,
        scope=filters.scope,
        subcategory=filters.subcategory,
        channel=filters.channel,
        urgency=filters.urgency,
        compound_id=filters.compound_id,
        has_case=filters.has_case,
    )
    concerns = list(matched[filters.offset : filters.offset + filters.limit])
    services.record_subcategory_list(
        user=request.user,
        subcategory=filters.subcategory,
        count=len(concerns),
        channel="api",
        request=request,
    )
    cases = selectors.case_ids_by_concern([c.pk for c in concerns])
    return [_concern_out(c, cases.get(c.pk)) for c in concerns]


@router.post("/concerns", response=answers(201, ConcernOut, 400, 422), summary="登记民声诉求")
def create_concern(request: AuthedRequest, payload: ConcernIn) -> Status[dict[str, Any]]:
    concern = services.concern_record(
        actor=request.user, data=services.ConcernInput(**payload.dict())
    )
    return Status(201, _concern_out(concern))


@router.get(
    "/concerns/{concern_id}", response=answers(200, ConcernOut, 404, 422), summary="民声诉求详情"
)
def get_concern(request: AuthedRequest, concern_id: ObjectId) -> dict[str, Any]:
    concern = selectors.access_concern(request.user, concern_id)
    return _concern_out(concern, selectors.case_ids_by_concern([concern.pk]).get(concern.pk))


@router.patch(
    "/concerns/{concern_id}",
    response=answers(200, ConcernOut, 400, 404, 422),
    summary="补充真正诉求",
)
def update_concern(
    request: AuthedRequest, concern_id: ObjectId, payload: ConcernPatch
) -> dict[str, Any]:
    concern = selectors.access_concern(request.user, concern_id)
    concern = services.concern_update_need(
        concern=concern, actor=request.user, real_need=payload.real_need
    )
    return _concern_out(concern, selectors.case_ids_by_concern([concern.pk]).get(concern.pk))
