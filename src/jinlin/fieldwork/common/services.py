"""Checks every fieldwork write shares: who may write, dates, and places in the actor's scope.

Each part's services refuse with these, so a refusal reads the same in every part.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from jinlin.core.models import User
from jinlin.fieldwork import access
from jinlin.people.models import Resident
from jinlin.places.models import Compound, Household

MSG_NOT_WRITER = "您的角色不能登记走访、巡查、民声或个案"
MSG_DATE_IN_FUTURE = "日期不能晚于今天"
MSG_HOUSEHOLD_OUTSIDE = "没有找到该户，或该户不在您的包片内"
MSG_RESIDENT_OUTSIDE = "没有找到该居民，或该居民不在您的包片内"
MSG_RESIDENT_GONE = "该居民已迁出或已故"
MSG_COMPOUND_OUTSIDE = "没有找到该小区，或该小区不在您的包片内"
MSG_BUILDING_NOT_IN_COMPOUND = "该楼组不属于所选小区"
MSG_CATEGORY_UNKNOWN = "未知的类别"


def refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def require_writer(actor: User) -> None:
    if not access.can_write(actor):
        raise PermissionDenied(MSG_NOT_WRITER)


def not_future(day: date, field: str, message: str = MSG_DATE_IN_FUTURE) -> None:
    if day > timezone.localdate():
        raise refuse(field, message)


def visible_household(
    actor: User, household_id: int | None, field: str = "household_id"
) -> Household:
    household = (
        Household.objects.filter(access.fieldwork_scope(actor).q())
        .select_related("building__compound")
        .filter(pk=household_id)
        .first()
        if household_id is not None
        else None
    )
    if household is None:
        raise refuse(field, MSG_HOUSEHOLD_OUTSIDE)
    return household


def visible_resident(actor: User, resident_id: int | None, field: str = "resident_id") -> Resident:
    resident = (
        access.visible_residents_q(actor)
        .select_related("household__building")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise refuse(field, MSG_RESIDENT_OUTSIDE)
    return resident


def visible_compound(actor: User, compound_id: int | None, field: str = "compound_id") -> Compound:
    scope = access.fieldwork_scope(actor)
    condition = Q(pk__in=[])
    if scope.everything:
        condition = Q()
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(pk__in=scope.compound_ids)
    compound = (
        Compound.objects.filter(condition, pk=compound_id).first()
        if compound_id is not None
        else None
    )
    if compound is None:
        raise refuse(field, MSG_COMPOUND_OUTSIDE)
    return compound
