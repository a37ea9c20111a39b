"""API shapes of cases: opening, root cause, plan, actions, closing; and the talent pool."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from jinlin.core.api_schemas import NOT_BLANK, Day, InputSchema, ObjectId, OneOf
from jinlin.fieldwork.cases.models import CaseStatus, Feedback
from jinlin.fieldwork.common.schemas import Page
from jinlin.fieldwork.concerns.models import ConcernScope, Subcategory


class CaseIn(InputSchema):
    title: str = Field(max_length=100, pattern=NOT_BLANK)
    scope: Annotated[str, OneOf(ConcernScope)]
    subcategory: Annotated[str, OneOf(Subcategory)] = Field(description="须属于所选的 scope")
    owner_id: ObjectId | None = None
    compound_id: ObjectId | None = None
    household_id: ObjectId | None = None
    concern_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    finding_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    visit_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    consultation_ids: list[ObjectId] = Field(default_factory=list, max_length=50)


class EvidenceIn(InputSchema):
    concern_id: ObjectId | None = None
    finding_id: ObjectId | None = None
    visit_id: ObjectId | None = None
    consultation_id: ObjectId | None = None


class RootCauseIn(InputSchema):
    root_cause: str = Field(max_length=4000)


class ActionIn(InputSchema):
    description: str = Field(max_length=200)
    owner_id: ObjectId
    due_on: Day


class PlanIn(InputSchema):
    actions: list[ActionIn] = Field(max_length=50)


class ActionDoneIn(InputSchema):
    note: str = Field("", max_length=200)


class CloseIn(InputSchema):
    outcome: str = Field(max_length=4000)
    feedback: Annotated[str, OneOf(Feedback)] = Field(
        description="satisfied 满意 / partly 基本满意 / not 不满意"
    )


class ReopenIn(InputSchema):
    reason: str = Field(max_length=500)


class MergeIn(InputSchema):
    into_case_id: ObjectId = Field(description="并入的个案（同一居民区、未结案）")
    reason: str = Field("", max_length=200)


class TalentHelpIn(InputSchema):
    talent_id: ObjectId
    skill: str = Field("", max_length=20)
    description: str = Field(max_length=200)
    helped_on: Day


class ActionOut(Schema):
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: date
    done_at: datetime | None
    done_note: str
    is_overdue: bool


class EventOut(Schema):
    at: datetime
    kind: str
    kind_label: str
    actor: str
    text: str


class EvidenceOut(Schema):
    kind: str
    id: int
    summary: str
    added_at: datetime


class CaseOut(Schema):
    id: int
    title: str
    scope: str
    subcategory: str
    status: str
    status_label: str
    owner_id: int
    owner: str
    area_id: int
    compound_id: int | None
    household_id: int | None
    opened_at: datetime
    root_cause: str
    closed_at: datetime | None
    outcome: str
    feedback: str
    times_reopened: int
    merged_into_id: int | None


class CaseDetailOut(CaseOut):
    evidence: list[EvidenceOut]
    actions: list[ActionOut]
    timeline: list[EventOut]
    merged_from_ids: list[int]


class CaseFilter(Page):
    status: Annotated[str, OneOf(["open", *CaseStatus.values], blank=True)] = Field(
        "", description="open 未结案, 或 diagnosing/planning/acting/closing/closed/merged"
    )
    mine: bool = False


class TalentOut(Schema):
    resident_id: int
    name: str
    address: str
    skills: list[str]
