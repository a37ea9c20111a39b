"""Reads of fieldwork shaped for pages, API and the command, already limited by access.

Each function runs a fixed number of queries whatever the amount of data (tests assert it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from jinlin.core.access import Scope
from jinlin.core.idnumber import mask_phone
from jinlin.core.models import Role, User
from jinlin.fieldwork import access
from jinlin.fieldwork.due import DueVisit, Membership, due_visits
from jinlin.fieldwork.models import (
    OPEN_STATUSES,
    SENSITIVE_PROPOSAL_FIELDS,
    Case,
    CaseAction,
    CaseEvidence,
    CaseStatus,
    CollectionPoint,
    Concern,
    Finding,
    FindingKind,
    ProposalField,
    RecordProposal,
    Severity,
    Subcategory,
    Visit,
    VisitInterval,
)
from jinlin.fieldwork.services import default_intervals
from jinlin.people.groups import GROUPS, SENSITIVE_CODES, GroupCode
from jinlin.people.masking import HIDDEN
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import Compound, Household

SENSITIVE_REASON = "重点关爱对象"
NEW_CONCERN_DAYS = 7
ACTION_LOOKAHEAD_DAYS = 3
DUE_LIST_LIMIT = 200
TODAY_DUE_LIMIT = 60
TODAY_ITEMS_LIMIT = 20


def scope_q(scope: Scope, prefix: str = "") -> Q:
    """Scope.q() for a model reached through `prefix` (e.g. "resident__")."""
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(**{f"{prefix}area_id__in": scope.area_ids})
    if scope.compound_ids:
        condition |= Q(**{f"{prefix}compound_id__in": scope.compound_ids})
    if scope.building_ids:
        condition |= Q(**{f"{prefix}building_id__in": scope.building_ids})
    return condition


def intervals_by_area(area_ids: set[int]) -> dict[int, dict[str, int]]:
    """Each area's visit intervals: its own settings over the SPEC defaults."""
    result = {area_id: default_intervals() for area_id in area_ids}
    for row in VisitInterval.objects.filter(area_id__in=area_ids).values(
        "area_id", "group", "days"
    ):
        result[row["area_id"]][row["group"]] = row["days"]
    return result


def group_reason(group: str, interval: int) -> str:
    """'独居老人 · 每7天'; sensitive groups (困难、大病、失独) are not named in lists."""
    label = SENSITIVE_REASON if group in SENSITIVE_CODES else GROUPS[GroupCode(group)].label
    return f"{label} · 每{interval}天"


@dataclass
class DueRow:
    due: DueVisit
    household: Household
    names: list[str]
    reason: str
    compound_id: int
    building_id: int

    @property
    def days_overdue(self) -> int:
        return self.due.days_overdue

    @property
    def is_never_visited(self) -> bool:
        return self.due.last_visit is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "household_id": self.household.pk,
            "address": self.household.address,
            "residents": self.names,
            "reason": self.reason,
            "interval_days": self.due.interval_days,
            "due_on": self.due.due_on.isoformat(),
            "days_overdue": self.due.days_overdue,
            "last_visit": self.due.last_visit.isoformat() if self.due.last_visit else None,
        }


@dataclass
class DueList:
    rows: list[DueRow]
    total: int
    overdue: int


def _due_for_scope(
    scope: Scope, on: date, horizon_days: int = 0
) -> tuple[list[DueVisit], dict[int, tuple[int, int]]]:
    """Due visits of the households in scope, and each household's (compound, building)."""
    visiting = list(default_intervals())
    # Residents of the scope first (their own area index), then their memberships: the work
    # grows with the patch, not with the district. People gone before `on` cannot be due.
    people = Resident.objects.filter(scope.q()).filter(
        Q(status=LifeStatus.CURRENT) | Q(status_date__gt=on)
    )
    rows = list(
        GroupMembership.objects.filter(resident_id__in=people.values("id"))
        .filter(group__in=visiting, since__lte=on + timedelta(days=horizon_days))
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values(
            "resident_id",
            "group",
            "since",
            "ended_on",
            "resident__household_id",
            "resident__status",
            "resident__status_date",
            "resident__area_id",
            "resident__compound_id",
            "resident__building_id",
        )
    )
    if not rows:
        return [], {}
    places: dict[int, tuple[int, int]] = {}
    by_area: dict[int, list[Membership]] = defaultdict(list)
    for row in rows:
        household_id = row["resident__household_id"]
        places[household_id] = (row["resident__compound_id"], row["resident__building_id"])
        gone = row["resident__status"] != LifeStatus.CURRENT
        by_area[row["resident__area_id"]].append(
            Membership(
                household_id=household_id,
                resident_id=row["resident_id"],
                group=row["group"],
                since=row["since"],
                ended_on=row["ended_on"],
                left_on=(row["resident__status_date"] or on) if gone else None,
            )
        )
    # One index seek per household for its latest visit (a GROUP BY reads every visit).
    latest = Visit.objects.filter(household_id=OuterRef("pk"), visited_on__lte=on).order_by(
        "-visited_on"
    )
    last_visits = [
        (household_id, last)
        for household_id, last in Household.objects.filter(pk__in=list(places))
        .annotate(last=Subquery(latest.values("visited_on")[:1]))
        .values_list("pk", "last")
        if last is not None
    ]
    intervals = intervals_by_area(set(by_area))
    result: list[DueVisit] = []
    for area_id, memberships in by_area.items():
        result.extend(
            due_visits(
                memberships=memberships,
                visits=last_visits,
                intervals=intervals[area_id],
                on=on,
                horizon_days=horizon_days,
            )
        )
    result.sort(key=lambda item: (item.due_on, item.interval_days, item.household_id))
    return result, places


def due_list(user: User, on: date | None = None, *, limit: int = DUE_LIST_LIMIT) -> DueList:
    """Care visits due on `on` and overdue in the user's patch, most overdue first."""
    day = on or timezone.localdate()
    scope = access.fieldwork_scope(user)
    if scope.is_empty:
        return DueList([], 0, 0)
    dues, places = _due_for_scope(scope, day)
    shown = dues[:limit]
    households = {
        h.pk: h
        for h in Household.objects.filter(pk__in=[d.household_id for d in shown]).select_related(
            "building__compound"
        )
    }
    names: dict[int, str] = dict(
        Resident.objects.filter(pk__in={r for d in shown for r in d.resident_ids}).values_list(
            "id", "name"
        )
    )
    rows = [
        DueRow(
            due=item,
            household=households[item.household_id],
            names=[names[r] for r in item.resident_ids if r in names],
            reason=group_reason(item.reason_group, item.interval_days),
            compound_id=places[item.household_id][0],
            building_id=places[item.household_id][1],
        )
        for item in shown
    ]
    return DueList(rows=rows, total=len(dues), overdue=sum(1 for d in dues if d.days_overdue > 0))


def actions_due(user: User, on: date | None = None) -> list[CaseAction]:
    """Open actions the user owns, overdue or due within a few days (SPEC "切")."""
    day = on or timezone.localdate()
    return list(
        CaseAction.objects.filter(
            owner=user,
            done_at__isnull=True,
            due_on__lte=day + timedelta(days=ACTION_LOOKAHEAD_DAYS),
            case__closed_at__isnull=True,
        )
        .select_related("case")
        .only("id", "description", "due_on", "case_id", "case__title")
        .order_by("due_on", "id")[:TODAY_ITEMS_LIMIT]
    )


def new_concerns(
    user: User, on: date | None = None, *, days: int = NEW_CONCERN_DAYS
) -> list[Concern]:
    day = on or timezone.localdate()
    since = timezone.make_aware(datetime.combine(day - timedelta(days=days), time.min))
    return list(
        access.visible_concerns(user)
        .filter(received_at__gte=since)
        .annotate(has_case=Exists(CaseEvidence.objects.filter(concern_id=OuterRef("pk"))))
        .select_related("compound", "building")
        .only(
            "id",
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
        .order_by("-received_at", "-id")[:TODAY_ITEMS_LIMIT]
    )


@dataclass
class Today:
    on: date
    due: DueList
    actions: list[CaseAction]
    concerns: list[Concern]


def today(user: User, on: date | None = None, *, due_limit: int = TODAY_DUE_LIMIT) -> Today:
    """The morning page: the most overdue visits, the user's actions due, new concerns (each capped)."""
    day = on or timezone.localdate()
    return Today(
        on=day,
        due=due_list(user, day, limit=due_limit),
        actions=actions_due(user, day),
        concerns=new_concerns(user, day),
    )


# --- lists ----------------------------------------------------------------------------------


def case_list(user: User, *, status: str = "", mine: bool = False) -> QuerySet[Case]:
    cases = access.visible_cases(user).select_related("owner", "compound", "household__building")
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(
            Q(owner=user) | Q(pk__in=CaseAction.objects.filter(owner=user).values("case_id"))
        )
    return cases.order_by("-opened_at", "-id")


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
    concerns = access.visible_concerns(user).select_related(
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
    concerns = concerns.annotate(
        has_case=Exists(CaseEvidence.objects.filter(concern_id=OuterRef("pk")))
    )
    if has_case is not None:
        concerns = concerns.filter(has_case=has_case)
    return concerns.order_by("-received_at", "-id")


def patrol_list(user: User) -> QuerySet[Any]:
    return (
        access.visible_patrols(user)
        .select_related("compound", "worker")
        .annotate(
            finding_count=Count("findings", distinct=True),
            problem_count=Count(
                "findings", filter=~Q(findings__severity=Severity.NONE), distinct=True
            ),
        )
        .order_by("-patrolled_on", "-id")
    )


def visit_list(user: User, *, household_id: int | None = None) -> QuerySet[Visit]:
    visits = access.visible_visits(user).select_related(
        "household__building__compound", "worker", "resident"
    )
    if household_id is not None:
        visits = visits.filter(household_id=household_id)
    return visits.order_by("-visited_on", "-id")


def case_detail(case: Case) -> dict[str, Any]:
    """Everything a case page shows, in a fixed number of queries."""
    evidence = list(
        CaseEvidence.objects.filter(case=case)
        .select_related(
            "concern", "finding", "visit__household__building__compound", "consultation__veteran"
        )
        .order_by("added_at", "id")
    )
    actions = list(case.actions.select_related("owner").order_by("due_on", "id"))
    events = list(case.events.select_related("actor").order_by("at", "id"))
    helps = list(case.talent_help.select_related("talent").order_by("helped_on", "id"))
    return {"evidence": evidence, "actions": actions, "events": events, "talent_help": helps}


def talents(user: User, *, skill: str = "", area_id: int | None = None) -> list[dict[str, Any]]:
    """The talent pool 社区能人 in the user's scope, optionally those with a skill."""
    scope = access.fieldwork_scope(user)
    if scope.is_empty:
        return []
    today_ = timezone.localdate()
    memberships = (
        GroupMembership.objects.filter(scope_q(scope, "resident__"))
        .filter(
            group=GroupCode.TALENT,
            ended_on__isnull=True,
            since__lte=today_,
            resident__status=LifeStatus.CURRENT,
        )
        .select_related("resident__household__building__compound")
        .order_by("resident__compound_id", "resident__building__sort_key", "resident_id")
    )
    if area_id is not None:
        memberships = memberships.filter(resident__area_id=area_id)
    skill = skill.strip()
    rows = []
    for membership in memberships:
        skills = [str(s) for s in (membership.skills or [])]
        # Skills are a short JSON list; SQLite has no JSON "contains", so filter here.
        if skill and not any(skill in s for s in skills):
            continue
        resident = membership.resident
        rows.append(
            {
                "resident": resident,
                "resident_id": resident.pk,
                "name": resident.name,
                "address": resident.household.address,
                "skills": skills,
            }
        )
    return rows


def think_tank(user: User) -> QuerySet[Resident]:
    """Residents one may consult: current members of 三老 groups and talents."""
    from jinlin.fieldwork.models import THINK_TANK_GROUPS

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


# --- the area dashboard ----------------------------------------------------------------------

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
    for row in cases.values("status").annotate(n=Count("id")):
        status_counts[row["status"]] = row["n"]

    bucket_filters = {}
    for key, _label, low, high in AGE_BUCKETS:
        condition = Q(opened_at__lte=now - timedelta(days=low))
        if high is not None:
            condition &= Q(opened_at__gt=now - timedelta(days=high))
        bucket_filters[key] = Count("id", filter=condition)
    labels = dict(Subcategory.choices)
    cases_by_category = [
        {
            "subcategory": row["subcategory"],
            "label": labels.get(row["subcategory"], row["subcategory"]),
            **{key: row[key] for key, *_ in AGE_BUCKETS},
            "total": sum(row[key] for key, *_ in AGE_BUCKETS),
        }
        for row in cases.filter(status__in=OPEN_STATUSES)
        .values("subcategory")
        .annotate(**bucket_filters)
    ]
    cases_by_category.sort(key=lambda row: (-row["total"], row["subcategory"]))

    scope = Scope(area_ids=frozenset([area_id]))
    dues, places = _due_for_scope(scope, day)
    workers = _workers_with_patches(area_id)
    overdue_by_worker = []
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
    for row in (
        Finding.objects.filter(area_id=area_id, found_on__gte=month_starts[0], found_on__lte=day)
        # Grouped by day and bucketed here: SQLite truncates dates in a Python function per row.
        .values("compound_id", "found_on")
        .annotate(n=Count("id"), problems=Count("id", filter=~Q(severity=Severity.NONE)))
    ):
        month = row["found_on"].replace(day=1)
        target = per_compound.get(row["compound_id"])
        if target is None or month not in index:
            continue
        target["months"][index[month]] += row["n"]
        target["problems"][index[month]] += row["problems"]
        target["total"] += row["n"]
        target["problem_total"] += row["problems"]

    garbage_points = []
    for row in (
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
                "point": row["collection_point__name"],
                "compound": row["compound__name"],
                "checks": row["checks"],
                "ok": row["ok"],
                "rate": round(100 * row["ok"] / row["checks"]) if row["checks"] else 0,
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
    )


def _workers_with_patches(area_id: int) -> list[tuple[User, set[int], set[int]]]:
    """The area's workers with their patch compounds and buildings, in two queries."""
    workers = {
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
    return list(workers.values())  # type: ignore[arg-type]


def collection_points(user: User, compound_id: int) -> list[CollectionPoint]:
    return list(
        access.visible_collection_points(user)
        .filter(compound_id=compound_id, is_active=True)
        .order_by("name")
    )


def masked_proposal_value(proposal: RecordProposal) -> Any:
    """A proposed value as lists show it: phone masked, health hidden (SPEC "Privacy")."""
    if proposal.field == ProposalField.PHONE:
        return mask_phone(str(proposal.value))
    if proposal.field in SENSITIVE_PROPOSAL_FIELDS:
        return HIDDEN
    return proposal.value


@dataclass
class AreaWork:
    """How the work of one area stands, in counts (the subdistrict's overview): no person."""

    overdue_visits: int = 0  # households overdue for a care visit
    due_visits: int = 0  # households due today or overdue
    visits_30d: int = 0
    concerns_30d: int = 0
    open_cases: int = 0
    old_open_cases: int = 0  # open for more than 30 days


STALE_CASE_DAYS = 30
RECENT_DAYS = 30


def subdistrict_work(area_ids: list[int], on: date | None = None) -> dict[int, AreaWork]:
    """Per area: care visits due and overdue (the same rule as every worker's today page, for
    all the areas at once), visits and concerns of the last 30 days, open cases and those open
    for more than 30 days. A fixed number of queries, whatever the number of areas."""
    day = on or timezone.localdate()
    work = {area_id: AreaWork() for area_id in area_ids}
    if not area_ids:
        return work
    dues, places = _due_for_scope(Scope(area_ids=frozenset(area_ids)), day)
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
    stale = timezone.make_aware(datetime.combine(day - timedelta(days=STALE_CASE_DAYS), time.min))
    for row in (
        Case.objects.filter(area_id__in=area_ids, status__in=OPEN_STATUSES)
        .values("area_id")
        .annotate(n=Count("id"), old=Count("id", filter=Q(opened_at__lt=stale)))
    ):
        work[row["area_id"]].open_cases = row["n"]
        work[row["area_id"]].old_open_cases = row["old"]
    return work
