"""API shapes of consultations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from jinlin.core.api_schemas import Day, InputSchema, ObjectId, OneOf
from jinlin.fieldwork.consultations.models import Consultation


class ConsultationIn(InputSchema):
    veteran_id: ObjectId
    topic: Annotated[str, OneOf(Consultation.Topic)] = Field(
        description="party_work 党建工作 / community 社区治理"
    )
    question: str = Field(max_length=2000)
    advice: str = Field(max_length=4000)
    asked_on: Day
    follow_up: str = Field("", max_length=2000)
    is_agenda_item: bool = False


class ConsultationOut(Schema):
    id: int
    veteran_id: int
    veteran_name: str
    topic: str
    question: str
    advice: str
    follow_up: str
    is_agenda_item: bool
    asked_on: date
