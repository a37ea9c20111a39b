"""API shapes of patrols, findings, photos and collection points."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field

from jinlin.core.api_schemas import AnswerOut, Day, InputSchema, ObjectId, OneOf
from jinlin.fieldwork.patrols.models import FacilityState, FindingCategory, Severity


class CollectionPointIn(InputSchema):
    compound_id: ObjectId
    name: str = Field(max_length=50)


class CollectionPointOut(AnswerOut):
    id: int
    compound_id: int
    name: str


class PatrolIn(InputSchema):
    compound_id: ObjectId
    patrolled_on: Day
    notes: str = Field("", max_length=2000)


class FindingIn(InputSchema):
    category: Annotated[str, OneOf(FindingCategory)]
    place: str = Field("", max_length=100)
    severity: Annotated[str, OneOf(Severity)] = "none"
    building_id: ObjectId | None = None
    facility_state: Annotated[str, OneOf(FacilityState, blank=True)] = ""
    collection_point_id: ObjectId | None = None
    is_up_to_standard: bool | None = None
    description: str = Field("", max_length=2000)


class PhotoOut(AnswerOut):
    id: int
    url: str
    width: int
    height: int
    size: int


class FindingOut(AnswerOut):
    id: int
    patrol_id: int
    found_on: date
    kind: str
    category: str
    category_label: str
    place: str
    severity: str
    facility_state: str
    collection_point_id: int | None
    is_up_to_standard: bool | None
    description: str
    building_id: int | None
    photos: list[PhotoOut]
    needs_fixing: bool = Field(description="安全隐患或有问题的设施：待确认修复")
    fixed_at: datetime | None = Field(description="确认修复的时间；未修复为 null")
    fixed_note: str


class FixedIn(InputSchema):
    note: str = Field(max_length=200, description="修复情况，一句话")


class PatrolOut(AnswerOut):
    id: int
    compound_id: int
    compound: str
    patrolled_on: date
    worker: str
    notes: str
    findings: list[FindingOut]
