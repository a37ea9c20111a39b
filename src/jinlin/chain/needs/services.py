"""Changing needs and claims: publish and withdraw (the committee), claim, withdraw a claim and
mark it done (the member), confirm or decline a claim (the committee).

Every refusal is a ValidationError with a Chinese message (nothing stored); an actor outside
the need's area or the claim's owner is refused with PermissionDenied (the pages and API have
already answered 404 through the selectors' gates). A member may mark a confirmed claim done
from the need's day on (Shanghai time), not before: hours are served on the day.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.chain.needs.models import (
    DESCRIPTION_MAX,
    HOURS_MAX,
    HOURS_MIN,
    NOTE_MAX,
    PEOPLE_MAX,
    PEOPLE_MIN,
    PLACE_MAX,
    TITLE_MAX,
    ClaimStatus,
    Need,
    NeedClaim,
)
from jinlin.chain.needs.selectors import is_committee, is_member_of, taken_count
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.places.models import Area

MSG_TITLE_REQUIRED = "请填写需求"
MSG_TITLE_LONG = f"需求最多 {TITLE_MAX} 个字"
MSG_DESCRIPTION_LONG = f"说明最多 {DESCRIPTION_MAX} 个字"
MSG_PLACE_REQUIRED = "请填写地点"
MSG_PLACE_LONG = f"地点最多 {PLACE_MAX} 个字"
MSG_STARTS_REQUIRED = "请填写时间"
MSG_STARTS_PAST = "时间应晚于现在"
MSG_HOURS = f"时长以半小时计，应在 {HOURS_MIN} 到 {HOURS_MAX} 小时之间"
MSG_PEOPLE = f"需要人数应在 {PEOPLE_MIN} 到 {PEOPLE_MAX} 人之间"
MSG_MAY_NOT_PUBLISH = "只有本居民区的书记和社工可以发布需求"
MSG_MAY_NOT_DECIDE = "只有本居民区的书记和社工可以确认认领"
MSG_NEED_WITHDRAWN = "该需求已撤回"
MSG_NEED_PAST = "该需求的时间已过，不能再认领"
MSG_NEED_FULL = "该需求人数已满"
MSG_ALREADY_CLAIMED = "您已认领过该需求"
MSG_MAY_NOT_CLAIM = "只有本居民区的联络员可以认领需求"
MSG_NOT_YOUR_CLAIM = "这不是您的认领"
MSG_NOT_PENDING = "该认领已处理过"
MSG_CLAIM_CLOSED = "该认领已结束，不能撤回"
MSG_NOT_CONFIRMED = "居委会确认后才能登记完成"
MSG_TOO_EARLY = "需求当天起才能登记完成"
MSG_NOTE_REQUIRED = "请写一句完成情况"
MSG_NOTE_LONG = f"完成情况最多 {NOTE_MAX} 个字"


def _hours(value: object) -> Decimal | None:
    """Hours as a Decimal in half hours within the bounds, else None."""
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    if not hours.is_finite() or not HOURS_MIN <= hours <= HOURS_MAX or (hours * 2) % 1:
        return None
    return hours.quantize(Decimal("0.1"))


def _audit(actor: User, need: Need, reason: str, request: HttpRequest | None) -> None:
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="need",
        object_id=need.pk,
        reason=reason,
        request=request,
        area_id=need.area_id,
    )


def need_publish(
    *,
    area: Area,
    actor: User,
    title: str,
    place: str,
    starts_at: datetime | None,
    hours: object,
    people_needed: object,
    description: str = "",
    request: HttpRequest | None = None,
) -> Need:
    """发布需求: by the area's secretary or one of its workers; the time must be still to come."""
    if not is_committee(actor, area.pk):
        raise PermissionDenied(MSG_MAY_NOT_PUBLISH)
    title, place = (title or "").strip(), (place or "").strip()
    description = (description or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = MSG_TITLE_REQUIRED
    elif len(title) > TITLE_MAX:
        errors["title"] = MSG_TITLE_LONG
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = MSG_DESCRIPTION_LONG
    if not place:
        errors["place"] = MSG_PLACE_REQUIRED
    elif len(place) > PLACE_MAX:
        errors["place"] = MSG_PLACE_LONG
    if starts_at is None:
        errors["starts_at"] = MSG_STARTS_REQUIRED
    elif timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at is not None and starts_at <= timezone.now():
        errors["starts_at"] = MSG_STARTS_PAST
    per_person = _hours(hours)
    if per_person is None:
        errors["hours"] = MSG_HOURS
    if (
        not isinstance(people_needed, int)
        or isinstance(people_needed, bool)
        or not PEOPLE_MIN <= people_needed <= PEOPLE_MAX
    ):
        errors["people_needed"] = MSG_PEOPLE
    if errors:
        raise ValidationError(errors)
    assert starts_at is not None and per_person is not None and isinstance(people_needed, int)
    with transaction.atomic():
        need = Need.objects.create(
            area=area,
            title=title,
            description=description,
            place=place,
            starts_at=starts_at,
            hours=per_person,
            people_needed=people_needed,
            created_by=actor,
        )
        _audit(actor, need, f"发布需求：{title}", request)
    return need


def need_withdraw(*, need: Need, actor: User, request: HttpRequest | None = None) -> Need:
    """撤回: the committee; the claims stay as they are (done ones keep their hours)."""
    if not is_committee(actor, need.area_id):
        raise PermissionDenied(MSG_MAY_NOT_PUBLISH)
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        if need.withdrawn_at is not None:
            raise ValidationError(MSG_NEED_WITHDRAWN)
        need.withdrawn_at = timezone.now()
        need.save(update_fields=["withdrawn_at"])
        _audit(actor, need, f"撤回需求：{need.title}", request)
    return need


def need_claim(*, need: Need, actor: User) -> NeedClaim:
    """认领: a network member of the need's area, while the need is upcoming, not withdrawn, not
    full (claimed + confirmed + done < people needed) and not already claimed by it."""
    if not is_member_of(actor, need.area_id):
        raise PermissionDenied(MSG_MAY_NOT_CLAIM)
    with transaction.atomic():
        need = Need.objects.select_for_update().get(pk=need.pk)
        if need.withdrawn_at is not None:
            raise ValidationError(MSG_NEED_WITHDRAWN)
        if need.starts_at <= timezone.now():
            raise ValidationError(MSG_NEED_PAST)
        if (
            NeedClaim.objects.filter(need=need, member=actor)
            .exclude(status=ClaimStatus.WITHDRAWN)
            .exists()
        ):
            raise ValidationError(MSG_ALREADY_CLAIMED)
        if taken_count(need) >= need.people_needed:
            raise ValidationError(MSG_NEED_FULL)
        return NeedClaim.objects.create(need=need, member=actor)


def _locked(claim: NeedClaim) -> NeedClaim:
    return NeedClaim.objects.select_for_update().select_related("need").get(pk=claim.pk)


def claim_withdraw(*, claim: NeedClaim, actor: User) -> NeedClaim:
    """撤回认领: the member, while claimed or confirmed (its place becomes free again)."""
    if claim.member_id != actor.pk:
        raise PermissionDenied(MSG_NOT_YOUR_CLAIM)
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status not in (ClaimStatus.CLAIMED, ClaimStatus.CONFIRMED):
            raise ValidationError(MSG_CLAIM_CLOSED)
        claim.status = ClaimStatus.WITHDRAWN
        claim.withdrawn_at = timezone.now()
        claim.save(update_fields=["status", "withdrawn_at"])
    return claim


def _decide(
    *, claim: NeedClaim, actor: User, status: str, request: HttpRequest | None
) -> NeedClaim:
    if not is_committee(actor, claim.need.area_id):
        raise PermissionDenied(MSG_MAY_NOT_DECIDE)
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status != ClaimStatus.CLAIMED:
            raise ValidationError(MSG_NOT_PENDING)
        if claim.need.withdrawn_at is not None:
            raise ValidationError(MSG_NEED_WITHDRAWN)
        claim.status = status
        claim.decided_by = actor
        claim.decided_at = timezone.now()
        claim.save(update_fields=["status", "decided_by", "decided_at"])
        verb = "确认" if status == ClaimStatus.CONFIRMED else "不采纳"
        _audit(actor, claim.need, f"{verb}认领：{claim.need.title}", request)
    return claim


def claim_confirm(
    *, claim: NeedClaim, actor: User, request: HttpRequest | None = None
) -> NeedClaim:
    """确认: the committee accepts a pending claim."""
    return _decide(claim=claim, actor=actor, status=ClaimStatus.CONFIRMED, request=request)


def claim_decline(
    *, claim: NeedClaim, actor: User, request: HttpRequest | None = None
) -> NeedClaim:
    """不采纳: the committee turns a pending claim down (its place becomes free again)."""
    return _decide(claim=claim, actor=actor, status=ClaimStatus.DECLINED, request=request)


def claim_complete(
    *,
    claim: NeedClaim,
    actor: User,
    note: str,
    hours: object = None,
    request: HttpRequest | None = None,
) -> NeedClaim:
    """完成: the member, once confirmed and from the need's day on, with a line about it and
    the hours served (the need's hours unless given; in half hours, 0.5 to 24)."""
    if claim.member_id != actor.pk:
        raise PermissionDenied(MSG_NOT_YOUR_CLAIM)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = MSG_NOTE_REQUIRED
    elif len(note) > NOTE_MAX:
        errors["note"] = MSG_NOTE_LONG
    served = _hours(claim.need.hours if hours is None or hours == "" else hours)
    if served is None:
        errors["hours"] = MSG_HOURS
    with transaction.atomic():
        claim = _locked(claim)
        if claim.status != ClaimStatus.CONFIRMED:
            raise ValidationError(MSG_NOT_CONFIRMED)
        if timezone.localdate() < timezone.localdate(claim.need.starts_at):
            raise ValidationError(MSG_TOO_EARLY)
        if errors:
            raise ValidationError(errors)
        claim.status = ClaimStatus.DONE
        claim.done_at = timezone.now()
        claim.done_note = note
        claim.hours_served = served
        claim.save(update_fields=["status", "done_at", "done_note", "hours_served"])
        _audit(actor, claim.need, f"完成需求：{claim.need.title}（{served} 小时）", request)
    return claim
