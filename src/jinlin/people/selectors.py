"""Reads of residents and groups shaped for pages, exports and the API, limited by access."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from jinlin.core.access import visible_memberships, visible_residents
from jinlin.core.models import User
from jinlin.people.derived import age_on
from jinlin.people.groups import GROUPS, SENSITIVE_CODES, GroupCode
from jinlin.people.models import GroupMembership, LifeStatus, Resident


def resident_groups(resident: Resident, on: date | None = None) -> list[dict[str, object]]:
    """Groups in force for the profile; sensitive ones are flagged so pages can hide them."""
    day = on or timezone.localdate()
    rows = []
    for membership in resident.memberships.all():
        if membership.ended_on is not None or membership.since > day:
            continue
        kind = GROUPS[GroupCode(membership.group)]
        rows.append(
            {
                "code": kind.code.value,
                "label": kind.label,
                "is_sensitive": kind.is_sensitive,
                "is_derived": membership.source == GroupMembership.Source.DERIVED,
                "since": membership.since,
                "reason": membership.reason,
                "skills": membership.skills,
                "set_by": membership.set_by,
                "set_at": membership.set_at,
            }
        )
    return sorted(rows, key=lambda row: str(row["label"]))


def group_members(
    user: User, *, area_id: int, group: str, on: date | None = None
) -> QuerySet[GroupMembership]:
    """Current members of one group in one area (within the user's scope), with their address."""
    day = on or timezone.localdate()
    return (
        visible_memberships(user)
        .filter(
            area_id=area_id,
            group=group,
            since__lte=day,
            ended_on__isnull=True,
            resident__status=LifeStatus.CURRENT,
        )
        .select_related("resident__household__building__compound")
        .order_by(
            "compound__name",
            "resident__building__sort_key",
            "resident__household__room",
            "resident_id",
        )
    )


def is_sensitive_group(group: str) -> bool:
    return group in SENSITIVE_CODES


def resident_age(resident: Resident, on: date | None = None) -> int:
    return age_on(resident.birth_date, on or timezone.localdate())


def residents_of(user: User) -> QuerySet[Resident]:
    return visible_residents(user).select_related("household__building__compound")
