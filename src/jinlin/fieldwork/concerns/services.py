"""Writes of concerns 民声诉求; each one transactional."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.fieldwork.common.services import (
    MSG_BUILDING_NOT_IN_COMPOUND,
    MSG_CATEGORY_UNKNOWN,
    MSG_DATE_IN_FUTURE,
    MSG_RESIDENT_GONE,
    refuse,
    require_writer,
    visible_compound,
    visible_household,
    visible_resident,
)
from jinlin.fieldwork.concerns.models import Channel, Concern, ConcernScope, Subcategory, Urgency
from jinlin.fieldwork.visits.selectors import visible_visits
from jinlin.people.models import LifeStatus
from jinlin.places.models import Building, Household

MSG_PLACE_NEEDED = "匿名诉求须注明小区"
MSG_WORDS_NEEDED = "请记录居民的原话"


@dataclass(frozen=True)
class ConcernInput:
    channel: str
    scope: str
    subcategory: str
    words: str
    real_need: str = ""
    urgency: str = Urgency.NORMAL
    resident_id: int | None = None
    household_id: int | None = None
    compound_id: int | None = None
    building_id: int | None = None
    visit_id: int | None = None
    received_at: datetime | None = None


@transaction.atomic
def concern_record(*, actor: User, data: ConcernInput) -> Concern:
    """SPEC "闻": who (resident, household or anonymous), channel, 家庭事/社区事, 原话, 真正诉求."""
    require_writer(actor)
    for name, allowed in (
        ("channel", Channel.values),
        ("scope", ConcernScope.values),
        ("subcategory", Subcategory.values),
        ("urgency", Urgency.values),
    ):
        if getattr(data, name) not in allowed:
            raise refuse(name, MSG_CATEGORY_UNKNOWN)
    words = (data.words or "").strip()
    if not words:
        raise refuse("words", MSG_WORDS_NEEDED)
    resident = household = building = None
    if data.resident_id is not None:
        resident = visible_resident(actor, data.resident_id)
        if resident.status != LifeStatus.CURRENT:
            raise refuse("resident_id", MSG_RESIDENT_GONE)
        household = resident.household
    elif data.household_id is not None:
        household = visible_household(actor, data.household_id)
    if household is not None:
        compound_id, building_id, area_id = (
            household.compound_id,
            household.building_id,
            household.area_id,
        )
    else:
        if data.compound_id is None:
            raise refuse("compound_id", MSG_PLACE_NEEDED)
        compound = visible_compound(actor, data.compound_id)
        compound_id, area_id, building_id = compound.pk, compound.area_id, None
        if data.building_id is not None:
            building = Building.objects.filter(pk=data.building_id, compound=compound).first()
            if building is None:
                raise refuse("building_id", MSG_BUILDING_NOT_IN_COMPOUND)
            building_id = building.pk
    visit = None
    if data.visit_id is not None:
        visit = visible_visits(actor).filter(pk=data.visit_id).first()
        if visit is None:
            raise refuse("visit_id", "没有找到该走访记录")
    received_at = data.received_at or timezone.now()
    if received_at > timezone.now():
        raise refuse("received_at", MSG_DATE_IN_FUTURE)
    return Concern.objects.create(
        area_id=area_id,
        compound_id=compound_id,
        building_id=building_id,
        household=household,
        resident=resident,
        channel=data.channel,
        scope=data.scope,
        subcategory=data.subcategory,
        words=words,
        real_need=(data.real_need or "").strip(),
        urgency=data.urgency,
        received_at=received_at,
        visit=visit,
        recorded_by=actor,
    )


@transaction.atomic
def concern_update_need(*, concern: Concern, actor: User, real_need: str) -> Concern:
    require_writer(actor)
    concern.real_need = (real_need or "").strip()
    concern.save(update_fields=["real_need"])
    return concern


@transaction.atomic
def concern_passed_on(
    *, household: Household, words: str, member_name: str, recorded_by: User
) -> Concern:
    """A concern a network member passes on from a contact (党员转达): no writer needed, the
    member's gate is the chain's (its own households). The worker fills the real need."""
    words = (words or "").strip()
    if not words:
        raise refuse("words", MSG_WORDS_NEEDED)
    concern = Concern.objects.create(
        area_id=household.area_id,
        compound_id=household.compound_id,
        building_id=household.building_id,
        household=household,
        channel=Channel.PARTY_MEMBER,
        scope=ConcernScope.FAMILY,
        subcategory=Subcategory.OTHER,
        words=words,
        real_need="",
        urgency=Urgency.NORMAL,
        received_at=timezone.now(),
        recorded_by=recorded_by,
    )
    audit(
        actor=recorded_by,
        action=AuditEvent.Action.CHANGE,
        object_type="concern",
        object_id=concern.pk,
        reason=f"{Channel.PARTY_MEMBER.label}：{member_name}",
        area_id=household.area_id,
    )
    return concern


# Subcategories that name what the sensitive groups name (生活困难 ~ 困难家庭, 医疗健康 ~ 大病重病)
# or as private (家庭矛盾): a list filtered by one is a list of people with that trouble.
SENSITIVE_SUBCATEGORIES = frozenset(
    {Subcategory.HARDSHIP, Subcategory.HEALTH, Subcategory.FAMILY_CONFLICT}
)


def record_subcategory_list(
    *, user: User, subcategory: str, count: int, channel: str, request: HttpRequest | None = None
) -> None:
    """One view_sensitive event per concern list filtered by a sensitive subcategory (page or
    API), with how many concerns it matched, as people/sensitive.py records a group's list."""
    if subcategory not in SENSITIVE_SUBCATEGORIES:
        return
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW_SENSITIVE,
        object_type="concern_subcategory",
        object_id=subcategory,
        fields=[f"count:{count}", f"via:{channel}"],
        request=request,
        area_id=user.area_id,
    )
