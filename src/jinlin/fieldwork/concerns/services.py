"""Writes of concerns 民声诉求; each one transactional."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.access import can_unmask
from jinlin.core.audit import audit, update_audited
from jinlin.core.idnumber import normalise_phone
from jinlin.core.models import AuditEvent, Role, User
from jinlin.fieldwork.common.services import (
    MSG_BUILDING_NOT_IN_COMPOUND,
    MSG_CATEGORY_UNKNOWN,
    MSG_DATE_IN_FUTURE,
    MSG_NOT_WRITER,
    MSG_RESIDENT_GONE,
    refuse,
    require_writer,
    visible_compound,
    visible_household,
    visible_resident,
)
from jinlin.fieldwork.concerns.models import (
    Channel,
    Concern,
    ConcernScope,
    Rating,
    Subcategory,
    Urgency,
)
from jinlin.fieldwork.concerns.selectors import is_closed_for_resident
from jinlin.fieldwork.photos import clean_photo
from jinlin.fieldwork.visits.selectors import visible_visits
from jinlin.people.models import LifeStatus
from jinlin.places.models import Building, Household

MSG_PLACE_NEEDED = "匿名诉求须注明小区"
MSG_WORDS_NEEDED = "请记录居民的原话"
# The residents' door (issue 14).
WORDS_MAX = 1000
MSG_PUBLIC_WORDS_NEEDED = "请写下您想说的事"
MSG_PUBLIC_WORDS_TOO_LONG = f"请把要说的事控制在{WORDS_MAX}字以内"
MSG_ROOM_UNKNOWN = "本楼组没有这个室号，请核对（如 301），或不填"
MSG_PHONE_INVALID = "请填写正确的手机号或座机号（如 13812345678 或 021-12345678），或不填"
MSG_REPLY_NEEDED = "请写下给居民的回复"
MSG_REPLY_TOO_LONG = f"回复请控制在{WORDS_MAX}字以内"
MSG_NOT_PUBLIC = "只有居民扫码提交的诉求才有回复和评价"
MSG_ALREADY_CLOSED = "该诉求已办结"
MSG_CLOSE_NEEDS_REPLY = "请先回复居民，再办结"
MSG_REVIEW_IS_SECRETARYS = "居民不满意的诉求，由居民区书记复核后办结"
MSG_RATE_NOT_YET = "诉求办结后才能评价"
MSG_RATE_DONE = "您已评价过，谢谢"
MSG_RATING_UNKNOWN = "请选择满意、基本满意或不满意"
RATING_NOTE_MAX = 200
MSG_RATING_NOTE_TOO_LONG = f"评价请控制在{RATING_NOTE_MAX}字以内"
# A receipt the resident can copy by hand: no 0/O, 1/I/L; 16 of 32 characters = 80 bits.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 16


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
        owner=actor,
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


# --- the residents' door: a concern raised on a building's public page (扫码) ------------------


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt(text: str) -> str:
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:RECEIPT_LENGTH]


def _public_household(building: Building, room: str) -> Household | None:
    room = (room or "").strip().removesuffix("室").strip()
    if not room:
        return None
    household = Household.objects.filter(building=building, room=room).first()
    if household is None:
        raise refuse("room", MSG_ROOM_UNKNOWN)
    return household


@transaction.atomic
def concern_raise_public(
    *,
    building: Building,
    words: str,
    room: str = "",
    phone: str = "",
    photo: bytes | None = None,
) -> Concern:
    """A resident's concern from its building's public page: in its own words, optionally its
    room (a household of this building) and a phone to be called back on, and a photo. It lands
    in 闻 with channel 扫码, in the building's place (so on the patch worker's 今日), with a
    receipt for the resident to follow it. Every refusal stores nothing."""
    words = (words or "").strip()
    if not words:
        raise refuse("words", MSG_PUBLIC_WORDS_NEEDED)
    if len(words) > WORDS_MAX:
        raise refuse("words", MSG_PUBLIC_WORDS_TOO_LONG)
    household = _public_household(building, room)
    callback_phone = ""
    if (phone or "").strip():
        try:
            callback_phone = normalise_phone(phone)
        except ValueError:
            raise refuse("phone", MSG_PHONE_INVALID) from None
    cleaned = clean_photo(photo) if photo else None
    concern = Concern(
        area_id=building.compound.area_id,
        compound_id=building.compound_id,
        building_id=building.pk,
        household=household,
        channel=Channel.QR_CODE,
        scope=ConcernScope.FAMILY if household else ConcernScope.COMMUNITY,
        subcategory=Subcategory.OTHER,
        words=words,
        received_at=timezone.now(),
        callback_phone=callback_phone,
        receipt=new_receipt(),
    )
    if cleaned is not None:
        concern.photo.save(f"{uuid.uuid4().hex}.jpg", ContentFile(cleaned.content), save=False)
    concern.save()
    return concern


def _require_public(concern: Concern) -> None:
    if not concern.receipt:
        raise ValidationError(MSG_NOT_PUBLIC)


@transaction.atomic
def concern_reply(*, concern: Concern, actor: User, reply: str) -> Concern:
    """The worker's answer, which the resident reads under its receipt (宝山社区通: every concern
    is answered). A later reply replaces the earlier one; the audit log keeps who wrote when."""
    require_writer(actor)
    _require_public(concern)
    reply = (reply or "").strip()
    if not reply:
        raise refuse("reply", MSG_REPLY_NEEDED)
    if len(reply) > WORDS_MAX:
        raise refuse("reply", MSG_REPLY_TOO_LONG)
    update_audited(
        concern,
        {"reply": reply, "replied_at": timezone.now(), "replied_by": actor},
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="concern",
        object_id=concern.pk,
        fields=["reply"],
        reason="回复扫码诉求",
        area_id=concern.area_id,
    )
    return concern


@transaction.atomic
def concern_close(*, concern: Concern, actor: User) -> Concern:
    """办结: the resident may now rate it. One the resident rated 不满意 is closed again by the
    area secretary only, after its look (which clears the flag and lets the resident rate anew)."""
    require_writer(actor)
    _require_public(concern)
    if concern.closed_at is not None:
        raise ValidationError(MSG_ALREADY_CLOSED)
    if not concern.reply:
        raise refuse("reply", MSG_CLOSE_NEEDS_REPLY)
    changes: dict[str, object] = {"closed_at": timezone.now()}
    if concern.needs_secretary_review:
        if not (actor.role == Role.AREA_SECRETARY and actor.area_id == concern.area_id):
            raise PermissionDenied(MSG_REVIEW_IS_SECRETARYS)
        changes.update(needs_secretary_review=False, rating="", rating_note="", rated_at=None)
    update_audited(
        concern,
        changes,
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="concern",
        object_id=concern.pk,
        fields=["closed_at"],
        reason="办结扫码诉求",
        area_id=concern.area_id,
    )
    return concern


@transaction.atomic
def concern_rate(*, concern: Concern, rating: str, note: str = "") -> Concern:
    """群众评单 by the resident holding the receipt, once the concern (or a case it joined) is
    closed. 不满意 reopens it and puts it before the area secretary."""
    _require_public(concern)
    if not is_closed_for_resident(concern):
        raise ValidationError(MSG_RATE_NOT_YET)
    if concern.rating:
        raise ValidationError(MSG_RATE_DONE)
    if rating not in Rating.values:
        raise refuse("rating", MSG_RATING_UNKNOWN)
    note = (note or "").strip()
    if len(note) > RATING_NOTE_MAX:
        raise refuse("note", MSG_RATING_NOTE_TOO_LONG)
    changes: dict[str, object] = {"rating": rating, "rating_note": note, "rated_at": timezone.now()}
    if rating == Rating.UNSATISFIED:
        changes.update(closed_at=None, needs_secretary_review=True)
    update_audited(
        concern,
        changes,
        actor=None,
        actor_name="居民（回执）",
        action=AuditEvent.Action.CHANGE,
        object_type="concern",
        object_id=concern.pk,
        fields=["rating"],
        reason=f"群众评单：{Rating(rating).label}",
        area_id=concern.area_id,
    )
    return concern


MSG_REASON_NEEDED = "请写明查看完整号码的事由"


@transaction.atomic
def concern_callback_phone(*, concern: Concern, actor: User, reason: str) -> str:
    """The whole callback phone a resident left, for a role that may unmask phones, with a
    reason, audited (as a resident's phone is: people/masking.py)."""
    if not can_unmask(actor, "phone"):
        raise PermissionDenied(MSG_NOT_WRITER)
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason", MSG_REASON_NEEDED)
    audit(
        actor=actor,
        action=AuditEvent.Action.UNMASK,
        object_type="concern",
        object_id=concern.pk,
        fields=["callback_phone"],
        reason=reason,
        area_id=concern.area_id,
    )
    return concern.callback_phone


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
