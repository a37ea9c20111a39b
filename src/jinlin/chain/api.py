"""API of the chain: a network member's own households (the same reads as its page), and the
households of a Party scope no member has contacted lately (联系情况).

Any other role gets 404, as for every record outside a user's scope (core.api's rule: no 403
that would tell it the resource exists).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from jinlin.chain import selectors, services
from jinlin.chain.access import member_household, network_member_or_404
from jinlin.chain.forms import FRESHNESS_DAYS_MAX
from jinlin.chain.models import CONTACT_NOTE_MAX, CONTACT_PASSED_ON_MAX, CONTACT_WAYS
from jinlin.core.api_schemas import InputSchema, ObjectId, OneOf, answers
from jinlin.core.web import AuthedRequest
from jinlin.party.access import access_party_area

router = Router(tags=["chain"])


class MemberResidentOut(Schema):
    name: str
    age: int
    groups: list[str]


class MemberHouseholdOut(Schema):
    id: int
    building_id: int
    building: str
    room: str
    address: str
    residents: list[MemberResidentOut]
    groups: list[str]


@router.get(
    "/me/households",
    response=answers(200, list[MemberHouseholdOut], 404),
    summary="我的联系户（联络员本人）",
)
def my_households(request: AuthedRequest) -> list[dict[str, object]]:
    network_member_or_404(request.user)
    return [
        {
            "id": card.id,
            "building_id": block.id,
            "building": block.label,
            "room": card.room,
            "address": card.address,
            "residents": [
                {"name": line.name, "age": line.age, "groups": line.groups}
                for line in card.residents
            ],
            "groups": card.groups,
        }
        for block in selectors.member_buildings(request.user)
        for card in block.households
    ]


class MemberContactIn(InputSchema):
    contacted_on: date | None = Field(default=None, description="联系日期，不填为今天")
    how: Annotated[str, OneOf(CONTACT_WAYS)] = Field(
        description="方式：in_person 当面、phone 电话、wechat 微信"
    )
    note: str = Field(default="", max_length=CONTACT_NOTE_MAX, description="备注，最多 200 字")
    passed_on: str = Field(
        default="", max_length=CONTACT_PASSED_ON_MAX, description="需要转达给社工的事，最多 500 字"
    )


class MemberContactOut(Schema):
    id: int
    household_id: int
    contacted_on: date
    how: str
    note: str
    passed_on: str
    concern_id: int | None
    created_at: datetime
    message: str


@router.post(
    "/me/households/{household_id}/contacts",
    response=answers(201, MemberContactOut, 400, 404, 422),
    summary="记一次联系（可把住户托的事转达给社工）",
)
def my_contact_log(request: AuthedRequest, household_id: ObjectId, payload: MemberContactIn) -> Any:
    network_member_or_404(request.user)
    household = member_household(request.user, household_id)
    contact = services.contact_log(
        actor=request.user,
        household=household,
        contacted_on=payload.contacted_on or timezone.localdate(),
        how=payload.how,
        note=payload.note,
        passed_on=payload.passed_on,
    )
    return Status(
        201,
        {
            "id": contact.pk,
            "household_id": contact.household_id,
            "contacted_on": contact.contacted_on,
            "how": contact.how,
            "note": contact.note,
            "passed_on": contact.passed_on,
            "concern_id": contact.concern_id,
            "created_at": contact.created_at,
            "message": services.contact_message(contact),
        },
    )


class StaleHouseholdOut(Schema):
    household_id: int
    address: str
    contact: str = Field(description="该户当前的联系党员，没有为空")
    last_contacted: date | None = Field(description="上次联系日期；从未联系为 null")
    days_since: int | None


class FreshnessGroupOut(Schema):
    label: str = Field(description="党小组；未编入党小组的楼组合为一组")
    households: int
    fresh: int
    stale: list[StaleHouseholdOut]


class ContactFreshnessOut(Schema):
    days: int
    on: date
    households: int = Field(description="范围内有人居住的户数")
    fresh: int = Field(description="其中 days 天内联络员登记过联系的户数")
    groups: list[FreshnessGroupOut]


class FreshnessQuery(InputSchema):
    days: int | None = Field(
        default=None, ge=1, le=FRESHNESS_DAYS_MAX, description="多少天未联系；不填为系统设置"
    )


@router.get(
    "/areas/{area_id}/contact-freshness",
    response=answers(200, ContactFreshnessOut, 404, 422),
    summary="联系情况：多少天未联系的户（党小组长、支部书记、居民区书记各看本范围）",
)
def contact_freshness(
    request: AuthedRequest, area_id: ObjectId, query: Query[FreshnessQuery]
) -> Any:
    scope = access_party_area(request.user, area_id)
    return selectors.contact_freshness(scope, days=query.days or selectors.stale_days())
