"""API of the 双报到 needs list: the same gates, selectors and services as the pages.

The committee (the area's secretary and workers) publishes, lists with claims, confirms and
declines, reads the hours report; a network member of the area lists and claims, completes and
withdraws its own claims. Anything else is 404; bad input is 422 in Chinese, nothing changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from jinlin.chain.access import network_member_or_404
from jinlin.chain.needs import selectors, services
from jinlin.chain.needs.models import (
    DESCRIPTION_MAX,
    HOURS_MAX,
    HOURS_MIN,
    NOTE_MAX,
    PEOPLE_MAX,
    PEOPLE_MIN,
    PLACE_MAX,
    TITLE_MAX,
    Need,
    NeedClaim,
)
from jinlin.core.api_schemas import NOT_BLANK, InputSchema, Moment, ObjectId, answers
from jinlin.core.web import AuthedRequest

router = Router(tags=["chain"])


# --- schemas (named Need… : unique across the whole API) --------------------------------------


class NeedIn(InputSchema):
    title: str = Field(max_length=TITLE_MAX, pattern=NOT_BLANK, description="需求，最多 60 字")
    description: str = Field(
        default="", max_length=DESCRIPTION_MAX, description="说明，最多 500 字"
    )
    place: str = Field(max_length=PLACE_MAX, pattern=NOT_BLANK, description="地点，最多 60 字")
    starts_at: Moment = Field(description="时间，应晚于现在")
    hours: float = Field(
        ge=float(HOURS_MIN),
        le=float(HOURS_MAX),
        multiple_of=0.5,
        description="每人预计时长（小时），以半小时计，0.5 到 24",
    )
    people_needed: int = Field(ge=PEOPLE_MIN, le=PEOPLE_MAX, description="需要人数，1 到 50")


class NeedCompleteIn(InputSchema):
    note: str = Field(
        max_length=NOTE_MAX, pattern=NOT_BLANK, description="完成情况（一句话），最多 200 字"
    )
    hours: float | None = Field(
        default=None,
        ge=float(HOURS_MIN),
        le=float(HOURS_MAX),
        multiple_of=0.5,
        description="服务时长（小时），以半小时计，0.5 到 24；不填为需求的时长",
    )


class NeedYearIn(InputSchema):
    year: int | None = Field(default=None, ge=2000, le=2100, description="年份，不填为今年")


class NeedClaimOut(Schema):
    id: int
    need_id: int
    member_id: int
    member: str
    status: str
    status_label: str
    claimed_at: datetime
    decided_at: datetime | None
    done_at: datetime | None
    done_note: str
    hours_served: float | None


class NeedOut(Schema):
    id: int
    area_id: int
    title: str
    description: str
    place: str
    starts_at: datetime
    hours: float
    people_needed: int
    places_left: int
    withdrawn_at: datetime | None


class NeedSuggestionOut(Schema):
    name: str
    reason: str


class NeedCommitteeOut(NeedOut):
    claims: list[NeedClaimOut]
    talents: list[NeedSuggestionOut] = Field(description="特长相符的社区能人（仅姓名，无电话）")
    members: list[NeedSuggestionOut] = Field(description="今年服务时长少的联络员在前")


class NeedOpenOut(NeedOut):
    my_claim: NeedClaimOut | None


class NeedMineOut(Schema):
    year: int
    hours_this_year: float
    done_this_year: int
    open: list[NeedOpenOut]
    claims: list[NeedClaimOut]


class NeedHoursRowOut(Schema):
    member_id: int
    name: str
    is_in_service: bool
    is_dual_registered: bool
    done: int
    hours: float


class NeedHoursOut(Schema):
    area_id: int
    year: int
    rows: list[NeedHoursRowOut]


def _claim(claim: NeedClaim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "need_id": claim.need_id,
        "member_id": claim.member_id,
        "member": str(claim.member),
        "status": claim.status,
        "status_label": claim.get_status_display(),
        "claimed_at": claim.claimed_at,
        "decided_at": claim.decided_at,
        "done_at": claim.done_at,
        "done_note": claim.done_note,
        "hours_served": claim.hours_served,
    }


def _need(need: Need, left: int) -> dict[str, Any]:
    return {
        "id": need.pk,
        "area_id": need.area_id,
        "title": need.title,
        "description": need.description,
        "place": need.place,
        "starts_at": need.starts_at,
        "hours": need.hours,
        "people_needed": need.people_needed,
        "places_left": left,
        "withdrawn_at": need.withdrawn_at,
    }


# --- the committee ----------------------------------------------------------------------------


@router.get(
    "/areas/{area_id}/needs",
    response=answers(200, list[NeedCommitteeOut], 404, 422),
    summary="居民区的服务需求（近 30 天起）及认领、可以请谁",
)
def needs_list(request: AuthedRequest, area_id: ObjectId) -> list[dict[str, Any]]:
    area = selectors.access_needs_area(request.user, area_id)
    return [
        {
            **_need(row.need, row.left),
            "claims": [_claim(c) for c in row.claims],
            "talents": [vars(s) for s in row.talents],
            "members": [vars(s) for s in row.members],
        }
        for row in selectors.committee_needs(request.user, area)
    ]


@router.post(
    "/areas/{area_id}/needs",
    response=answers(201, NeedOut, 400, 404, 422),
    summary="发布服务需求（居民区书记、社工）",
)
def need_create(request: AuthedRequest, area_id: ObjectId, payload: NeedIn) -> Any:
    area = selectors.access_needs_area(request.user, area_id)
    need = services.need_publish(
        area=area,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        place=payload.place,
        starts_at=payload.starts_at,
        hours=payload.hours,
        people_needed=payload.people_needed,
        request=request,
    )
    return Status(201, _need(need, need.people_needed))


@router.post(
    "/needs/{need_id}/withdraw",
    response=answers(200, NeedOut, 404, 422),
    summary="撤回服务需求",
)
def need_withdraw(request: AuthedRequest, need_id: ObjectId) -> dict[str, Any]:
    need = selectors.access_committee_need(request.user, need_id)
    need = services.need_withdraw(need=need, actor=request.user, request=request)
    return _need(need, 0)


@router.post(
    "/claims/{claim_id}/confirm",
    response=answers(200, NeedClaimOut, 404, 422),
    summary="确认认领",
)
def claim_confirm(request: AuthedRequest, claim_id: ObjectId) -> dict[str, Any]:
    claim = selectors.access_committee_claim(request.user, claim_id)
    return _claim(services.claim_confirm(claim=claim, actor=request.user, request=request))


@router.post(
    "/claims/{claim_id}/decline",
    response=answers(200, NeedClaimOut, 404, 422),
    summary="不采纳认领",
)
def claim_decline(request: AuthedRequest, claim_id: ObjectId) -> dict[str, Any]:
    claim = selectors.access_committee_claim(request.user, claim_id)
    return _claim(services.claim_decline(claim=claim, actor=request.user, request=request))


@router.get(
    "/areas/{area_id}/needs/hours",
    response=answers(200, NeedHoursOut, 404, 422),
    summary="双报到：每位联络员一年的完成次数和服务时长",
)
def needs_hours(
    request: AuthedRequest, area_id: ObjectId, query: Query[NeedYearIn]
) -> dict[str, Any]:
    area = selectors.access_needs_area(request.user, area_id)
    year = query.year or timezone.localdate().year
    return {
        "area_id": area.pk,
        "year": year,
        "rows": [
            {
                "member_id": row.member.pk,
                "name": row.name,
                "is_in_service": row.is_in_service,
                "is_dual_registered": row.is_dual_registered,
                "done": row.done,
                "hours": row.hours,
            }
            for row in selectors.hours_report(area, year)
        ],
    }


# --- a member ---------------------------------------------------------------------------------


@router.get(
    "/me/needs",
    response=answers(200, NeedMineOut, 404),
    summary="联络员：可以认领的需求、我的认领、今年的服务时长",
)
def needs_mine(request: AuthedRequest) -> dict[str, Any]:
    user = network_member_or_404(request.user)
    page = selectors.member_needs(user)
    return {
        "year": page.year,
        "hours_this_year": page.hours_this_year,
        "done_this_year": page.done_this_year,
        "open": [
            {**_need(row.need, row.left), "my_claim": _claim(row.mine) if row.mine else None}
            for row in page.open
        ],
        "claims": [_claim(c) for c in page.claims],
    }


@router.post(
    "/needs/{need_id}/claims",
    response=answers(201, NeedClaimOut, 400, 404, 422),
    summary="认领需求（本居民区的联络员）",
)
def need_claim(request: AuthedRequest, need_id: ObjectId) -> Any:
    user = network_member_or_404(request.user)
    need = selectors.access_member_need(user, need_id)
    return Status(201, _claim(services.need_claim(need=need, actor=user)))


@router.post(
    "/claims/{claim_id}/complete",
    response=answers(200, NeedClaimOut, 400, 404, 422),
    summary="登记完成：一句完成情况和服务时长（需求当天起）",
)
def claim_complete(
    request: AuthedRequest, claim_id: ObjectId, payload: NeedCompleteIn
) -> dict[str, Any]:
    user = network_member_or_404(request.user)
    claim = selectors.access_member_claim(user, claim_id)
    done = services.claim_complete(
        claim=claim, actor=user, note=payload.note, hours=payload.hours, request=request
    )
    return _claim(done)


@router.post(
    "/claims/{claim_id}/withdraw",
    response=answers(200, NeedClaimOut, 404, 422),
    summary="撤回我的认领（完成前）",
)
def claim_withdraw(request: AuthedRequest, claim_id: ObjectId) -> dict[str, Any]:
    user = network_member_or_404(request.user)
    claim = selectors.access_member_claim(user, claim_id)
    return _claim(services.claim_withdraw(claim=claim, actor=user))
