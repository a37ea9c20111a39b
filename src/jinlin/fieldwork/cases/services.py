"""Writes of cases 个案: each one transactional, checked, and refused whole with a clear message.

The case rule of SPEC "切" lives here: no plan 方案 before a written root cause 症结. Every
change refreshes the case's derived status and appends to its timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Role, User
from jinlin.fieldwork.cases.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseEvidence,
    Feedback,
    TalentHelp,
    derive_case_status,
)
from jinlin.fieldwork.cases.selectors import Evidence, evidence_summary, visible_cases
from jinlin.fieldwork.common.services import (
    MSG_CATEGORY_UNKNOWN,
    not_future,
    refuse,
    require_writer,
    visible_compound,
    visible_household,
)
from jinlin.fieldwork.concerns.models import Concern, ConcernScope, Subcategory
from jinlin.fieldwork.consultations.models import Consultation
from jinlin.fieldwork.patrols.models import Finding
from jinlin.fieldwork.visits.models import Visit
from jinlin.people.groups import GroupCode
from jinlin.people.models import GroupMembership, Resident
from jinlin.places.models import Household

MSG_TITLE_NEEDED = "请填写个案标题"
MSG_CASE_PLACE_NEEDED = "请注明个案所在的小区或户，或至少附上一条证据"
MSG_EVIDENCE_OTHER_AREA = "证据须属于个案所在的居民区"
MSG_EVIDENCE_TWICE = "该证据已在个案中"
MSG_OWNER_INVALID = "负责人须是本居民区的书记/主任或社工"
MSG_CASE_CLOSED = "个案已结案；如需继续处理，请先重新打开"
MSG_ROOT_CAUSE_SHORT = "请写明症结：问题的根源是什么（至少 {n} 个字）"
MSG_PLAN_BEFORE_ROOT_CAUSE = "请先写明症结，再制定方案（先诊断，后开方）"
MSG_PLAN_EMPTY = "方案至少要有一项措施"
MSG_ACTION_TEXT = "请填写措施内容"
MSG_ACTION_DUE_BEFORE_OPENED = "完成期限不能早于立案日期（{day}）"
MSG_ACTION_DONE = "该措施已完成"
MSG_CLOSE_NEEDS_PLAN = "还没有方案，不能结案"
MSG_CLOSE_OPEN_ACTIONS = "还有 {n} 项措施未完成，不能结案"
MSG_OUTCOME_NEEDED = "请填写处理结果"
MSG_FEEDBACK_NEEDED = "请选择居民反馈（满意、基本满意或不满意）"
MSG_NOT_CLOSED = "个案尚未结案，无需重新打开"
MSG_REOPEN_REASON = "请说明重新打开的原因"
MSG_NOT_TALENT = "该居民不是社区能人"
MSG_HELP_NEEDED = "请填写相助内容"
MSG_MERGED_NO_REOPEN = "该个案已合并到个案 #{id}，请在那里继续处理"
MSG_MERGE_SELF = "不能把个案合并到它自己"
MSG_MERGE_TARGET_UNKNOWN = "没有找到要并入的个案"
MSG_MERGE_OTHER_AREA = "只能合并同一居民区的个案"
MSG_MERGE_CLOSED = "已结案或已合并的个案不能合并；如需合并，请先重新打开"
MSG_MERGE_TARGET_CLOSED = "要并入的个案已结案或已合并，不能并入"
MERGE_REASON_MAX = 200

ROOT_CAUSE_MIN_CHARS = 4


def _event(case: Case, kind: str, actor: User, text: str = "") -> CaseEvent:
    return CaseEvent.objects.create(case=case, kind=kind, actor=actor, text=text)


def case_refresh_status(case: Case) -> Case:
    """Store what the contents say: status is a cache of derive_case_status, never typed."""
    counts = CaseAction.objects.filter(case=case).aggregate(
        total=Count("id"), open=Count("id", filter=Q(done_at__isnull=True))
    )
    status = derive_case_status(
        has_root_cause=bool(case.root_cause.strip()),
        actions=counts["total"],
        open_actions=counts["open"],
        is_closed=case.closed_at is not None,
        is_merged=case.merged_into_id is not None,
    )
    if status != case.status:
        case.status = status
        case.save(update_fields=["status"])
    return case


def _may_work_on(case: Case, actor: User) -> None:
    require_writer(actor)
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("无权处理该个案")


def _open_case(case: Case) -> None:
    if case.closed_at is not None:
        raise refuse("case", MSG_CASE_CLOSED)


def _check_owner(owner: User | None, area_id: int) -> User:
    valid = (
        owner is not None
        and owner.is_active
        and owner.area_id == area_id
        and owner.role in (Role.AREA_SECRETARY, Role.WORKER)
    )
    if owner is None or not valid:
        raise refuse("owner_id", MSG_OWNER_INVALID)
    return owner


def _link(case: Case, actor: User, item: Evidence) -> CaseEvidence:
    if item.area_id != case.area_id:
        raise refuse("evidence", MSG_EVIDENCE_OTHER_AREA)
    field = {Concern: "concern", Finding: "finding", Visit: "visit", Consultation: "consultation"}[
        type(item)
    ]
    if CaseEvidence.objects.filter(case=case, **{field: item}).exists():
        raise refuse("evidence", MSG_EVIDENCE_TWICE)
    try:
        with transaction.atomic():
            link = CaseEvidence.objects.create(case=case, added_by=actor, **{field: item})
    except IntegrityError:
        raise refuse("evidence", MSG_EVIDENCE_TWICE) from None
    return link


@dataclass(frozen=True)
class CaseInput:
    title: str
    scope: str
    subcategory: str
    owner_id: int | None = None
    compound_id: int | None = None
    household_id: int | None = None


@transaction.atomic
def case_open(*, actor: User, data: CaseInput, evidence: Sequence[Evidence] = ()) -> Case:
    """Open a case on its evidence; its place comes from the household, compound or evidence."""
    require_writer(actor)
    title = (data.title or "").strip()
    if not title:
        raise refuse("title", MSG_TITLE_NEEDED)
    if data.scope not in ConcernScope.values:
        raise refuse("scope", MSG_CATEGORY_UNKNOWN)
    if data.subcategory not in Subcategory.values:
        raise refuse("subcategory", MSG_CATEGORY_UNKNOWN)
    household = None
    compound_id: int | None
    building_id: int | None
    if data.household_id is not None:
        household = visible_household(actor, data.household_id)
        area_id, compound_id, building_id = (
            household.area_id,
            household.compound_id,
            household.building_id,
        )
    elif data.compound_id is not None:
        compound = visible_compound(actor, data.compound_id)
        area_id, compound_id, building_id = compound.area_id, compound.pk, None
    elif evidence:
        first = evidence[0]
        area_id, compound_id, building_id = first.area_id, first.compound_id, first.building_id
        household_id = getattr(first, "household_id", None)
        if household_id is not None:
            household = Household.objects.get(pk=household_id)
    else:
        raise refuse("compound_id", MSG_CASE_PLACE_NEEDED)
    owner: User | None = actor
    if data.owner_id is not None and data.owner_id != actor.pk:
        owner = User.objects.filter(pk=data.owner_id).first()
    if not (owner is actor and actor.is_superuser):
        owner = _check_owner(owner, area_id)
    case = Case.objects.create(
        area_id=area_id,
        compound_id=compound_id,
        building_id=building_id,
        household=household,
        title=title[:100],
        scope=data.scope,
        subcategory=data.subcategory,
        owner=owner,
        opened_by=actor,
    )
    _event(case, CaseEvent.Kind.OPENED, actor, f"立案：{case.title}（负责人 {owner}）")
    for item in evidence:
        _link(case, actor, item)
        _event(case, CaseEvent.Kind.EVIDENCE, actor, evidence_summary(item))
    return case


@transaction.atomic
def case_add_evidence(*, case: Case, actor: User, item: Evidence) -> CaseEvidence:
    """A concern, finding, visit or consultation joins an existing case."""
    _may_work_on(case, actor)
    _open_case(case)
    link = _link(case, actor, item)
    _event(case, CaseEvent.Kind.EVIDENCE, actor, evidence_summary(item))
    return link


@transaction.atomic
def case_set_root_cause(*, case: Case, actor: User, root_cause: str) -> Case:
    """The 症结: what lies under the complaint. Required before any plan."""
    _may_work_on(case, actor)
    _open_case(case)
    text = (root_cause or "").strip()
    if len(text) < ROOT_CAUSE_MIN_CHARS:
        raise refuse("root_cause", MSG_ROOT_CAUSE_SHORT.format(n=ROOT_CAUSE_MIN_CHARS))
    case.root_cause = text
    case.root_cause_at = timezone.now()
    case.save(update_fields=["root_cause", "root_cause_at"])
    _event(case, CaseEvent.Kind.ROOT_CAUSE, actor, text)
    return case_refresh_status(case)


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner_id: int
    due_on: date


@transaction.atomic
def case_record_plan(
    *, case: Case, actor: User, actions: Sequence[ActionInput]
) -> list[CaseAction]:
    """Add actions to the plan 方案. SPEC "切": a written root cause before any plan — no hasty decisions."""
    _may_work_on(case, actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _open_case(case)
    if not case.root_cause.strip():
        raise refuse("root_cause", MSG_PLAN_BEFORE_ROOT_CAUSE)
    if not actions:
        raise refuse("actions", MSG_PLAN_EMPTY)
    opened_on = timezone.localdate(case.opened_at)
    owners = {user.pk: user for user in User.objects.filter(pk__in={a.owner_id for a in actions})}
    rows = []
    for item in actions:
        description = (item.description or "").strip()
        if not description:
            raise refuse("description", MSG_ACTION_TEXT)
        if item.due_on < opened_on:
            raise refuse("due_on", MSG_ACTION_DUE_BEFORE_OPENED.format(day=f"{opened_on:%Y-%m-%d}"))
        owner = _check_owner(owners.get(item.owner_id), case.area_id)
        rows.append(
            CaseAction(
                case=case,
                description=description[:200],
                owner=owner,
                due_on=item.due_on,
                created_by=actor,
            )
        )
    created = []
    for row in rows:
        row.save()
        created.append(row)
        _event(
            case,
            CaseEvent.Kind.ACTION,
            actor,
            f"{row.description}（责任人 {row.owner}，{row.due_on:%Y-%m-%d} 前完成）",
        )
    case_refresh_status(case)
    return created


@transaction.atomic
def case_complete_action(*, action: CaseAction, actor: User, note: str = "") -> CaseAction:
    case = action.case
    _may_work_on(case, actor)
    _open_case(case)
    if action.done_at is not None:
        raise refuse("action", MSG_ACTION_DONE)
    action.done_at = timezone.now()
    action.done_note = (note or "").strip()[:200]
    action.save(update_fields=["done_at", "done_note"])
    _event(
        case,
        CaseEvent.Kind.ACTION_DONE,
        actor,
        f"{action.description}{'：' + action.done_note if action.done_note else ''}",
    )
    case_refresh_status(case)
    return action


@transaction.atomic
def case_record_talent_help(
    *, case: Case, actor: User, talent_id: int, skill: str, description: str, helped_on: date
) -> Any:
    """SPEC "问": find residents with a skill to help with a case, and record their help."""
    _may_work_on(case, actor)
    _open_case(case)
    talent = Resident.objects.filter(pk=talent_id, area_id=case.area_id).first()
    membership = (
        GroupMembership.objects.filter(
            resident=talent, group=GroupCode.TALENT, ended_on__isnull=True
        ).first()
        if talent is not None
        else None
    )
    if talent is None or membership is None:
        raise refuse("talent_id", MSG_NOT_TALENT)
    if not (description or "").strip():
        raise refuse("description", MSG_HELP_NEEDED)
    not_future(helped_on, "helped_on")
    help_row = TalentHelp.objects.create(
        case=case,
        talent=talent,
        skill=(skill or "").strip()[:20],
        description=description.strip()[:200],
        helped_on=helped_on,
        recorded_by=actor,
    )
    _event(
        case,
        CaseEvent.Kind.TALENT_HELP,
        actor,
        f"{talent.name}（{help_row.skill}）：{help_row.description}",
    )
    return help_row


@transaction.atomic
def case_close(*, case: Case, actor: User, outcome: str, feedback: str) -> Case:
    """Close when every action is done, with the outcome and the resident's feedback."""
    _may_work_on(case, actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    _open_case(case)
    if not case.root_cause.strip():
        raise refuse("root_cause", MSG_PLAN_BEFORE_ROOT_CAUSE)
    counts = case.actions.aggregate(
        total=Count("id"), open=Count("id", filter=Q(done_at__isnull=True))
    )
    if counts["total"] == 0:
        raise refuse("actions", MSG_CLOSE_NEEDS_PLAN)
    if counts["open"]:
        raise refuse("actions", MSG_CLOSE_OPEN_ACTIONS.format(n=counts["open"]))
    outcome = (outcome or "").strip()
    if not outcome:
        raise refuse("outcome", MSG_OUTCOME_NEEDED)
    if feedback not in Feedback.values:
        raise refuse("feedback", MSG_FEEDBACK_NEEDED)
    case.closed_at = timezone.now()
    case.outcome = outcome
    case.feedback = feedback
    case.save(update_fields=["closed_at", "outcome", "feedback"])
    _event(case, CaseEvent.Kind.CLOSED, actor, f"{outcome}（居民反馈：{Feedback(feedback).label}）")
    return case_refresh_status(case)


@transaction.atomic
def case_reopen(*, case: Case, actor: User, reason: str) -> Case:
    """Reopen a closed case; the earlier outcome stays in the timeline."""
    _may_work_on(case, actor)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.merged_into_id is not None:
        raise refuse("case", MSG_MERGED_NO_REOPEN.format(id=case.merged_into_id))
    if case.closed_at is None:
        raise refuse("case", MSG_NOT_CLOSED)
    reason = (reason or "").strip()
    if not reason:
        raise refuse("reason", MSG_REOPEN_REASON)
    case.closed_at = None
    case.outcome = ""
    case.feedback = ""
    case.times_reopened += 1
    case.save(update_fields=["closed_at", "outcome", "feedback", "times_reopened"])
    _event(case, CaseEvent.Kind.REOPENED, actor, reason)
    return case_refresh_status(case)


def _evidence_key(link: CaseEvidence) -> tuple[int | None, ...]:
    return (link.concern_id, link.finding_id, link.visit_id, link.consultation_id)


@transaction.atomic
def case_merge(*, case: Case, actor: User, into_id: int | None, reason: str = "") -> Case:
    """Merge `case` into the case `into_id` about the same problem: its evidence, actions and
    talents' help join the survivor, which also takes its root cause if it had none (so no plan
    stands without one); `case` closes as 已合并 with a link both ways, in both timelines,
    audited. Refused whole: into itself, across areas, or when either is closed or merged."""
    _may_work_on(case, actor)
    if into_id is None or into_id == case.pk:
        raise refuse("into_id", MSG_MERGE_SELF if into_id == case.pk else MSG_MERGE_TARGET_UNKNOWN)
    if not visible_cases(actor).filter(pk=into_id).exists():
        raise refuse("into_id", MSG_MERGE_TARGET_UNKNOWN)
    locked = {c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[case.pk, into_id])}
    case, into = locked[case.pk], locked[into_id]
    if case.area_id != into.area_id:
        raise refuse("into_id", MSG_MERGE_OTHER_AREA)
    if case.closed_at is not None:
        raise refuse("case", MSG_MERGE_CLOSED)
    if into.closed_at is not None:
        raise refuse("into_id", MSG_MERGE_TARGET_CLOSED)
    reason = (reason or "").strip()[:MERGE_REASON_MAX]
    held = {_evidence_key(link) for link in CaseEvidence.objects.filter(case=into)}
    moved_evidence = 0
    for link in CaseEvidence.objects.filter(case=case).order_by("id"):
        if _evidence_key(link) in held:
            # The survivor already holds it: one link is enough (a join row, not a record).
            link.delete()
            continue
        link.case = into
        link.save(update_fields=["case"])
        moved_evidence += 1
    moved_actions = CaseAction.objects.filter(case=case).update(case=into)
    TalentHelp.objects.filter(case=case).update(case=into)
    if not into.root_cause.strip() and case.root_cause.strip():
        into.root_cause = case.root_cause
        into.root_cause_at = case.root_cause_at or timezone.now()
        into.save(update_fields=["root_cause", "root_cause_at"])
    case.merged_into = into
    case.closed_at = timezone.now()
    case.outcome = f"已合并到个案 #{into.pk}"
    case.save(update_fields=["merged_into", "closed_at", "outcome"])
    why = f"；原因：{reason}" if reason else ""
    _event(
        into,
        CaseEvent.Kind.MERGED,
        actor,
        f"个案 #{case.pk}「{case.title}」并入本案：证据 {moved_evidence} 条、措施 {moved_actions} 项{why}",
    )
    _event(case, CaseEvent.Kind.MERGED, actor, f"已合并到个案 #{into.pk}「{into.title}」{why}")
    audit(
        actor=actor,
        action=AuditEvent.Action.MERGE,
        object_type="case",
        object_id=case.pk,
        fields=[f"into:{into.pk}"],
        reason=reason or f"并入个案 #{into.pk}",
        area_id=case.area_id,
    )
    case_refresh_status(case)
    return case_refresh_status(into)


def case_record_escalation(
    *, action: CaseAction, told: Sequence[User], reason: str, level_label: str
) -> CaseEvent:
    """Writes an escalation 上报 of an overdue action into its case's timeline: who was told,
    why. Called by jinlin.reminders (a scheduled task, no person acting): the action's owner
    stands as the event's actor, the one whose action it is."""
    names = "、".join(str(user) for user in told) or "（无人可通知）"
    text = f"{reason}；已上报{level_label}：{names}"
    return _event(action.case, CaseEvent.Kind.ESCALATED, action.owner, text)
