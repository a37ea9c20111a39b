"""Reads of cases 个案, their evidence and the talent pool, already limited by access.

Each function runs a fixed number of queries whatever the amount of data (tests assert it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.core.subqueries import in_subquery
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.models import OPEN_STATUSES, Case, CaseAction, CaseEvidence, CaseStatus
from jinlin.fieldwork.common.selectors import scope_q
from jinlin.fieldwork.common.services import refuse
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import visible_concerns
from jinlin.fieldwork.consultations.models import Consultation
from jinlin.fieldwork.consultations.selectors import visible_consultations
from jinlin.fieldwork.patrols.models import Finding
from jinlin.fieldwork.patrols.selectors import visible_findings
from jinlin.fieldwork.visits.models import Visit
from jinlin.fieldwork.visits.selectors import visible_visits
from jinlin.people.groups import GroupCode
from jinlin.people.models import GroupMembership, LifeStatus

Evidence = Concern | Finding | Visit | Consultation


def visible_cases(user: User) -> QuerySet[Case]:
    scope = access.fieldwork_scope(user)
    if scope.everything:  # Q() | Q(owner…) would be the owner's alone
        return Case.objects.all()
    condition = scope.q()
    if user.is_authenticated and user.role in access.FIELDWORK_ROLES:
        condition |= Q(owner_id=user.pk)
        condition |= in_subquery(
            "pk", CaseAction.objects.filter(owner_id=user.pk).values("case_id")
        )
    return Case.objects.filter(condition)


def access_case(user: User, case_id: int) -> Case:
    try:
        return (
            visible_cases(user)
            .select_related("owner", "compound", "building", "household", "merged_into")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该个案") from None


def joinable_cases(user: User, area_id: int) -> list[Case]:
    """Open cases of the area the user may work on, newest first: evidence pages offer them."""
    return list(
        visible_cases(user)
        .filter(area_id=area_id, closed_at__isnull=True)
        .order_by("-opened_at")[:50]
    )


def case_list(user: User, *, status: str = "", mine: bool = False) -> QuerySet[Case]:
    cases = visible_cases(user).select_related("owner", "compound", "household__building")
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status in CaseStatus.values:
        cases = cases.filter(status=status)
    if mine:
        cases = cases.filter(
            Q(owner=user)
            | in_subquery("pk", CaseAction.objects.filter(owner=user).values("case_id"))
        )
    return cases.order_by("-opened_at", "-id")


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
    merged_from = list(case.merged_cases.only("id", "title", "merged_into_id").order_by("id"))
    return {
        "evidence": evidence,
        "actions": actions,
        "events": events,
        "talent_help": helps,
        "merged_from": merged_from,
    }


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


def case_events(case: Case) -> QuerySet[Any]:
    return case.events.select_related("actor").order_by("at", "id")


def action_of_case(case: Case, action_id: Any) -> CaseAction | None:
    return CaseAction.objects.filter(case=case, pk=action_id).select_related("case").first()


def area_staff(area_id: int) -> list[User]:
    """Who may own a case or an action of the area: its secretary and workers."""
    return list(
        User.objects.filter(
            area_id=area_id, is_active=True, role__in=[Role.AREA_SECRETARY, Role.WORKER]
        ).order_by("role", "display_name", "username")
    )


def evidence_exists(user: User, kind: str, object_id: int) -> bool:
    """Whether the user may see this concern, finding, visit or consultation."""
    querysets = {
        "concern": visible_concerns,
        "finding": visible_findings,
        "visit": visible_visits,
        "consultation": visible_consultations,
    }
    return querysets[kind](user).filter(pk=object_id).exists()


def evidence_summary(item: Evidence) -> str:
    if isinstance(item, Concern):
        return f"民声（{item.get_channel_display()}）：{item.real_need or item.words}"[:300]
    if isinstance(item, Finding):
        return f"巡查发现：{item.get_category_display()}，{item.place}（{item.get_severity_display()}）"[
            :300
        ]
    if isinstance(item, Visit):
        return f"走访（{item.visited_on:%Y-%m-%d}，{item.get_mode_display()}）：{item.needs or item.family_situation or item.get_condition_display()}"[
            :300
        ]
    return f"三老咨询：{item.question}；意见：{item.advice}"[:300]


def evidence_objects(
    actor: User,
    *,
    concern_ids: Iterable[int] = (),
    finding_ids: Iterable[int] = (),
    visit_ids: Iterable[int] = (),
    consultation_ids: Iterable[int] = (),
) -> list[Evidence]:
    """Evidence by ids, each visible to the actor, or ValidationError naming the first missing."""
    found: list[Evidence] = []
    for ids, queryset, field, message in (
        (concern_ids, visible_concerns(actor), "concern_ids", "没有找到该诉求"),
        (finding_ids, visible_findings(actor), "finding_ids", "没有找到该巡查发现"),
        (visit_ids, visible_visits(actor), "visit_ids", "没有找到该走访记录"),
        (
            consultation_ids,
            visible_consultations(actor),
            "consultation_ids",
            "没有找到该咨询记录",
        ),
    ):
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            continue
        rows = {row.pk: row for row in queryset.filter(pk__in=wanted)}
        for pk in wanted:
            if pk not in rows:
                raise refuse(field, message)
            found.append(rows[pk])
    return found
