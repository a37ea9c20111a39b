"""Reads of the ledgers: which records a ledger holds, already limited by access.

A ledger is asked for one area, one compound or one worker (经办人), over a date range. The
records are those the user may see (the fieldwork parts' own visible_* querysets: a worker its
patch and what it follows up, the secretary its area, a subdistrict admin an area it opened)
within that choice; a choice outside the reach is refused with 404, like every gatekeeper. The
operator's command line without --user acts as nobody and sees everything it names. Each kind
is read in a fixed number of queries, however many rows it has.

Masking (SPEC "Privacy"): a ledger names people as the lists do and never carries an ID
number or a phone. Masked — the default — it hides the health notes of visits, the sensitive
groups (困难, 大病重病, 失独) of those visited, and every concern and case of a sensitive
category (生活困难, 医疗健康, 家庭矛盾): such a row keeps its date, place and handler only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.chain.activities.models import BuildingActivity
from jinlin.core.access import Scope
from jinlin.core.models import User
from jinlin.fieldwork.access import FIELDWORK_ROLES, fieldwork_scope
from jinlin.fieldwork.cases.models import Case
from jinlin.fieldwork.cases.selectors import visible_cases
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import visible_concerns
from jinlin.fieldwork.concerns.services import SENSITIVE_SUBCATEGORIES
from jinlin.fieldwork.patrols.models import Patrol
from jinlin.fieldwork.patrols.selectors import visible_patrols
from jinlin.fieldwork.visits.models import Visit
from jinlin.fieldwork.visits.selectors import visible_visits
from jinlin.ledgers import columns
from jinlin.ledgers.columns import HIDDEN, Row
from jinlin.party.models import Attendance, Meeting
from jinlin.people.catalogue import is_sensitive, label_of
from jinlin.people.models import GroupMembership
from jinlin.places.models import Area, Building, Compound, Household, address_of

MSG_NOT_FOUND = "没有找到：超出您的工作范围"
SENSITIVE_LINE = "（敏感类别，已隐藏）"


@dataclass(frozen=True)
class LedgerScope:
    """What a ledger covers: one area, one compound or one worker, and a date range."""

    area: Area
    start: date
    end: date
    compound: Compound | None = None
    worker: User | None = None

    @property
    def label(self) -> str:
        if self.compound is not None:
            return self.compound.name
        if self.worker is not None:
            return f"{self.area.name} {self.worker.display_name or self.worker.username}"
        return self.area.name

    @property
    def object(self) -> tuple[str, int]:
        if self.compound is not None:
            return "compound", self.compound.pk
        if self.worker is not None:
            return "worker", self.worker.pk
        return "area", self.area.pk


def may_make_ledgers(user: User) -> bool:
    return user.is_authenticated and user.is_active and not fieldwork_scope(user).is_empty


def ledger_scope(
    user: User | None,
    *,
    start: date,
    end: date,
    area_id: int | None = None,
    compound_id: int | None = None,
    worker_id: int | None = None,
) -> LedgerScope:
    """The chosen place or worker through the user's reach, else 404 (MSG_NOT_FOUND).

    An area needs the whole area in reach (its secretary, an opened area); a compound, the
    compound (or its area); a worker, the requester itself or the whole area the worker is in.
    """
    reach = Scope(everything=True) if user is None else fieldwork_scope(user)
    if compound_id is not None:
        compound = Compound.objects.select_related("area").filter(pk=compound_id).first()
        if compound is None or not _covers_compound(reach, compound):
            raise Http404(MSG_NOT_FOUND)
        return LedgerScope(area=compound.area, compound=compound, start=start, end=end)
    if worker_id is not None:
        worker = (
            User.objects.select_related("area")
            .filter(pk=worker_id, role__in=FIELDWORK_ROLES, area__isnull=False)
            .first()
        )
        if worker is None or worker.area is None:
            raise Http404(MSG_NOT_FOUND)
        is_self = user is not None and user.pk == worker.pk
        if not is_self and not _covers_area(reach, worker.area.pk):
            raise Http404(MSG_NOT_FOUND)
        return LedgerScope(area=worker.area, worker=worker, start=start, end=end)
    area = Area.objects.filter(pk=area_id).first() if area_id is not None else None
    if area is None or not _covers_area(reach, area.pk):
        raise Http404(MSG_NOT_FOUND)
    return LedgerScope(area=area, start=start, end=end)


def _covers_area(reach: Scope, area_id: int) -> bool:
    return reach.everything or area_id in reach.area_ids


def _covers_compound(reach: Scope, compound: Compound) -> bool:
    return _covers_area(reach, compound.area_id) or compound.pk in reach.compound_ids


def choosable_places(user: User) -> tuple[list[Area], list[Compound]]:
    """The areas and compounds a user may make a ledger of (the page's choices)."""
    reach = fieldwork_scope(user)
    areas = Area.objects.all() if reach.everything else Area.objects.filter(pk__in=reach.area_ids)
    compounds = Compound.objects.select_related("area")
    if not reach.everything:
        compounds = compounds.filter(Q(area_id__in=reach.area_ids) | Q(pk__in=reach.compound_ids))
    return list(areas.order_by("name")), list(compounds.order_by("area__name", "name"))


def choosable_workers(user: User) -> list[User]:
    """Whose ledger a user may make: its own, and every staff member of an area it covers."""
    reach = fieldwork_scope(user)
    condition = Q(pk=user.pk)
    if reach.everything:
        condition |= Q(area__isnull=False)
    elif reach.area_ids:
        condition |= Q(area_id__in=reach.area_ids)
    return list(
        User.objects.filter(condition, role__in=FIELDWORK_ROLES, is_active=True)
        .exclude(area__isnull=True)
        .order_by("area_id", "username")
    )


# --- rows ---------------------------------------------------------------------------------


def ledger_rows(
    user: User | None, scope: LedgerScope, kind: str, *, whole: frozenset[str] = frozenset()
) -> list[Row]:
    """The ledger's rows, oldest first; `whole` names what is shown unmasked ("health",
    "sensitive_groups"), already checked and audited by the caller."""
    reach = Scope(everything=True) if user is None else fieldwork_scope(user)
    builders = {
        columns.VISITS: _visit_rows,
        columns.CONCERNS: _concern_rows,
        columns.CASES: _case_rows,
        columns.PATROLS: _patrol_rows,
        columns.MEETINGS: _meeting_rows,
    }
    return builders[kind](user, reach, scope, whole)


def _place_q(scope: LedgerScope, worker_fields: tuple[str, ...]) -> Q:
    condition = Q(area_id=scope.area.pk)
    if scope.compound is not None:
        condition &= Q(compound_id=scope.compound.pk)
    if scope.worker is not None:
        by_worker = Q(pk__in=[])
        for name in worker_fields:
            by_worker |= Q(**{name: scope.worker.pk})
        condition &= by_worker
    return condition


def _household_place(household: Household | None, compound: Compound | None, building) -> str:
    if household is not None:
        return address_of(household.building, household.room)
    if building is not None and compound is not None:
        return f"{compound.name}{building.label}"
    return compound.name if compound is not None else ""


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.display_name or user.username


def _visit_rows(
    user: User | None, reach: Scope, scope: LedgerScope, whole: frozenset[str]
) -> list[Row]:
    visits: QuerySet[Visit] = (
        (Visit.objects.all() if user is None else visible_visits(user))
        .filter(_place_q(scope, ("worker_id",)))
        .filter(visited_on__range=(scope.start, scope.end))
        .select_related("household__building__compound", "resident", "worker")
        .prefetch_related(
            Prefetch(
                "resident__memberships",
                queryset=GroupMembership.objects.filter(ended_on__isnull=True),
                to_attr="current_memberships",
            )
        )
        .order_by("visited_on", "id")
    )
    rows = []
    for visit in visits:
        memberships = getattr(visit.resident, "current_memberships", []) if visit.resident else []
        groups = sorted(
            {
                label_of(m.group)
                for m in memberships
                if not is_sensitive(m.group) or "sensitive_groups" in whole
            }
        )
        result = visit.get_condition_display()
        if visit.family_situation:
            result += f"；{visit.family_situation}"
        rows.append(
            Row(
                on=visit.visited_on,
                place=address_of(visit.household.building, visit.household.room),
                people=visit.resident.name if visit.resident else "全户",
                matter=f"{visit.get_mode_display()}走访"
                + (f"：{visit.needs}" if visit.needs else ""),
                result=result,
                handler=_name(visit.worker),
                extra={
                    "mode": visit.get_mode_display(),
                    "condition": visit.get_condition_display(),
                    "groups": "、".join(groups),
                    "health": visit.health if "health" in whole else HIDDEN,
                },
            )
        )
    return rows


def _concern_rows(
    user: User | None, reach: Scope, scope: LedgerScope, whole: frozenset[str]
) -> list[Row]:
    concerns: QuerySet[Concern] = (
        (Concern.objects.all() if user is None else visible_concerns(user))
        .filter(_place_q(scope, ("owner_id", "recorded_by_id")))
        .filter(received_at__date__range=(scope.start, scope.end))
        .select_related(
            "household__building__compound",
            "compound",
            "building",
            "resident",
            "owner",
            "recorded_by",
        )
        .order_by("received_at", "id")
    )
    rows = []
    for concern in concerns:
        handler = _name(concern.owner or concern.recorded_by)
        on = timezone.localdate(concern.received_at)
        place = _household_place(concern.household, concern.compound, concern.building)
        if concern.subcategory in SENSITIVE_SUBCATEGORIES and "sensitive_groups" not in whole:
            rows.append(
                Row(
                    on=on,
                    place=concern.compound.name if concern.compound else "",
                    people=HIDDEN,
                    matter=SENSITIVE_LINE,
                    result=HIDDEN,
                    handler=handler,
                    extra={
                        "channel": concern.get_channel_display(),
                        "category": HIDDEN,
                        "urgency": concern.get_urgency_display(),
                        "rating": concern.get_rating_display() if concern.rating else "",
                    },
                )
            )
            continue
        if concern.closed_at is not None:
            result = "已办结" + (f"：{concern.reply}" if concern.reply else "")
        elif concern.reply:
            result = f"已回复：{concern.reply}"
        else:
            result = "办理中"
        rows.append(
            Row(
                on=on,
                place=place,
                people=concern.resident.name if concern.resident else "匿名",
                matter=concern.real_need or concern.words,
                result=result,
                handler=handler,
                extra={
                    "channel": concern.get_channel_display(),
                    "category": f"{concern.get_scope_display()}/{concern.get_subcategory_display()}",
                    "urgency": concern.get_urgency_display(),
                    "rating": concern.get_rating_display() if concern.rating else "",
                },
            )
        )
    return rows


def _case_rows(
    user: User | None, reach: Scope, scope: LedgerScope, whole: frozenset[str]
) -> list[Row]:
    cases: QuerySet[Case] = (
        (Case.objects.all() if user is None else visible_cases(user))
        .filter(_place_q(scope, ("owner_id",)))
        .filter(opened_at__date__range=(scope.start, scope.end))
        .select_related("household__building__compound", "compound", "building", "owner")
        .annotate(
            action_count=Count("actions", distinct=True),
            done_count=Count("actions", filter=Q(actions__done_at__isnull=False), distinct=True),
        )
        .order_by("opened_at", "id")
    )
    rows = []
    for case in cases:
        on = timezone.localdate(case.opened_at)
        closed_on = timezone.localdate(case.closed_at).isoformat() if case.closed_at else ""
        if case.subcategory in SENSITIVE_SUBCATEGORIES and "sensitive_groups" not in whole:
            rows.append(
                Row(
                    on=on,
                    place=case.compound.name if case.compound else "",
                    people=HIDDEN,
                    matter=SENSITIVE_LINE,
                    result=HIDDEN,
                    handler=_name(case.owner),
                    extra={
                        "category": HIDDEN,
                        "status": case.get_status_display(),
                        "closed_on": closed_on,
                    },
                )
            )
            continue
        matter = case.title + (f"（症结：{case.root_cause}）" if case.root_cause else "")
        result = case.get_status_display()
        if case.action_count:  # type: ignore[attr-defined]  # annotated above
            result += f"；措施 {case.done_count}/{case.action_count} 项完成"  # type: ignore[attr-defined]  # annotated above
        if case.outcome:
            result += f"；{case.outcome}"
        rows.append(
            Row(
                on=on,
                place=_household_place(case.household, case.compound, case.building),
                people="户：" + case.household.address if case.household else "社区",
                matter=matter,
                result=result,
                handler=_name(case.owner),
                extra={
                    "category": f"{case.get_scope_display()}/{case.get_subcategory_display()}",
                    "status": case.get_status_display(),
                    "closed_on": closed_on,
                },
            )
        )
    return rows


def _patrol_rows(
    user: User | None, reach: Scope, scope: LedgerScope, whole: frozenset[str]
) -> list[Row]:
    patrols: QuerySet[Patrol] = (
        (Patrol.objects.all() if user is None else visible_patrols(user))
        .filter(_place_q(scope, ("worker_id",)))
        .filter(patrolled_on__range=(scope.start, scope.end))
        .select_related("compound", "building", "worker")
        .prefetch_related("findings")
        .order_by("patrolled_on", "id")
    )
    rows = []
    for patrol in patrols:
        findings = list(patrol.findings.all())
        problems = [f for f in findings if f.is_problem]
        still_open = [f for f in findings if f.is_open]
        matter = "；".join(
            f"{f.get_category_display()}（{f.place}）"
            + (f"{f.get_severity_display()}" if f.is_problem else "")
            for f in findings
        )
        result = f"发现问题 {len(problems)} 处"
        if problems:
            result += f"，已整改 {len(problems) - len(still_open)} 处"
        if patrol.notes:
            result += f"；{patrol.notes}"
        rows.append(
            Row(
                on=patrol.patrolled_on,
                place=_household_place(None, patrol.compound, patrol.building),
                people=_name(patrol.worker),
                matter=matter or "巡查，无记录发现",
                result=result,
                handler=_name(patrol.worker),
                extra={"findings": str(len(problems)), "open": str(len(still_open))},
            )
        )
    return rows


def _meeting_rows(
    user: User | None, reach: Scope, scope: LedgerScope, whole: frozenset[str]
) -> list[Row]:
    """党小组会议 (party.Meeting) and 楼组活动 (chain activities, not withdrawn), by date.

    A meeting belongs to its group's buildings: it is in reach when one of them is, and in a
    compound's ledger when one of them is in the compound. Party members are named (as on the
    亮身份 placard); residents who took part in an activity are counted, not named.
    """
    building_ids = Building.objects.filter(_building_reach(reach))
    if scope.compound is not None:
        building_ids = building_ids.filter(compound_id=scope.compound.pk)
    meetings = Meeting.objects.filter(
        group__area_id=scope.area.pk,
        group__buildings__in=building_ids,
        held_on__range=(scope.start, scope.end),
    )
    activities = BuildingActivity.objects.filter(
        area_id=scope.area.pk,
        building__in=building_ids,
        held_on__range=(scope.start, scope.end),
        withdrawn_at__isnull=True,
    )
    if scope.worker is not None:
        meetings = meetings.filter(recorded_by_id=scope.worker.pk)
        activities = activities.filter(recorded_by_id=scope.worker.pk)
    meeting_rows = (
        Meeting.objects.filter(pk__in=meetings.values("pk"))
        .select_related("group", "recorded_by")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.select_related("member__resident").order_by("id"),
            ),
            Prefetch("group__buildings", queryset=Building.objects.select_related("compound")),
        )
    )
    activity_rows = (
        BuildingActivity.objects.filter(pk__in=activities.values("pk"))
        .select_related("building__compound", "recorded_by")
        .prefetch_related("party_members__resident")
        .annotate(named_residents=Count("residents", distinct=True))
    )
    rows: list[tuple[date, int, Row]] = []
    for meeting in meeting_rows:
        present = [
            a.member.resident.name for a in meeting.attendance.all() if a.status == "present"
        ]
        away = [a.member.resident.name for a in meeting.attendance.all() if a.status != "present"]
        people = f"出席 {len(present)} 人：" + "、".join(present)
        if away:
            people += f"；请假/缺席：{'、'.join(away)}"
        buildings = "、".join(f"{b.compound.name}{b.label}" for b in meeting.group.buildings.all())
        rows.append(
            (
                meeting.held_on,
                0,
                Row(
                    on=meeting.held_on,
                    place=meeting.place or buildings,
                    people=people,
                    matter="党小组会议：" + "；".join(str(topic) for topic in meeting.topics or []),
                    result=meeting.notes,
                    handler=_name(meeting.recorded_by),
                    extra={"type": "党小组会议", "organisation": meeting.group.name},
                ),
            )
        )
    for activity in activity_rows:
        members = [m.resident.name for m in activity.party_members.all()]
        residents = max(activity.resident_count, activity.named_residents)
        people = f"党员 {len(members)} 人" + (f"：{'、'.join(members)}" if members else "")
        if residents:
            people += f"；居民约 {residents} 人"
        building = activity.building
        rows.append(
            (
                activity.held_on,
                1,
                Row(
                    on=activity.held_on,
                    place=f"{building.compound.name}{building.label}",
                    people=people,
                    matter=f"楼组活动（{activity.get_kind_display()}）：{activity.summary}",
                    result="已记录",
                    handler=_name(activity.recorded_by),
                    extra={"type": "楼组活动", "organisation": building.label},
                ),
            )
        )
    rows.sort(key=lambda entry: (entry[0], entry[1]))
    return [row for _, _, row in rows]


def _building_reach(reach: Scope) -> Q:
    if reach.everything:
        return Q()
    condition = Q(pk__in=[])
    if reach.area_ids:
        condition |= Q(compound__area_id__in=reach.area_ids)
    if reach.compound_ids:
        condition |= Q(compound_id__in=reach.compound_ids)
    if reach.building_ids:
        condition |= Q(pk__in=reach.building_ids)
    return condition
