"""API of 楼组 activities: the same gate, selectors and services as the pages.

Photos come by multipart on the page; the API records an activity from JSON without them.
Outside the user's buildings (areas) everything is 404; bad input is 422 with Chinese
messages, nothing changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jinlin.chain.activities import access, selectors, services
from jinlin.chain.activities.liveliness import ACTIVE_MIN_KINDS, RECENT_DAYS
from jinlin.chain.activities.models import (
    RESIDENT_COUNT_MAX,
    SUMMARY_MAX,
    WITHDRAW_REASON_MAX,
    ActivityKind,
    BuildingActivity,
)
from jinlin.core.api_schemas import NOT_BLANK, Day, InputSchema, ObjectId, OneOf, answers
from jinlin.core.models import User
from jinlin.core.web import AuthedRequest

router = Router(tags=["chain"])


# --- schemas (named Activity… : unique across the whole API) ----------------------------------


class ActivityIn(InputSchema):
    kind: Annotated[str, OneOf(ActivityKind)] = Field(
        description="mutual_help 互助 / hygiene 卫生 / mediation 调解 / new_customs 新风"
    )
    held_on: Day = Field(description="活动日期：一年以内，不晚于今天")
    summary: str = Field(
        max_length=SUMMARY_MAX, pattern=NOT_BLANK, description="做了什么，最多 500 字"
    )
    party_member_ids: list[ObjectId] = Field(default_factory=list, max_length=200)
    resident_ids: list[ObjectId] = Field(default_factory=list, max_length=500)
    resident_count: int = Field(
        default=0, ge=0, le=RESIDENT_COUNT_MAX, description="另有居民约多少人（没有逐一记名时）"
    )


class ActivityOut(Schema):
    id: int
    building_id: int
    kind: str
    kind_label: str
    held_on: date
    summary: str
    party_members: list[str]
    residents: list[str] = Field(description="调解活动的居民姓名只对居委会和记录人显示")
    resident_total: int = Field(description="参加居民人数：记名的人数加上另填的大约人数")
    photo_count: int
    recorded_by: str
    created_at: datetime
    withdrawn_at: datetime | None
    withdraw_reason: str


class ActivityWithdrawIn(InputSchema):
    reason: str = Field(
        max_length=WITHDRAW_REASON_MAX, pattern=NOT_BLANK, description="撤回原因，最多 200 字"
    )


class ActivityBuildingOut(Schema):
    building_id: int
    compound: str
    building: str
    liveliness: str = Field(description="active 活跃 / steady 一般 / quiet 沉寂")
    liveliness_label: str
    recent: dict[str, int] = Field(description=f"近 {RECENT_DAYS} 天各类活动次数")
    year: dict[str, int] = Field(description="近一年各类活动次数")
    last_on: date | None


class ActivityAreaOut(Schema):
    area_id: int
    rule: str
    buildings: list[ActivityBuildingOut]


def _out(row: selectors.ActivityRow) -> dict[str, Any]:
    activity = row.activity
    return {
        "id": activity.pk,
        "building_id": activity.building_id,
        "kind": activity.kind,
        "kind_label": row.kind_label,
        "held_on": activity.held_on,
        "summary": activity.summary,
        "party_members": row.party_names,
        "residents": row.resident_names,
        "resident_total": row.residents,
        "photo_count": len(row.photo_ids),
        "recorded_by": str(activity.recorded_by),
        "created_at": activity.created_at,
        "withdrawn_at": activity.withdrawn_at,
        "withdraw_reason": activity.withdraw_reason,
    }


def _row_of(user: User, activity: BuildingActivity) -> dict[str, Any]:
    building = access.access_building(user, activity.building_id)
    row = next(r for r in selectors.building_record(user, building) if r.activity.pk == activity.pk)
    return _out(row)


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/buildings/{building_id}/activities",
    response=answers(200, list[ActivityOut], 404, 422),
    summary="楼组活动记录（新的在前）",
)
def activity_list(request: AuthedRequest, building_id: ObjectId) -> list[dict[str, Any]]:
    building = access.access_building(request.user, building_id)
    return [_out(row) for row in selectors.building_record(request.user, building)]


@router.post(
    "/buildings/{building_id}/activities",
    response=answers(201, ActivityOut, 400, 404, 422),
    summary="记楼组活动（互助、卫生、调解、新风；照片请在页面上传）",
)
def activity_create(request: AuthedRequest, building_id: ObjectId, payload: ActivityIn) -> Any:
    user = request.user
    building = access.access_building(user, building_id)
    activity = services.activity_record(
        actor=user,
        building=building,
        kind=payload.kind,
        held_on=payload.held_on,
        summary=payload.summary,
        party_member_ids=payload.party_member_ids,
        resident_ids=payload.resident_ids,
        resident_count=payload.resident_count,
        request=request,
    )
    return Status(201, _row_of(user, activity))


@router.post(
    "/activities/{activity_id}/withdraw",
    response=answers(200, ActivityOut, 400, 404, 422),
    summary="撤回楼组活动记录（记录人或居民区书记，写明原因）",
)
def activity_withdraw(
    request: AuthedRequest, activity_id: ObjectId, payload: ActivityWithdrawIn
) -> dict[str, Any]:
    user = request.user
    activity = selectors.access_activity(user, activity_id)
    if not selectors.may_withdraw(user, activity) and activity.withdrawn_at is None:
        raise Http404(selectors.MSG_NO_ACTIVITY)
    services.activity_withdraw(
        activity=activity, actor=user, reason=payload.reason, request=request
    )
    return _row_of(user, activity)


@router.get(
    "/areas/{area_id}/activities",
    response=answers(200, ActivityAreaOut, 404, 422),
    summary="居民区各楼组的活动：活跃、一般、沉寂（文明楼组评议参考）",
)
def activity_area(request: AuthedRequest, area_id: ObjectId) -> dict[str, Any]:
    area, branch = access.access_overview_area(request.user, area_id)
    return {
        "area_id": area.pk,
        "rule": (
            f"活跃：近 {RECENT_DAYS} 天有活动且近一年至少 {ACTIVE_MIN_KINDS} 类；"
            f"沉寂：近 {RECENT_DAYS} 天没有活动；其余为一般"
        ),
        "buildings": [
            {
                "building_id": row.building.pk,
                "compound": block.name,
                "building": row.building.label,
                "liveliness": row.liveliness.value,
                "liveliness_label": row.liveliness.label,
                "recent": {kind: row.tally.recent[kind] for kind in ActivityKind.values},
                "year": {kind: row.tally.year[kind] for kind in ActivityKind.values},
                "last_on": row.tally.last_on,
            }
            for block in selectors.area_liveliness(area, branch)
            for row in block.buildings
        ],
    }
