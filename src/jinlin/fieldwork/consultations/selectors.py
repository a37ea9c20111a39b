"""Reads of consultations and of the think tank 智囊团 one may consult."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import User
from jinlin.fieldwork import access
from jinlin.fieldwork.consultations.models import THINK_TANK_GROUPS, Consultation
from jinlin.people.models import GroupMembership, LifeStatus, Resident


def visible_consultations(user: User) -> QuerySet[Consultation]:
    return Consultation.objects.filter(access.fieldwork_scope(user).q())


def access_consultation(user: User, consultation_id: int) -> Consultation:
    try:
        return (
            visible_consultations(user)
            .select_related("veteran", "recorded_by")
            .get(pk=consultation_id)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该咨询记录") from None


def consultation_list(user: User) -> QuerySet[Consultation]:
    return (
        visible_consultations(user)
        .select_related("veteran", "recorded_by")
        .order_by("-asked_on", "-id")
    )


def consultation_case_links(item: Consultation) -> list[Any]:
    """The cases this consultation is evidence of (reverse relation: no import of cases)."""
    return list(item.case_links.select_related("case"))


def think_tank(user: User) -> QuerySet[Resident]:
    """Residents one may consult: current members of 三老 groups and talents."""
    scope = access.fieldwork_scope(user)
    today_ = timezone.localdate()
    return (
        Resident.objects.filter(scope.q(), status=LifeStatus.CURRENT)
        .filter(
            pk__in=GroupMembership.objects.filter(
                group__in=THINK_TANK_GROUPS, ended_on__isnull=True, since__lte=today_
            ).values("resident_id")
        )
        .select_related("household__building__compound")
        .order_by("compound_id", "id")
    )
