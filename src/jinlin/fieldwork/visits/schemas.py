"""API shapes of visits, due lists, proposals and visit intervals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from jinlin.core.api_schemas import Day, InputSchema, ObjectId, OneOf
from jinlin.fieldwork.common.schemas import Page
from jinlin.fieldwork.visits.models import Condition, ProposalField, ProposalStatus, VisitMode
from jinlin.fieldwork.visits.selectors import default_intervals


class DueItemOut(Schema):
    household_id: int
    address: str
    residents: list[str]
    reason: str = Field(
        description="如“独居老人 · 每7天”；困难、大病、失独等敏感群体显示为“重点关爱对象”"
    )
    interval_days: int
    due_on: date
    days_overdue: int
    last_visit: date | None


class DueOut(Schema):
    date: date
    total: int
    overdue: int
    items: list[DueItemOut]


class VisitIn(InputSchema):
    household_id: ObjectId
    visited_on: Day
    mode: Annotated[str, OneOf(VisitMode)] = Field(
        "in_person", description="in_person 入户 / phone 电话"
    )
    condition: Annotated[str, OneOf(Condition)] = Field(
        "good", description="good 良好 / fair 一般 / poor 较差 / urgent 需紧急关注"
    )
    resident_id: ObjectId | None = None
    family_situation: str = Field("", max_length=2000)
    health: str = Field("", max_length=2000)
    living_habits: str = Field("", max_length=2000)
    needs: str = Field("", max_length=2000)


class ProposalIn(InputSchema):
    resident_id: ObjectId
    field: Annotated[str, OneOf(ProposalField)] = Field(
        description="phone, health, health_notes, employer, occupation, is_retired, residence_status, hobbies, notes"
    )
    value: str | bool | list[str]
    reason: str = Field("", max_length=200)


class ProposalOut(Schema):
    id: int
    visit_id: int
    resident_id: int
    resident_name: str
    field: str
    field_label: str
    value: Any = Field(description="电话、健康相关的建议值脱敏显示")
    reason: str
    status: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class DecisionIn(InputSchema):
    note: str = Field("", max_length=200)


class VisitOut(Schema):
    id: int
    household_id: int
    address: str
    resident_id: int | None
    visited_on: date
    worker: str
    mode: str
    condition: str
    family_situation: str
    health: str
    living_habits: str
    needs: str


class VisitDetailOut(VisitOut):
    proposals: list[ProposalOut]


class VisitFilter(Page):
    household_id: ObjectId | None = None


class ProposalFilter(Page):
    status: Annotated[str, OneOf(ProposalStatus, blank=True)] = Field(
        "pending", description="pending 待审核 / accepted 已采纳 / rejected 未采纳；空为全部"
    )


class IntervalIn(InputSchema):
    group: str = Field(
        max_length=30,
        description="群体代码：内置的 "
        + "、".join(default_intervals())
        + "，或本居民区（街道/镇）添加的有走访周期的群体（见 GET 走访周期）",
    )
    days: int = Field(ge=1, le=365, description="每隔几天走访一次，1 到 365")


class IntervalOut(Schema):
    group: str
    label: str
    days: int
    is_default: bool
