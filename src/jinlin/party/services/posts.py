"""Posts (书记, 委员, 党小组长), contacts between levels, and a group's meetings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.party.access import can_record_meeting, can_reorganise, can_run_group
from jinlin.party.models import (
    Attendance,
    Meeting,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
)
from jinlin.party.services.common import MSG_NOT_ALLOWED, MSG_ORGANISATION_DISSOLVED
from jinlin.people.models import LifeStatus

Level = PartyOrganisation.Level


MSG_MEMBER_NOT_HERE = "该党员不在本居民区居住或不参加本社区组织生活"
MSG_LEADER_NOT_IN_GROUP = "党小组长须是本党小组的党员"
MSG_COMMITTEE_NOT_IN_BRANCH = "支部委员须是本支部所辖小区的党员"
MSG_CONTACT_NOT_COMMITTEE = "联系人须是上级党组织的现任书记、副书记或委员"
MSG_CONTACT_LEVEL = "只有党支部和党小组需要指定联系人"
MSG_MEETING_FUTURE = "会议日期不能晚于今天"
MSG_MEETING_TOPICS = "请至少填写一个议题"
MSG_MEETING_MEMBER = "出席名单中有不属于本党小组的党员"
MSG_MEETING_STATUS = "出席情况只能是出席、请假或缺席"


# --- posts and contacts between levels ------------------------------------------------------


def _fresh(member: PartyMember) -> PartyMember:
    """The member as stored now (a caller's copy may predate a reorganisation)."""
    return PartyMember.objects.select_related("resident").get(pk=member.pk)


def _may_appoint(actor: User, organisation: PartyOrganisation, kind: str) -> bool:
    if organisation.level == Level.GROUP:
        return can_run_group(actor, organisation)
    return can_reorganise(actor, organisation.area)


def _check_member_fits(member: PartyMember, organisation: PartyOrganisation, kind: str) -> None:
    resident = member.resident
    if (
        resident.status != LifeStatus.CURRENT
        or resident.area_id != organisation.area_id
        or not member.takes_part
    ):
        raise ValidationError({"member": MSG_MEMBER_NOT_HERE})
    if organisation.level == Level.GROUP and member.group_id != organisation.pk:
        raise ValidationError({"member": MSG_LEADER_NOT_IN_GROUP})
    if (
        organisation.level == Level.BRANCH
        and not organisation.compounds.filter(pk=resident.compound_id).exists()
    ):
        raise ValidationError({"member": MSG_COMMITTEE_NOT_IN_BRANCH})


def position_appoint(
    *,
    organisation: PartyOrganisation,
    member: PartyMember,
    kind: str,
    actor: User | None,
    check_access: bool = True,
) -> Position:
    """Appoint a member; a secretary or group leader replaces the one in post, and a member
    already holding another post here changes post (the old one ends today)."""
    if check_access and (actor is None or not _may_appoint(actor, organisation, kind)):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not organisation.is_active:
        raise ValidationError(MSG_ORGANISATION_DISSOLVED)
    member = _fresh(member)
    position = Position(
        organisation=organisation,
        member=member,
        kind=kind,
        appointed_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if kind not in Position.Kind.values:
        raise ValidationError({"kind": "未知的职务"})
    position.clean()
    _check_member_fits(member, organisation, kind)
    today = timezone.localdate()
    with transaction.atomic():
        in_post = Position.objects.filter(organisation=organisation, ended_on__isnull=True)
        replaced = in_post.filter(member=member)
        if kind in (Position.Kind.SECRETARY, Position.Kind.GROUP_LEADER):
            replaced = replaced | in_post.filter(kind=kind)
        replaced.update(ended_on=today)
        position.started_on = today
        position.save()
    return position


@transaction.atomic
def position_end(*, position: Position, actor: User | None, check_access: bool = True) -> None:
    if check_access and (
        actor is None or not _may_appoint(actor, position.organisation, position.kind)
    ):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if position.ended_on is None:
        position.ended_on = timezone.localdate()
        position.save(update_fields=["ended_on"])


def organisation_set_contact(
    *,
    organisation: PartyOrganisation,
    member: PartyMember,
    actor: User | None,
    check_access: bool = True,
) -> OrganisationContact:
    """委员联系支部 (a member of the area committee for a branch) or 支委联系小组 (a member of
    the branch committee for one of its groups); the previous contact ends today."""
    if organisation.level == Level.AREA:
        raise ValidationError(MSG_CONTACT_LEVEL)
    if check_access:
        allowed = (
            (
                can_reorganise(actor, organisation.area)
                if organisation.level == Level.BRANCH
                else can_run_group(actor, organisation)
            )
            if actor is not None
            else False
        )
        if not allowed:
            raise PermissionDenied(MSG_NOT_ALLOWED)
    if not organisation.is_active:
        raise ValidationError(MSG_ORGANISATION_DISSOLVED)
    member = _fresh(member)
    is_committee = Position.objects.filter(
        organisation_id=organisation.parent_id,
        member=member,
        kind__in=Position.COMMITTEE_KINDS,
        ended_on__isnull=True,
    ).exists()
    if not is_committee or member.resident.status != LifeStatus.CURRENT:
        raise ValidationError({"member": MSG_CONTACT_NOT_COMMITTEE})
    today = timezone.localdate()
    with transaction.atomic():
        OrganisationContact.objects.filter(organisation=organisation, ended_on__isnull=True).update(
            ended_on=today
        )
        return OrganisationContact.objects.create(
            organisation=organisation,
            member=member,
            started_on=today,
            set_by=actor if actor is not None and actor.is_authenticated else None,
        )


# --- meetings ------------------------------------------------------------------------------


def meeting_record(
    *,
    group: PartyOrganisation,
    actor: User,
    held_on: date,
    topics: list[str],
    attendance: Mapping[int, str],
    place: str = "",
    notes: str = "",
) -> Meeting:
    """楼组党员会议 with its topics and each member's attendance (members not named are
    recorded absent)."""
    if not can_record_meeting(actor, group):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = MSG_MEETING_FUTURE
    topics = [t.strip()[:200] for t in topics if t and t.strip()]
    if not topics:
        errors["topics"] = MSG_MEETING_TOPICS
    members = {
        m.pk for m in PartyMember.objects.filter(group=group, resident__status=LifeStatus.CURRENT)
    }
    if set(attendance) - members:
        errors["attendance"] = MSG_MEETING_MEMBER
    if any(status not in Attendance.Status.values for status in attendance.values()):
        errors["attendance"] = MSG_MEETING_STATUS
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group,
            held_on=held_on,
            place=place.strip()[:100],
            topics=topics,
            notes=notes.strip(),
            recorded_by=actor,
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member_id=member_id,
                status=attendance.get(member_id, Attendance.Status.ABSENT),
            )
            for member_id in sorted(members)
        )
    return meeting
