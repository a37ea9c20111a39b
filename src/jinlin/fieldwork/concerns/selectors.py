"""Reads of concerns 民声诉求, already limited by access."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import User
from jinlin.fieldwork import access
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.due import is_reply_late
from jinlin.places.models import building_label


def visible_concerns(user: User) -> QuerySet[Concern]:
    """The concerns of the user's places, and those it follows up (跟进人, e.g. handed to it)."""
    scope = access.fieldwork_scope(user)
    if scope.everything:  # Q() | Q(owner…) would be the owner's alone
        return Concern.objects.all()
    condition = scope.q()
    if user.is_authenticated and user.role in access.FIELDWORK_ROLES:
        condition |= Q(owner_id=user.pk)
    return Concern.objects.filter(condition)


def open_concerns(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Concerns still to be followed up: not closed, nor answered by a closed case (as the
    resident sees it, is_closed_for_resident), unless reopened by a 不满意 rating."""
    return concerns.filter(closed_at__isnull=True).filter(
        Q(needs_secretary_review=True)
        | ~Exists(_case_links().filter(concern_id=OuterRef("pk"), case__closed_at__isnull=False))
    )


def access_concern(user: User, concern_id: int) -> Concern:
    try:
        return (
            visible_concerns(user)
            .select_related(
                "resident", "household__building__compound", "compound", "recorded_by", "owner"
            )
            .get(pk=concern_id)
        )
    except (Concern.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该诉求") from None


def _has_case() -> Exists:
    """Whether a case was opened from the concern of the outer query (已立案)."""
    return Exists(_case_links().filter(concern_id=OuterRef("pk")))


def _case_links() -> QuerySet[Any]:
    """Case evidence rows (cases.CaseEvidence), through the relation the cases part declares on
    concerns: cases sit above concerns, which never import them."""
    return Concern.case_links.rel.related_model.objects.all()  # type: ignore[attr-defined]  # a reverse relation: cases sit above


def concern_list(
    user: User,
    *,
    q: str = "",
    scope: str = "",
    subcategory: str = "",
    channel: str = "",
    urgency: str = "",
    compound_id: int | None = None,
    has_case: bool | None = None,
) -> QuerySet[Concern]:
    """Concerns the user may see, searched in the words, the real need and the resident's name."""
    concerns = visible_concerns(user).select_related(
        "compound", "building", "resident", "household"
    )
    q = q.strip()
    if q:
        concerns = concerns.filter(
            Q(words__icontains=q) | Q(real_need__icontains=q) | Q(resident__name__icontains=q)
        )
    for name, value in (
        ("scope", scope),
        ("subcategory", subcategory),
        ("channel", channel),
        ("urgency", urgency),
    ):
        if value:
            concerns = concerns.filter(**{name: value})
    if compound_id:
        concerns = concerns.filter(compound_id=compound_id)
    if has_case is not None:
        concerns = concerns.filter(_has_case() if has_case else ~_has_case())
    return concerns.order_by("-received_at", "-id")


def mark_cases(concerns: Iterable[Concern]) -> list[Concern]:
    """The concerns of a page, each with `has_case` set, in one query. (As an `Exists` in the
    list's SELECT, PostgreSQL hashed every case link of the district, 50,000 of them, before
    reading the first row: 8 of the 24 ms of a secretary's 民声 page.)"""
    page = list(concerns)
    linked = case_ids_by_concern([concern.pk for concern in page])
    for concern in page:
        concern.has_case = concern.pk in linked  # type: ignore[attr-defined]  # shown by the list
    return page


def concern_case_links(concern: Concern) -> list[Any]:
    """The cases this concern is evidence of."""
    return list(concern.case_links.select_related("case"))


def concern_handovers(concern: Concern) -> list[Any]:
    """The concern's 转交记录, oldest first, through the relation the handover part declares."""
    return list(
        concern.reassignments.select_related(
            "reassignment__actor", "reassignment__to_user", "from_user"
        ).order_by("reassignment__at", "id")
    )


def is_open(concern: Concern) -> bool:
    return open_concerns(Concern.objects.filter(pk=concern.pk)).exists()


def case_ids_by_concern(concern_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for concern_id, case_id in (
        _case_links().filter(concern_id__in=concern_ids).values_list("concern_id", "case_id")
    ):
        result.setdefault(concern_id, []).append(case_id)
    return result


def case_statuses_by_concern(concern_ids: list[int]) -> dict[int, list[str]]:
    """The status (CaseStatus value) of each case opened from these concerns, in one query."""
    result: dict[int, list[str]] = {}
    for concern_id, status in (
        _case_links()
        .filter(concern_id__in=concern_ids)
        .order_by("case_id")
        .values_list("concern_id", "case__status")
    ):
        result.setdefault(concern_id, []).append(status)
    return result


# --- the residents' door ------------------------------------------------------------------------


def concern_by_receipt(receipt: str) -> Concern | None:
    """A concern by its receipt (already normalised), for the resident's page; None if unknown."""
    if not receipt:
        return None
    return (
        Concern.objects.filter(receipt=receipt)
        .select_related("building__compound")
        .annotate(
            case_closed=Exists(
                _case_links().filter(concern_id=OuterRef("pk"), case__closed_at__isnull=False)
            )
        )
        .first()
    )


def is_closed_for_resident(concern: Concern) -> bool:
    """Closed as the resident sees it: the concern itself, or a case it joined (切)."""
    if concern.closed_at is not None:
        return True
    if concern.needs_secretary_review:  # reopened by its rating: the secretary's look first
        return False
    closed = getattr(concern, "case_closed", None)
    if closed is None:
        closed = _case_links().filter(concern_id=concern.pk, case__closed_at__isnull=False).exists()
    return bool(closed)


def unanswered_public_concerns(concerns: QuerySet[Concern], now: datetime) -> QuerySet[Concern]:
    """Concerns from the door with no reply yet received at least two days ago: the candidates for
    lateness (due.is_reply_late decides in working days)."""
    return concerns.filter(
        receipt__isnull=False, replied_at__isnull=True, received_at__lte=now - timedelta(days=2)
    )


@dataclass(frozen=True, slots=True)
class ConcernLine:
    """A concern as a list shows it (今日, the dashboard, the digest), read as values: twenty
    concerns with their compound and building as model instances took twice the CPU of the
    query itself (今日 under load, docs/performance.md)."""

    pk: int
    area_id: int
    words: str
    real_need: str
    subcategory: str
    channel: str
    urgency: str
    received_at: datetime
    compound_name: str | None
    building_number: str | None
    building_stairwell: str | None
    has_case: bool = False

    @property
    def place(self) -> str:
        """绿园八村12号楼: where it was raised, as far as it is known."""
        building = (
            building_label(self.building_number, self.building_stairwell or "")
            if self.building_number is not None
            else ""
        )
        return (self.compound_name or "") + building


_LINE_FIELDS = (
    "id",
    "area_id",
    "words",
    "real_need",
    "subcategory",
    "channel",
    "urgency",
    "received_at",
    "compound__name",
    "building__number",
    "building__stairwell",
)


def concern_lines(concerns: QuerySet[Concern], *, with_case: bool = False) -> list[ConcernLine]:
    """The concerns of an ordered, sliced query as lines, in one query; `with_case` tells
    whether a case was opened from each (已立案)."""
    fields: tuple[str, ...] = _LINE_FIELDS
    if with_case:
        concerns = concerns.annotate(has_case=_has_case())
        fields = (*_LINE_FIELDS, "has_case")
    return [ConcernLine(*row) for row in concerns.values_list(*fields)]


def late_concerns(
    concerns: QuerySet[Concern], now: datetime, *, limit: int = 50
) -> list[ConcernLine]:
    """Unanswered door concerns past their 2-working-day deadline, oldest first (one query).

    The deadline never comes earlier for a concern received later (due.reply_deadline is
    monotone, tests/fieldwork/test_reply_deadline.py), so the late ones are the first of the
    candidates oldest first: `limit` of them are read, not a year's backlog."""
    local_now = timezone.localtime(now)
    candidates = concern_lines(
        unanswered_public_concerns(concerns, now).order_by("received_at", "id")[:limit]
    )
    return [
        concern
        for concern in candidates
        if is_reply_late(timezone.localtime(concern.received_at), local_now)
    ]
