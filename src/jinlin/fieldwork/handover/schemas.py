"""API shapes of 转交."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from jinlin.core.api_schemas import InputSchema, ObjectId
from jinlin.fieldwork.handover.services import REASON_MAX


class ReassignIn(InputSchema):
    to_user_id: ObjectId = Field(description="接手人：本居民区在岗的社工")
    reason: str = Field(max_length=REASON_MAX, description="转交原因（必填）")


class ItemsIn(ReassignIn):
    case_ids: list[ObjectId] = Field(default_factory=list, max_length=500)
    concern_ids: list[ObjectId] = Field(default_factory=list, max_length=500)


class WorkerHandoverIn(ReassignIn):
    from_user_id: ObjectId = Field(description="交出工作的社工")
    include_patch: bool = Field(True, description="包片一并转交")


class ReassignmentOut(Schema):
    id: int
    area_id: int
    at: datetime
    from_user_id: int | None
    to_user_id: int
    to_user: str
    reason: str
    case_ids: list[int]
    concern_ids: list[int]
    actions_moved: int
    patch_places: list[str]


class PlaceOut(Schema):
    id: int
    name: str


class HoldingOut(Schema):
    worker_id: int
    worker: str
    open_cases: int
    open_concerns: int
    open_actions: int
    closed_cases: int
    compounds: list[PlaceOut]
    buildings: list[PlaceOut]
