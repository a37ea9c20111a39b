"""Reads of residents and groups shaped for pages, exports and the API, limited by access."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from jinlin.core.models import User
from jinlin.people.access import visible_memberships
from jinlin.people.catalogue import kind_of
from jinlin.people.derived import age_on
from jinlin.people.groups import GroupCode
from jinlin.people.models import EmergencyContact, GroupMembership, LifeStatus, Resident
from jinlin.places.models import Building, Household


def resident_groups(resident: Resident, on: date | None = None) -> list[dict[str, object]]:
    """Groups in force for the profile; sensitive ones are flagged so pages can hide them."""
    day = on or timezone.localdate()
    rows = []
    for membership in resident.memberships.all():
        if membership.ended_on is not None or membership.since > day:
            continue
        kind = kind_of(membership.group)
        rows.append(
            {
                "code": str(kind.code),
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


def resident_age(resident: Resident, on: date | None = None) -> int:
    return age_on(resident.birth_date, on or timezone.localdate())


def building_households(building: Building) -> Sequence[Household]:
    """Households of a building with their current residents (ages set), in two queries."""
    current = Resident.objects.filter(status=LifeStatus.CURRENT).order_by("id")
    households = list(
        Household.objects.filter(building=building)
        .prefetch_related(Prefetch("residents", queryset=current, to_attr="current_residents"))
        .order_by("room")
    )
    today = timezone.localdate()
    for household in households:
        for resident in household.current_residents:
            resident.age = resident_age(resident, today)  # type: ignore[attr-defined]  # shown by the page
    return households


def household_residents(household: Household) -> list[Resident]:
    """Everyone of a household, current first, each with its age today."""
    residents = list(household.residents.order_by("status", "id"))
    today = timezone.localdate()
    for resident in residents:
        resident.age = resident_age(resident, today)  # type: ignore[attr-defined]  # shown by the template
    return residents


def current_resident_count(household: Household) -> int:
    return Resident.objects.filter(household=household, status=LifeStatus.CURRENT).count()


def household_of(resident_id: int) -> int | None:
    household: int | None = (
        Resident.objects.filter(pk=resident_id).values_list("household_id", flat=True).first()
    )
    return household


def resident_emergency_contacts(resident: Resident) -> list[EmergencyContact]:
    """A resident's active 紧急联系人, key holders first."""
    return list(EmergencyContact.objects.active().filter(resident=resident))


def household_emergency_contacts(household_id: int) -> list[EmergencyContact]:
    """The active contacts of a household's current residents, key holders first."""
    return list(
        EmergencyContact.objects.active()
        .filter(resident__household_id=household_id, resident__status=LifeStatus.CURRENT)
        .select_related("resident")
        .order_by("-holds_key", "resident_id", "id")
    )


def household_living_alone_elder(household_id: int, on: date | None = None) -> int | None:
    """The id of the household's 独居老人 in force today (the derived group, SPEC "Groups"),
    or None."""
    day = on or timezone.localdate()
    return (
        GroupMembership.objects.filter(
            household_id=household_id,
            group=GroupCode.LIVING_ALONE,
            ended_on__isnull=True,
            since__lte=day,
        )
        .values_list("resident_id", flat=True)
        .first()
    )
