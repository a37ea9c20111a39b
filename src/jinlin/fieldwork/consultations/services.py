"""Writes of consultations 问: what was asked of the think tank and what it advised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.fieldwork.common.services import (
    MSG_CATEGORY_UNKNOWN,
    not_future,
    refuse,
    require_writer,
    visible_resident,
)
from jinlin.fieldwork.consultations.models import THINK_TANK_GROUPS, Consultation
from jinlin.people.models import GroupMembership, LifeStatus

MSG_NOT_THINK_TANK = "咨询对象须是三老或社区能人（智囊团成员）"
MSG_QUESTION_NEEDED = "请填写咨询事项"
MSG_ADVICE_NEEDED = "请填写意见建议"


@dataclass(frozen=True)
class ConsultationInput:
    veteran_id: int
    topic: str
    question: str
    advice: str
    asked_on: date
    follow_up: str = ""
    is_agenda_item: bool = False


@transaction.atomic
def consultation_record(*, actor: User, data: ConsultationInput) -> Consultation:
    """SPEC "问": record what was asked and what the veteran advised."""
    require_writer(actor)
    veteran = visible_resident(actor, data.veteran_id, "veteran_id")
    today = timezone.localdate()
    in_think_tank = GroupMembership.objects.filter(
        resident=veteran, group__in=THINK_TANK_GROUPS, ended_on__isnull=True, since__lte=today
    ).exists()
    if not in_think_tank or veteran.status != LifeStatus.CURRENT:
        raise refuse("veteran_id", MSG_NOT_THINK_TANK)
    if data.topic not in Consultation.Topic.values:
        raise refuse("topic", MSG_CATEGORY_UNKNOWN)
    if not data.question.strip():
        raise refuse("question", MSG_QUESTION_NEEDED)
    if not data.advice.strip():
        raise refuse("advice", MSG_ADVICE_NEEDED)
    not_future(data.asked_on, "asked_on")
    return Consultation.objects.create(
        area_id=veteran.area_id,
        compound_id=veteran.compound_id,
        building_id=veteran.building_id,
        veteran=veteran,
        topic=data.topic,
        question=data.question.strip(),
        advice=data.advice.strip(),
        follow_up=data.follow_up.strip(),
        is_agenda_item=data.is_agenda_item,
        asked_on=data.asked_on,
        recorded_by=actor,
    )
