"""API of notices down the chain: the same selectors, services and gates as the pages.

Posting needs the area secretary or a branch secretary of the area; a notice's reach its sender
and the area's staff; a network member sees and marks only its own households. Anything else
is 404; bad input is 422 with Chinese messages, nothing changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Router, Schema
from ninja.responses import Status

from jinlin.chain import notice_selectors as selectors
from jinlin.chain import notice_services as services
from jinlin.chain.access import is_network_member
from jinlin.chain.models import Reach
from jinlin.chain.notice_services import BODY_MAX, TITLE_MAX
from jinlin.core.api_schemas import NOT_BLANK, InputSchema, ObjectId, OneOf, answers
from jinlin.core.web import AuthedRequest
from jinlin.places.models import Area

router = Router(tags=["chain"])


# --- schemas (named Notice… : unique across the whole API) ------------------------------------


class NoticeIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX, pattern=NOT_BLANK, description="标题，最多 60 字")
    body: str = Field(max_length=BODY_MAX, pattern=NOT_BLANK, description="内容，最多 2000 字")
    compound_ids: list[ObjectId] = Field(default_factory=list, max_length=200)
    building_ids: list[ObjectId] = Field(default_factory=list, max_length=500)
    group_ids: list[ObjectId] = Field(default_factory=list, max_length=200)
    is_public: bool = Field(default=False, description="在楼组扫码页公开")


class NoticeOut(Schema):
    id: int
    area_id: int
    title: str
    body: str
    is_public: bool
    created_at: datetime
    withdrawn_at: datetime | None
    compound_ids: list[int]
    building_ids: list[int]
    group_ids: list[int]
    households: int = Field(description="应传达的户数（有在住人口）")


class NoticeWayOut(Schema):
    how: str
    label: str
    count: int


class NoticeReachRowOut(Schema):
    label: str
    households: int
    reached: int


class NoticeUntoldOut(Schema):
    household_id: int
    address: str
    contact: str = Field(description="联系党员姓名；空表示没有联系党员")
    unreachable: bool


class NoticeReachOut(Schema):
    notice_id: int
    title: str
    withdrawn: bool
    households: int
    reached: int = Field(description="已传达的户数（联系不上不计）")
    unreachable: int
    ways: list[NoticeWayOut]
    groups: list[NoticeReachRowOut]
    buildings: list[NoticeReachRowOut] = Field(description="没有传达到一户的楼组在前")
    not_told: list[NoticeUntoldOut]


class NoticeHouseholdOut(Schema):
    household_id: int
    address: str
    how: str | None
    how_label: str


class NoticeMineOut(Schema):
    id: int
    title: str
    body: str
    created_at: datetime
    households: list[NoticeHouseholdOut]


class NoticeMarkIn(InputSchema):
    household_id: ObjectId
    how: Annotated[str, OneOf(Reach.How)] = Field(
        description="in_person 当面 / phone 电话 / wechat 微信 / posted 张贴 / unreachable 联系不上"
    )


class NoticeMarkOut(Schema):
    notice_id: int
    household_id: int
    how: str
    how_label: str
    marked_at: datetime


# --- endpoints --------------------------------------------------------------------------------


@router.post(
    "/areas/{area_id}/notices",
    response=answers(201, NoticeOut, 400, 404, 422),
    summary="发通知（不选范围即全居民区）",
)
def notice_create(request: AuthedRequest, area_id: ObjectId, payload: NoticeIn) -> Any:
    user = request.user
    try:
        area = Area.objects.get(pk=area_id)
    except Area.DoesNotExist:
        raise Http404(selectors.MSG_NO_AREA) from None
    if not selectors.may_publish(user, area):
        raise Http404(selectors.MSG_NO_AREA)
    notice = services.notice_publish(
        area=area,
        actor=user,
        title=payload.title,
        body=payload.body,
        compound_ids=payload.compound_ids,
        building_ids=payload.building_ids,
        group_ids=payload.group_ids,
        is_public=payload.is_public,
        request=request,
    )
    return Status(
        201,
        {
            "id": notice.pk,
            "area_id": notice.area_id,
            "title": notice.title,
            "body": notice.body,
            "is_public": notice.is_public,
            "created_at": notice.created_at,
            "withdrawn_at": notice.withdrawn_at,
            "compound_ids": sorted(payload.compound_ids),
            "building_ids": sorted(payload.building_ids),
            "group_ids": sorted(payload.group_ids),
            "households": selectors.notice_households(notice).count(),
        },
    )


@router.get(
    "/notices/{notice_id}/reach",
    response=answers(200, NoticeReachOut, 404, 422),
    summary="通知的传达情况：按方式、党小组、楼组，以及尚未传达的户",
)
def notice_reach(request: AuthedRequest, notice_id: ObjectId) -> dict[str, Any]:
    notice = selectors.access_notice(request.user, notice_id)
    reach = selectors.notice_reach(notice)
    return {
        "notice_id": notice.pk,
        "title": notice.title,
        "withdrawn": notice.withdrawn_at is not None,
        "households": reach.households,
        "reached": reach.reached,
        "unreachable": reach.unreachable,
        "ways": [{"how": h, "label": label, "count": c} for h, label, c in reach.ways],
        "groups": [vars(row) for row in reach.groups],
        "buildings": [vars(row) for row in reach.buildings],
        "not_told": [
            {
                "household_id": u.household.pk,
                "address": u.address,
                "contact": u.contact,
                "unreachable": u.unreachable,
            }
            for u in reach.untold
        ],
    }


@router.get(
    "/me/notices",
    response=answers(200, list[NoticeMineOut]),
    summary="联络员：近 30 天与我所联系的户有关的通知，及各户的传达登记",
)
def notices_mine(request: AuthedRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": item.notice.pk,
            "title": item.notice.title,
            "body": item.notice.body,
            "created_at": item.notice.created_at,
            "households": [
                {
                    "household_id": row.household.pk,
                    "address": row.household.address,
                    "how": row.how,
                    "how_label": row.how_label,
                }
                for row in item.households
            ],
        }
        for item in selectors.member_notices(request.user)
    ]


@router.post(
    "/notices/{notice_id}/reach",
    response=answers(200, NoticeMarkOut, 400, 404, 422),
    summary="登记一户的传达方式（再次登记即修改）",
)
def notice_mark(
    request: AuthedRequest, notice_id: ObjectId, payload: NoticeMarkIn
) -> dict[str, Any]:
    user = request.user
    if is_network_member(user):
        notice, household = selectors.member_notice_household(user, notice_id, payload.household_id)
    else:
        notice, household = selectors.staff_notice_household(user, notice_id, payload.household_id)
    reach = services.reach_mark(notice=notice, household=household, how=payload.how, actor=user)
    return {
        "notice_id": notice.pk,
        "household_id": household.pk,
        "how": reach.how,
        "how_label": Reach.How(reach.how).label,
        "marked_at": reach.marked_at,
    }
