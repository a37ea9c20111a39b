"""Reads of 转交: what a leaving worker holds, who may take it, and what was handed to whom.

Each function runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.models import Case, CaseAction
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import open_concerns
from jinlin.fieldwork.handover.models import ReassignedItem, Reassignment
from jinlin.places.models import Building, Compound

# 今日 shows what was handed to the user this many days back (while still open and its).
RECENT_HANDOVER_DAYS = 14
TODAY_HANDOVER_LIMIT = 30


def area_workers(area_id: int, *, active_only: bool = True) -> list[User]:
    """The workers 社工 of an area, by name: who may leave, who may take over."""
    workers = User.objects.filter(area_id=area_id, role=Role.WORKER)
    if active_only:
        workers = workers.filter(is_active=True)
    return list(workers.order_by("display_name", "username"))


def open_cases_of(user: User) -> QuerySet[Case]:
    return Case.objects.filter(owner=user, closed_at__isnull=True)


def open_concerns_of(user: User) -> QuerySet[Concern]:
    return open_concerns(Concern.objects.filter(owner=user))


def open_actions_of(user: User) -> QuerySet[CaseAction]:
    return CaseAction.objects.filter(owner=user, done_at__isnull=True, case__closed_at__isnull=True)


@dataclass
class Holding:
    """What a worker holds that a 转交 moves: open cases, concerns and actions, and its patch."""

    worker: User
    cases: int
    concerns: int
    actions: int
    closed_cases: int  # stay with their owner
    compounds: list[Compound] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.cases or self.concerns or self.actions or self.compounds or self.buildings)

    @property
    def patch_places(self) -> list[str]:
        return [c.name for c in self.compounds] + [
            f"{b.compound.name}{b.label}" for b in self.buildings
        ]


def holding(worker: User) -> Holding:
    return Holding(
        worker=worker,
        cases=open_cases_of(worker).count(),
        concerns=open_concerns_of(worker).count(),
        actions=open_actions_of(worker).count(),
        closed_cases=Case.objects.filter(owner=worker, closed_at__isnull=False).count(),
        compounds=list(worker.patch_compounds.order_by("name")),
        buildings=list(
            worker.patch_buildings.select_related("compound").order_by("compound__name", "sort_key")
        ),
    )


def worker_or_none(user_id: int) -> User | None:
    return User.objects.filter(role=Role.WORKER, pk=user_id).first()


def area_worker_or_none(area_id: int, user_id: Any) -> User | None:
    """A worker of the area (active or not: one who left may have its account closed)."""
    try:
        return User.objects.filter(area_id=area_id, role=Role.WORKER, pk=int(user_id)).first()
    except (TypeError, ValueError):
        return None


def reassignment_or_404(user: User, area_id: int, reassignment_id: Any) -> Reassignment:
    if not access.can_hand_over(user, area_id):
        raise Http404("没有找到")
    try:
        return Reassignment.objects.select_related("from_user", "to_user", "actor", "area").get(
            pk=int(reassignment_id), area_id=area_id
        )
    except (Reassignment.DoesNotExist, TypeError, ValueError):
        raise Http404("没有找到该转交记录") from None


def reassignment_items(reassignment: Reassignment) -> dict[str, list[Any]]:
    items = list(reassignment.items.select_related("case", "concern", "from_user").order_by("id"))
    return {
        "cases": [item.case for item in items if item.case is not None],
        "concerns": [item.concern for item in items if item.concern is not None],
    }


def handed_to(user: User, *, days: int = RECENT_HANDOVER_DAYS) -> list[ReassignedItem]:
    """Cases and concerns handed to the user lately that are still open and still its: the
    first thing on its 今日 after a colleague left."""
    since = timezone.now() - timedelta(days=days)
    # Most mornings nothing was handed over: a one-index probe answers that before the query
    # of nine joins (whose planning alone costs PostgreSQL 2 ms) is built and sent.
    if not Reassignment.objects.filter(to_user=user, at__gte=since).exists():
        return []
    return list(
        ReassignedItem.objects.filter(reassignment__to_user=user, reassignment__at__gte=since)
        .filter(
            Q(case__owner=user, case__closed_at__isnull=True)
            | Q(concern__owner=user, concern__closed_at__isnull=True)
        )
        .select_related(
            "reassignment__from_user",
            "from_user",
            "case__compound",
            "concern__compound",
            "concern__building",
        )
        .order_by("-reassignment__at", "-id")[:TODAY_HANDOVER_LIMIT]
    )
