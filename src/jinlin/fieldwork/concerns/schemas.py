"""API shapes of concerns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from jinlin.core.api_schemas import NOT_BLANK, InputSchema, Moment, ObjectId, OneOf
from jinlin.fieldwork.common.schemas import Page
from jinlin.fieldwork.concerns.models import Channel, ConcernScope, Subcategory, Urgency


class ConcernIn(InputSchema):
    channel: Annotated[str, OneOf(Channel)] = Field(
        description="office 来访 / phone 电话 / home_visit 入户 / online 网上 / building_leader 楼组长转达"
    )
    scope: Annotated[str, OneOf(ConcernScope)] = Field(
        description="family 家庭事 / community 社区事"
    )
    subcategory: Annotated[str, OneOf(Subcategory)] = Field(description="须属于所选的 scope")
    words: str = Field(max_length=5000, pattern=NOT_BLANK, description="原话")
    real_need: str = Field("", max_length=2000, description="真正诉求")
    urgency: Annotated[str, OneOf(Urgency)] = "normal"
    resident_id: ObjectId | None = None
    household_id: ObjectId | None = None
    compound_id: ObjectId | None = Field(None, description="匿名诉求须注明小区")
    building_id: ObjectId | None = None
    visit_id: ObjectId | None = None
    received_at: Moment | None = None


class ConcernPatch(InputSchema):
    real_need: str = Field(max_length=2000)


class ConcernOut(Schema):
    id: int
    channel: str
    scope: str
    subcategory: str
    words: str
    real_need: str
    urgency: str
    received_at: datetime
    compound_id: int | None
    building_id: int | None
    household_id: int | None
    resident_id: int | None
    resident_name: str | None
    is_anonymous: bool
    case_ids: list[int]


class ConcernFilter(Page):
    q: str = Field("", max_length=50)
    scope: Annotated[str, OneOf(ConcernScope, blank=True)] = ""
    subcategory: Annotated[str, OneOf(Subcategory, blank=True)] = ""
    channel: Annotated[str, OneOf(Channel, blank=True)] = ""
    urgency: Annotated[str, OneOf(Urgency, blank=True)] = ""
    compound_id: ObjectId | None = None
    has_case: bool | None = None
