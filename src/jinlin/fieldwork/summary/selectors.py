"""Reads across the parts: the worker's today page, the area dashboard (aggregates, no personal
data) and the subdistrict's counts per area.

Each function runs a fixed number of queries whatever the amount of data (tests assert it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from jinlin.core.access import Scope
from jinlin.core.models import Role, User
from jinlin.fieldwork.cases.models import OPEN_STATUSES, Case, CaseAction, CaseStatus
from jinlin.fieldwork.concerns.models import Concern, Subcategory
from jinlin.fieldwork.concerns.selectors import (
    ConcernLine,
    concern_lines,
    late_concerns,
    visible_concerns,
)
from jinlin.fieldwork.handover.models import ReassignedItem
from jinlin.fieldwork.handover.selectors import handed_to
from jinlin.fieldwork.patrols.models import Finding, FindingKind, Severity
from jinlin.fieldwork.visits.models import Visit
from jinlin.fieldwork.visits.selectors import DueList, DueRow, due_for_scope, due_list
from jinlin.places.models import Compound

NEW_CONCERN_DAYS = 7
ACTION_LOOKAHEAD_DAYS = 3
TODAY_DUE_LIMIT = 60
TODAY_ITEMS_LIMIT = 20


@dataclass(frozen=True, slots=True)
class ActionLine:
    """A case action as 今日 lists it, read as values (no model instances)."""

    pk: int
    description: str
    due_on: date
    case_id: int
    case_title: str


def actions_due(user: User, on: date | None = None) -> list[ActionLine]:
    """Open actions the user owns, overdue or due within a few days (SPEC "切")."""
    day = on or timezone.localdate()
    return [
        ActionLine(*row)
        for row in CaseAction.objects.filter(
            owner=user,
            done_at__isnull=True,
            due_on__lte=day + timedelta(days=ACTION_LOOKAHEAD_DAYS),
            case__closed_at__isnull=True,
        )
        .order_by("due_on", "id")
        .values_list("id", "description", "due_on", "case_id", "case__title")[:TODAY_ITEMS_LIMIT]
    ]


def new_concerns(
    user: User, on: date | None = None, *, days: int = NEW_CONCERN_DAYS
) -> list[ConcernLine]:
    day = on or timezone.localdate()
    since = timezone.make_aware(datetime.combine(day - timedelta(days=days), time.min))
    return concern_lines(
        visible_concerns(user)
        .filter(received_at__gte=since)
        .order_by("-received_at", "-id")[:TODAY_ITEMS_LIMIT],
        with_case=True,
    )


# 今日 folds what is overdue by more than this: a month-old backlog should not push today's
# work off the first screen (it stays one tap away, with its count).
FOLD_AFTER_DAYS = 30


@dataclass
class Today:
    on: date
    due: DueList
    actions: list[ActionLine]
    concerns: list[ConcernLine]
    # 扫码, unanswered 2 working days
    late_concerns: list[ConcernLine] = field(default_factory=list)
    handed: list[ReassignedItem] = field(default_factory=list)  # 转交给我, still open and mine

    @property
    def due_recent(self) -> list[DueRow]:
        return [row for row in self.due.rows if row.days_overdue <= FOLD_AFTER_DAYS]

    @property
    def due_folded(self) -> list[DueRow]:
        return [row for row in self.due.rows if row.days_overdue > FOLD_AFTER_DAYS]

    @property
    def actions_recent(self) -> list[ActionLine]:
        return [a for a in self.actions if (self.on - a.due_on).days <= FOLD_AFTER_DAYS]

    @property
    def actions_folded(self) -> list[ActionLine]:
        return [a for a in self.actions if (self.on - a.due_on).days > FOLD_AFTER_DAYS]


def today(user: User, on: date | None = None, *, due_limit: int = TODAY_DUE_LIMIT) -> Today:
    """The morning page: what was handed to the user, the most overdue visits, the user's actions
    due, new concerns (each capped)."""
    day = on or timezone.localdate()
    return Today(
        on=day,
        due=due_list(user, day, limit=due_limit),
        actions=actions_due(user, day),
        concerns=new_concerns(user, day),
        late_concerns=late_concerns(
            visible_concerns(user), timezone.now(), limit=TODAY_ITEMS_LIMIT
        ),
        handed=handed_to(user),
    )


# --- the area dashboard -----------------------------------------------------------------------

AGE_BUCKETS = (
    ("lt7", "7天内", 0, 7),
    ("lt30", "7–30天", 7, 30),
    ("lt90", "30–90天", 30, 90),
    ("older", "90天以上", 90, None),
)


@dataclass
class Dashboard:
    on: date
    status_counts: dict[str, int]
    cases_by_category: list[dict[str, Any]]
    overdue_by_worker: list[dict[str, Any]]
    findings_by_compound: list[dict[str, Any]]
    months: list[str]
    garbage_points: list[dict[str, Any]]
    concerns_by_subcategory: list[dict[str, Any]]
    overdue_actions: int
    due_total: int
    overdue_total: int
    chart_data: dict[str, Any] = field(default_factory=dict)
    # The residents' door: concerns unanswered for 2 working days, and those rated 不满意.
    late_concerns: list[ConcernLine] = field(default_factory=list)
    review_concerns: list[Concern] = field(default_factory=list)


def _month_starts(on: date, count: int) -> list[date]:
    months = []
    year, month = on.year, on.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def dashboard(area_id: int, on: date | None = None) -> Dashboard:
    """Aggregates of one area (no personal data): cases, overdue visits, patrols, garbage sorting."""
    day = on or timezone.localdate()
    now = timezone.now()
    cases = Case.objects.filter(area_id=area_id)
    status_counts = {status: 0 for status in CaseStatus.values}
    for status_row in cases.values("status").annotate(n=Count("id")):
        status_counts[status_row["status"]] = status_row["n"]

    bucket_filters = {}
    for key, _label, low, high in AGE_BUCKETS:
        condition = Q(opened_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(opened_at__gt=now - timedelta(days=high))
        bucket_filters[key] = Count("id", filter=condition)
    labels = dict(Subcategory.choices)
    cases_by_category: list[dict[str, Any]] = [
        {
            "subcategory": row["subcategory"],
            "label": labels.get(row["subcategory"], row["subcategory"]),
            **{key: row[key] for key, *_ in AGE_BUCKETS},  # type: ignore[literal-required]  # annotated buckets
            "total": sum(row[key] for key, *_ in AGE_BUCKETS),  # type: ignore[literal-required]  # annotated buckets
        }
        for row in cases.filter(status__in=OPEN_STATUSES)
        .values("subcategory")
        .annotate(**bucket_filters)
    ]
    cases_by_category.sort(key=lambda row: (-row["total"], row["subcategory"]))

    scope = Scope(area_ids=frozenset([area_id]))
    dues, places = due_for_scope(scope, day)
    workers = _workers_with_patches(area_id)
    overdue_by_worker: list[dict[str, Any]] = []
    covered: set[int] = set()
    for worker, compound_ids, building_ids in workers:
        mine = [
            d
            for d in dues
            if places[d.household_id][0] in compound_ids
            or places[d.household_id][1] in building_ids
        ]
        covered.update(d.household_id for d in mine)
        overdue_by_worker.append(
            {
                "worker": str(worker),
                "worker_id": worker.pk,
                "due": len(mine),
                "overdue": sum(1 for d in mine if d.days_overdue > 0),
                "overdue_7": sum(1 for d in mine if d.days_overdue > 7),
            }
        )
    unassigned = [d for d in dues if d.household_id not in covered]
    if unassigned:
        overdue_by_worker.append(
            {
                "worker": "（未包片）",
                "worker_id": None,
                "due": len(unassigned),
                "overdue": sum(1 for d in unassigned if d.days_overdue > 0),
                "overdue_7": sum(1 for d in unassigned if d.days_overdue > 7),
            }
        )

    month_starts = _month_starts(day, 12)
    compounds = dict(
        Compound.objects.filter(area_id=area_id).order_by("name").values_list("id", "name")
    )
    per_compound: dict[int, dict[str, Any]] = {
        cid: {
            "compound_id": cid,
            "name": name,
            "months": [0] * 12,
            "problems": [0] * 12,
            "total": 0,
            "problem_total": 0,
        }
        for cid, name in compounds.items()
    }
    index = {m: i for i, m in enumerate(month_starts)}
    for finding in (
        Finding.objects.filter(area_id=area_id, found_on__gte=month_starts[0], found_on__lte=day)
        # Grouped by day and bucketed here: SQLite truncates dates in a Python function per finding.
        .values("compound_id", "found_on")
        .annotate(n=Count("id"), problems=Count("id", filter=~Q(severity=Severity.NONE)))
    ):
        month = finding["found_on"].replace(day=1)
        target = per_compound.get(finding["compound_id"])
        if target is None or month not in index:
            continue
        target["months"][index[month]] += finding["n"]
        target["problems"][index[month]] += finding["problems"]
        target["total"] += finding["n"]
        target["problem_total"] += finding["problems"]

    garbage_points = []
    for point in (
        Finding.objects.filter(
            area_id=area_id,
            kind=FindingKind.GARBAGE,
            found_on__gt=day - timedelta(days=90),
            found_on__lte=day,
        )
        .values("collection_point_id", "collection_point__name", "compound__name")
        .annotate(checks=Count("id"), ok=Count("id", filter=Q(is_up_to_standard=True)))
        .order_by("compound__name", "collection_point__name")
    ):
        garbage_points.append(
            {
                "point": point["collection_point__name"],
                "compound": point["compound__name"],
                "checks": point["checks"],
                "ok": point["ok"],
                "rate": round(100 * point["ok"] / point["checks"]) if point["checks"] else 0,
            }
        )

    since = timezone.make_aware(datetime.combine(day - timedelta(days=90), time.min))
    concerns_by_subcategory = [
        {"label": labels.get(row["subcategory"], row["subcategory"]), "n": row["n"]}
        for row in Concern.objects.filter(area_id=area_id, received_at__gte=since)
        .values("subcategory")
        .annotate(n=Count("id"))
        .order_by("-n", "subcategory")
    ]
    open_cases = cases.filter(status__in=OPEN_STATUSES).values("id")
    overdue_actions = CaseAction.objects.filter(
        case_id__in=open_cases, done_at__isnull=True, due_on__lt=day
    ).count()

    findings_rows = list(per_compound.values())
    month_labels = [f"{m.year}-{m.month:02d}" for m in month_starts]
    chart_data = {
        "cases": {
            "categories": [row["label"] for row in cases_by_category],
            "series": [
                {"name": label, "data": [row[key] for row in cases_by_category]}
                for key, label, *_ in AGE_BUCKETS
            ],
        },
        "visits": {
            "workers": [row["worker"] for row in overdue_by_worker],
            "overdue": [row["overdue"] for row in overdue_by_worker],
            "due_today": [row["due"] - row["overdue"] for row in overdue_by_worker],
        },
        "findings": {
            "months": month_labels,
            "series": [{"name": row["name"], "data": row["months"]} for row in findings_rows],
        },
        "garbage": {
            "points": [f"{row['compound']} {row['point']}" for row in garbage_points],
            "rates": [row["rate"] for row in garbage_points],
        },
    }
    return Dashboard(
        on=day,
        status_counts=status_counts,
        cases_by_category=cases_by_category,
        overdue_by_worker=overdue_by_worker,
        findings_by_compound=findings_rows,
        months=month_labels,
        garbage_points=garbage_points,
        concerns_by_subcategory=concerns_by_subcategory,
        overdue_actions=overdue_actions,
        due_total=len(dues),
        overdue_total=sum(1 for d in dues if d.days_overdue > 0),
        chart_data=chart_data,
        late_concerns=late_concerns(Concern.objects.filter(area_id=area_id), now),
        review_concerns=list(
            Concern.objects.filter(area_id=area_id, needs_secretary_review=True)
            .select_related("compound", "building")
            .order_by("rated_at", "id")[:50]
        ),
    )


def _workers_with_patches(area_id: int) -> list[tuple[User, set[int], set[int]]]:
    """The area's workers with their patch compounds and buildings, in two queries."""
    workers: dict[int, tuple[User, set[int], set[int]]] = {
        user.pk: (user, set(), set())
        for user in User.objects.filter(area_id=area_id, role=Role.WORKER, is_active=True).order_by(
            "display_name", "username"
        )
    }
    patch_compounds = User.patch_compounds.through.objects.filter(
        user_id__in=list(workers)
    ).values_list("user_id", "compound_id")
    for user_id, compound_id in patch_compounds:
        workers[user_id][1].add(compound_id)
    patch_buildings = User.patch_buildings.through.objects.filter(
        user_id__in=list(workers)
    ).values_list("user_id", "building_id")
    for user_id, building_id in patch_buildings:
        workers[user_id][2].add(building_id)
    return list(workers.values())


# --- the subdistrict's overview ------------------------------------------------------------


@dataclass
class AreaWork:
    """How the work of one area stands, in counts (the subdistrict's overview): no person."""

    overdue_visits: int = 0  # households overdue for a care visit
    due_visits: int = 0  # households due today or overdue
    visits_30d: int = 0
    concerns_30d: int = 0
    open_cases: int = 0
    old_open_cases: int = 0  # open for more than 30 days
    # 群众评单 of the door's concerns, by Rating value (all time): shown suppressed (overview).
    ratings: dict[str, int] = field(default_factory=dict)


STALE_CASE_DAYS = 30


RECENT_DAYS = 30


def subdistrict_work(
    area_ids: list[int], on: date | None = None, *, kept: bool = True
) -> dict[int, AreaWork]:
    """Per area: care visits due and overdue (the same rule as every worker's today page, for
    all the areas at once), visits and concerns of the last 30 days, open cases and those open
    for more than 30 days. A fixed number of queries, whatever the number of areas."""
    day = on or timezone.localdate()
    work = {area_id: AreaWork() for area_id in area_ids}
    if not area_ids:
        return work
    dues, places = due_for_scope(Scope(area_ids=frozenset(area_ids)), day, kept=kept)
    area_of_compound = dict(
        Compound.objects.filter(area_id__in=area_ids).values_list("pk", "area_id")
    )
    for item in dues:
        row = work[area_of_compound[places[item.household_id][0]]]
        row.due_visits += 1
        row.overdue_visits += item.days_overdue > 0
    since = day - timedelta(days=RECENT_DAYS - 1)
    for area_id, count in (
        Visit.objects.filter(area_id__in=area_ids, visited_on__gte=since, visited_on__lte=day)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    ):
        work[area_id].visits_30d = count
    start = timezone.make_aware(datetime.combine(since, time.min))
    for area_id, count in (
        Concern.objects.filter(area_id__in=area_ids, received_at__gte=start)
        .values("area_id")
        .annotate(n=Count("id"))
        .values_list("area_id", "n")
    ):
        work[area_id].concerns_30d = count
    for area_id, rating, count in (
        Concern.objects.filter(area_id__in=area_ids)
        .exclude(rating="")
        .values("area_id", "rating")
        .annotate(n=Count("id"))
        .values_list("area_id", "rating", "n")
    ):
        work[area_id].ratings[rating] = count
    stale = timezone.make_aware(datetime.combine(day - timedelta(days=STALE_CASE_DAYS), time.min))
    for case_row in (
        Case.objects.filter(area_id__in=area_ids, status__in=OPEN_STATUSES)
        .values("area_id")
        .annotate(n=Count("id"), old=Count("id", filter=Q(opened_at__lt=stale)))
    ):
        work[case_row["area_id"]].open_cases = case_row["n"]
        work[case_row["area_id"]].old_open_cases = case_row["old"]
    return work
