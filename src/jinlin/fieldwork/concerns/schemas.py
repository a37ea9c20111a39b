"""API shapes of concerns."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from jinlin.core.api_schemas import InputSchema, Moment, ObjectId
from jinlin.fieldwork.common.schemas import Page


class ConcernIn(InputSchema):
    channel: str = Field(
        description="office 来访 / phone 电话 / home_visit 入户 / online 网上 / building_leader 楼组长转达"
    )
    scope: str = Field(description="family 家庭事 / community 社区事")
    subcategory: str
    words: str = Field(max_length=5000, description="原话")
    real_need: str = Field("", max_length=2000, description="真正诉求")
    urgency: str = "normal"
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
    scope: str = ""
    subcategory: str = ""
    channel: str = ""
    urgency: str = ""
    compound_id: ObjectId | None = None
    has_case: bool | None = None
