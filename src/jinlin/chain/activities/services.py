"""Writes of 楼组 activities: recording one (with its photos) and withdrawing one, audited.

Every refusal is a ValidationError with a Chinese message (nothing stored); a building outside
the actor's (activities.access) is a PermissionDenied, which pages and API answer with 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.chain.activities.access import MSG_NO_BUILDING, recordable_buildings
from jinlin.chain.activities.models import (
    RESIDENT_COUNT_MAX,
    SUMMARY_MAX,
    WITHDRAW_REASON_MAX,
    ActivityKind,
    ActivityPhoto,
    BuildingActivity,
)
from jinlin.chain.activities.selectors import may_withdraw
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.fieldwork.photos import CleanPhoto, clean_photo, max_per_finding
from jinlin.party.models import PartyMember
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.models import Building

OLDEST_DAYS = 365  # an activity older than a year is history, not a record to add now

MSG_KIND = "活动类别应为：" + "、".join(str(label) for label in ActivityKind.labels)
MSG_DATE_REQUIRED = "请填写活动日期"
MSG_DATE_FUTURE = "活动日期不能晚于今天"
MSG_DATE_OLD = "只能记录一年以内的活动"
MSG_SUMMARY_REQUIRED = "请写一写做了什么"
MSG_SUMMARY_LONG = f"做了什么最多 {SUMMARY_MAX} 个字"
MSG_COUNT = f"参加居民人数应在 0 到 {RESIDENT_COUNT_MAX} 之间"
MSG_MEMBER_OUTSIDE = "所选党员不属于本居民区"
MSG_RESIDENT_OUTSIDE = "所选居民不属于本居民区"
MSG_PHOTOS_TOO_MANY = "每次活动最多 {n} 张照片"
MSG_REASON_REQUIRED = "请写明撤回原因"
MSG_REASON_LONG = f"撤回原因最多 {WITHDRAW_REASON_MAX} 个字"
MSG_ALREADY_WITHDRAWN = "该活动已撤回"
MSG_MAY_NOT_WITHDRAW = "只有记录人或居民区书记可以撤回"
MSG_RECORDED = "已记录楼组活动"


def _ids(values: Iterable[int] | None) -> set[int]:
    return {int(v) for v in values or ()}


@transaction.atomic
def activity_record(
    *,
    actor: User,
    building: Building,
    kind: str,
    held_on: date | None,
    summary: str,
    party_member_ids: Iterable[int] = (),
    resident_ids: Iterable[int] = (),
    resident_count: int | None = 0,
    photos: Sequence[bytes] = (),
    request: HttpRequest | None = None,
) -> BuildingActivity:
    """Record an activity of a building the actor may record for; the Party members and
    residents who took part must live in (members: belong to) the building's area, and each
    photo is re-encoded without its metadata. A bad photo refuses the whole record."""
    if not recordable_buildings(actor).filter(pk=building.pk).exists():
        raise PermissionDenied(MSG_NO_BUILDING)
    area_id = Building.objects.values_list("compound__area_id", flat=True).get(pk=building.pk)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = MSG_KIND
    if held_on is None:
        errors["held_on"] = MSG_DATE_REQUIRED
    elif held_on > today:
        errors["held_on"] = MSG_DATE_FUTURE
    elif held_on < today - timedelta(days=OLDEST_DAYS):
        errors["held_on"] = MSG_DATE_OLD
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = MSG_SUMMARY_REQUIRED
    elif len(summary) > SUMMARY_MAX:
        errors["summary"] = MSG_SUMMARY_LONG
    count = resident_count or 0
    if not 0 <= count <= RESIDENT_COUNT_MAX:
        errors["resident_count"] = MSG_COUNT
    wanted_members, wanted_residents = _ids(party_member_ids), _ids(resident_ids)
    members = list(PartyMember.objects.filter(pk__in=wanted_members, resident__area_id=area_id))
    residents = list(
        Resident.objects.filter(pk__in=wanted_residents, area_id=area_id, status=LifeStatus.CURRENT)
    )
    if len(members) != len(wanted_members):
        errors["party_members"] = MSG_MEMBER_OUTSIDE
    if len(residents) != len(wanted_residents):
        errors["residents"] = MSG_RESIDENT_OUTSIDE
    if len(photos) > max_per_finding():
        errors["photos"] = MSG_PHOTOS_TOO_MANY.format(n=max_per_finding())
    if errors or held_on is None:
        raise ValidationError(errors)
    cleaned = [_cleaned(content) for content in photos]

    activity = BuildingActivity.objects.create(
        building=building,
        area_id=area_id,
        kind=kind,
        held_on=held_on,
        summary=summary,
        resident_count=count,
        recorded_by=actor,
    )
    activity.party_members.set(members)
    activity.residents.set(residents)
    for photo in cleaned:
        row = ActivityPhoto(
            activity=activity,
            width=photo.width,
            height=photo.height,
            size=len(photo.content),
            uploaded_by=actor,
        )
        row.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.content), save=False)
        row.save()
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="building_activity",
        object_id=activity.pk,
        reason=f"记录楼组活动：{ActivityKind(kind).label}",
        request=request,
        area_id=area_id,
    )
    return activity


def _cleaned(content: bytes) -> CleanPhoto:
    """fieldwork.photos names its field "photo"; the activity's is "photos"."""
    try:
        return clean_photo(content)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None


@transaction.atomic
def activity_withdraw(
    *,
    activity: BuildingActivity,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
) -> BuildingActivity:
    """撤回 by its recorder or the area secretary, with a reason; the row stays."""
    if activity.withdrawn_at is not None:
        raise ValidationError(MSG_ALREADY_WITHDRAWN)
    if not may_withdraw(actor, activity):
        raise PermissionDenied(MSG_MAY_NOT_WITHDRAW)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": MSG_REASON_REQUIRED})
    if len(reason) > WITHDRAW_REASON_MAX:
        raise ValidationError({"reason": MSG_REASON_LONG})
    activity.withdrawn_at = timezone.now()
    activity.withdrawn_by = actor
    activity.withdraw_reason = reason
    activity.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="building_activity",
        object_id=activity.pk,
        reason=f"撤回楼组活动：{reason}",
        request=request,
        area_id=activity.area_id,
    )
    return activity
