"""Writes on residents and groups: each one transactional, checked and kept in history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jinlin.core.models import User
from jinlin.people.derived import living_alone_elderly_since, veteran_member_since
from jinlin.people.groups import DERIVED_CODES, GROUPS, MANUAL_CODES, GroupCode
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import Household

MSG_UNKNOWN_GROUP = "未知的群体"
MSG_DERIVED_GROUP = "该群体由系统自动判定，不能手工设置"
MSG_REASON_NEEDED = "请填写认定理由"
MSG_ALREADY_GONE = "该居民已迁出或已故"
MSG_DATE_IN_FUTURE = "日期不能晚于今天"
MSG_ALREADY_IN_GROUP = "该居民已在此群体中"

_CHUNK = 500


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def refresh_derived_groups(household_ids: Iterable[int]) -> int:
    """Make 独居老人 and 老党员 rows of these households agree with the data; return changes.

    SPEC "Groups": derived groups must stay true as data changes. Rows hold the day the
    resident joins, so an upcoming birthday needs no later refresh.
    """
    elderly_age = settings.JINLIN["ELDERLY_AGE"]
    veteran_years = settings.JINLIN["VETERAN_PARTY_YEARS"]
    today = timezone.localdate()
    changes = 0
    for chunk in _chunks(sorted(set(household_ids))):
        residents = list(
            Resident.objects.filter(household_id__in=chunk).values(
                "id", "household_id", "area_id", "compound_id", "birth_date", "status"
            )
        )
        current_count: dict[int, int] = defaultdict(int)
        for row in residents:
            if row["status"] == LifeStatus.CURRENT:
                current_count[row["household_id"]] += 1
        # Read through the Party membership's reverse relation: people sits below party.
        joined = dict(
            Resident.objects.filter(household_id__in=chunk, party_member__isnull=False).values_list(
                "id", "party_member__joined_on"
            )
        )
        wanted: dict[tuple[int, str], date] = {}
        for row in residents:
            if row["status"] != LifeStatus.CURRENT:
                continue
            alone = living_alone_elderly_since(
                birth_date=row["birth_date"],
                current_household_members=current_count[row["household_id"]],
                elderly_age=elderly_age,
            )
            if alone is not None:
                wanted[(row["id"], GroupCode.LIVING_ALONE)] = alone
            veteran = veteran_member_since(
                joined_on=joined.get(row["id"]), veteran_years=veteran_years
            )
            if veteran is not None:
                wanted[(row["id"], GroupCode.VETERAN_MEMBER)] = veteran
        existing = {
            (m.resident_id, m.group): m
            for m in GroupMembership.objects.filter(
                household_id__in=chunk, source=GroupMembership.Source.DERIVED, ended_on__isnull=True
            )
        }
        by_id = {row["id"]: row for row in residents}
        for key, membership in existing.items():
            since = wanted.get(key)
            if since is None:
                membership.ended_on = today
                membership.save(update_fields=["ended_on"])
                changes += 1
            elif since != membership.since:
                membership.since = since
                membership.save(update_fields=["since"])
                changes += 1
        new_rows = [
            GroupMembership(
                resident_id=resident_id,
                household_id=by_id[resident_id]["household_id"],
                area_id=by_id[resident_id]["area_id"],
                compound_id=by_id[resident_id]["compound_id"],
                group=group,
                source=GroupMembership.Source.DERIVED,
                since=since,
                reason="系统按规则判定",
            )
            for (resident_id, group), since in wanted.items()
            if (resident_id, group) not in existing
        ]
        GroupMembership.objects.bulk_create(new_rows)
        changes += len(new_rows)
    return changes


def _validated(resident: Resident) -> None:
    resident.full_clean(exclude=["household", "building", "compound", "area"])
    clash = Resident.objects.filter(id_number=resident.id_number).exclude(pk=resident.pk)
    if clash.exists():
        raise ValidationError({"id_number": "该身份证号已登记在其他居民名下"})


@transaction.atomic
def resident_create(*, household: Household, actor: User | None, **fields: Any) -> Resident:
    resident = Resident(household=household, **fields)
    if not resident.birth_date and resident.id_number:
        from jinlin.core.idnumber import IdNumberError, parse_id_number

        try:
            parsed = parse_id_number(resident.id_number)
            resident.birth_date = parsed.birth_date
            resident.gender = resident.gender or parsed.gender
        except IdNumberError:
            pass  # full_clean names the field
    _validated(resident)
    resident._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    resident.save()
    return resident


@transaction.atomic
def resident_update(*, resident: Resident, actor: User | None, **fields: Any) -> Resident:
    for name, value in fields.items():
        setattr(resident, name, value)
    _validated(resident)
    resident._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    resident.save()
    return resident


@transaction.atomic
def resident_leave(*, resident: Resident, actor: User | None, status: str, on: date) -> Resident:
    """Record a move out or a death; the record stays, with its status and date."""
    if resident.status != LifeStatus.CURRENT:
        raise ValidationError({"status": MSG_ALREADY_GONE})
    if on > timezone.localdate():
        raise ValidationError({"status_date": MSG_DATE_IN_FUTURE})
    if status not in (LifeStatus.MOVED_OUT, LifeStatus.DECEASED):
        raise ValidationError({"status": "状态只能是已迁出或已故"})
    return resident_update(resident=resident, actor=actor, status=status, status_date=on)


@transaction.atomic
def group_add_manual(
    *, resident: Resident, actor: User, group: str, reason: str, skills: list[str] | None = None
) -> GroupMembership:
    if group not in {code.value for code in GROUPS}:
        raise ValidationError({"group": MSG_UNKNOWN_GROUP})
    if group in DERIVED_CODES or group not in MANUAL_CODES:
        raise ValidationError({"group": MSG_DERIVED_GROUP})
    if not reason.strip():
        raise ValidationError({"reason": MSG_REASON_NEEDED})
    if GroupMembership.objects.filter(
        resident=resident, group=group, ended_on__isnull=True
    ).exists():
        raise ValidationError({"group": MSG_ALREADY_IN_GROUP})
    membership = GroupMembership(
        resident=resident,
        household_id=resident.household_id,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        group=group,
        source=GroupMembership.Source.MANUAL,
        since=timezone.localdate(),
        reason=reason.strip()[:200],
        set_by=actor,
        skills=skills or [],
    )
    membership._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    membership.save()
    return membership
