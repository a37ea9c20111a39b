"""Writes of fieldwork: each one transactional, checked, and refused whole with a clear message.

Views, API and commands call these; none of them writes fieldwork models directly. The case
rule of SPEC "切" lives here: no plan 方案 before a written root cause 症结.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.idnumber import normalise_phone
from jinlin.core.models import AuditEvent, Role, User
from jinlin.fieldwork import access
from jinlin.fieldwork.models import (
    THINK_TANK_GROUPS,
    Case,
    CaseAction,
    CaseEvent,
    CaseEvidence,
    CollectionPoint,
    Concern,
    ConcernScope,
    Condition,
    Consultation,
    FacilityState,
    Feedback,
    Finding,
    FindingCategory,
    FindingKind,
    FindingPhoto,
    Patrol,
    ProposalField,
    ProposalStatus,
    RecordProposal,
    Severity,
    Subcategory,
    Urgency,
    Visit,
    VisitInterval,
    VisitMode,
    derive_case_status,
    finding_kind,
)
from jinlin.fieldwork.photos import MSG_TOO_MANY, clean_photo, max_per_finding
from jinlin.people.groups import GROUPS, GroupCode
from jinlin.people.models import GroupMembership, Health, LifeStatus, ResidenceStatus, Resident
from jinlin.places.models import Building, Compound, Household

MSG_NOT_WRITER = "您的角色不能登记走访、巡查、民声或个案"
MSG_NOT_SECRETARY = "只有本居民区书记/主任可以修改走访周期"
MSG_DATE_IN_FUTURE = "日期不能晚于今天"
MSG_VISIT_IN_FUTURE = "走访日期不能晚于今天"
MSG_HOUSEHOLD_OUTSIDE = "没有找到该户，或该户不在您的包片内"
MSG_RESIDENT_OUTSIDE = "没有找到该居民，或该居民不在您的包片内"
MSG_RESIDENT_NOT_IN_HOUSEHOLD = "该居民不属于这一户"
MSG_RESIDENT_GONE = "该居民已迁出或已故"
MSG_COMPOUND_OUTSIDE = "没有找到该小区，或该小区不在您的包片内"
MSG_BUILDING_NOT_IN_COMPOUND = "该楼组不属于所选小区"
MSG_PLACE_NEEDED = "匿名诉求须注明小区"
MSG_WORDS_NEEDED = "请记录居民的原话"
MSG_INTERVAL_RANGE = "走访周期应在 1 到 365 天之间"
MSG_GROUP_NOT_VISITED = "该群体没有走访周期"
MSG_CATEGORY_UNKNOWN = "未知的类别"
MSG_PLACE_TEXT_NEEDED = "请填写位置"
MSG_HAZARD_SEVERITY = "安全隐患须注明严重程度（轻微、一般或严重）"
MSG_FACILITY_STATE = "安全设施须注明状态（完好、损坏、缺失或过期）"
MSG_FACILITY_PROBLEM_SEVERITY = "设施有问题时须注明严重程度"
MSG_GARBAGE_POINT = "垃圾分类须选择投放点"
MSG_GARBAGE_STANDARD = "请注明垃圾分类是否达标"
MSG_POINT_NOT_IN_COMPOUND = "该投放点不属于巡查的小区"
MSG_POINT_NAME_NEEDED = "请填写投放点名称"
MSG_POINT_EXISTS = "该小区已有同名投放点"
MSG_PROPOSAL_FIELD = "该字段不能通过走访建议修改"
MSG_PROPOSAL_VALUE = "建议值不符合该字段的要求"
MSG_PROPOSAL_DECIDED = "该建议已审核过"
MSG_PROPOSAL_NOT_DECIDER = "您不能审核这条建议（须由可修改该档案的其他人审核）"
MSG_REJECT_REASON = "请说明不采纳的理由"
MSG_NOT_THINK_TANK = "咨询对象须是三老或社区能人（智囊团成员）"
MSG_QUESTION_NEEDED = "请填写咨询事项"
MSG_ADVICE_NEEDED = "请填写意见建议"
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

ROOT_CAUSE_MIN_CHARS = 4


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _require_writer(actor: User) -> None:
    if not access.can_write(actor):
        raise PermissionDenied(MSG_NOT_WRITER)


def _not_future(day: date, field: str, message: str = MSG_DATE_IN_FUTURE) -> None:
    if day > timezone.localdate():
        raise _refuse(field, message)


def _visible_household(
    actor: User, household_id: int | None, field: str = "household_id"
) -> Household:
    household = (
        Household.objects.filter(access.fieldwork_scope(actor).q())
        .select_related("building__compound")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise _refuse(field, MSG_HOUSEHOLD_OUTSIDE)
    return household


def _visible_resident(actor: User, resident_id: int | None, field: str = "resident_id") -> Resident:
    resident = (
        access.visible_residents_q(actor)
        .select_related("household__building")
        .filter(pk=resident_id)
        .first()
    )
    if resident is None:
        raise _refuse(field, MSG_RESIDENT_OUTSIDE)
    return resident


def _visible_compound(actor: User, compound_id: int | None, field: str = "compound_id") -> Compound:
    scope = access.fieldwork_scope(actor)
    condition = Q(pk__in=[])
    if scope.everything:
        condition = Q()
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(pk__in=scope.compound_ids)
    compound = Compound.objects.filter(condition, pk=compound_id).first()
    if compound is None:
        raise _refuse(field, MSG_COMPOUND_OUTSIDE)
    return compound


# --- 问: visit intervals ---------------------------------------------------------------


def default_intervals() -> dict[str, int]:
    return {
        code.value: kind.default_visit_days
        for code, kind in GROUPS.items()
        if kind.default_visit_days
    }


@transaction.atomic
def visit_interval_set(*, area_id: int, actor: User, group: str, days: int) -> VisitInterval:
    """SPEC "问": defaults 独居老人 7, 失独/大病重病 14, 困难家庭 30 days; configurable per area."""
    if not (actor.is_superuser or (actor.role == Role.AREA_SECRETARY and actor.area_id == area_id)):
        raise PermissionDenied(MSG_NOT_SECRETARY)
    if group not in default_intervals():
        raise _refuse("group", MSG_GROUP_NOT_VISITED)
    if not 1 <= int(days) <= 365:
        raise _refuse("days", MSG_INTERVAL_RANGE)
    interval, _ = VisitInterval.objects.update_or_create(
        area_id=area_id,
        group=group,
        defaults={"days": int(days), "set_by": actor, "set_at": timezone.now()},
    )
    return interval


# --- 望: patrols and findings ------------------------------------------------------------


@transaction.atomic
def collection_point_create(*, actor: User, compound_id: int, name: str) -> CollectionPoint:
    _require_writer(actor)
    compound = _visible_compound(actor, compound_id)
    name = (name or "").strip()
    if not name:
        raise _refuse("name", MSG_POINT_NAME_NEEDED)
    if CollectionPoint.objects.filter(compound=compound, name=name).exists():
        raise _refuse("name", MSG_POINT_EXISTS)
    return CollectionPoint.objects.create(
        area_id=compound.area_id, compound=compound, name=name[:50]
    )


@transaction.atomic
def patrol_record(*, actor: User, compound_id: int, patrolled_on: date, notes: str = "") -> Patrol:
    _require_writer(actor)
    compound = _visible_compound(actor, compound_id)
    _not_future(patrolled_on, "patrolled_on")
    return Patrol.objects.create(
        area_id=compound.area_id,
        compound=compound,
        patrolled_on=patrolled_on,
        worker=actor,
        notes=notes.strip(),
    )


@dataclass(frozen=True)
class FindingInput:
    category: str
    place: str
    severity: str = Severity.NONE
    building_id: int | None = None
    facility_state: str = ""
    collection_point_id: int | None = None
    is_up_to_standard: bool | None = None
    description: str = ""


def _checked_finding(patrol: Patrol, data: FindingInput) -> dict[str, Any]:
    if data.category not in FindingCategory.values:
        raise _refuse("category", MSG_CATEGORY_UNKNOWN)
    kind = finding_kind(data.category)
    severity = data.severity or Severity.NONE
    if severity not in Severity.values:
        raise _refuse("severity", MSG_CATEGORY_UNKNOWN)
    fields: dict[str, Any] = {
        "kind": kind,
        "category": data.category,
        "severity": severity,
        "facility_state": "",
        "collection_point": None,
        "is_up_to_standard": None,
        "building": None,
    }
    place = (data.place or "").strip()
    if data.building_id is not None:
        building = Building.objects.filter(
            pk=data.building_id, compound_id=patrol.compound_id
        ).first()
        if building is None:
            raise _refuse("building_id", MSG_BUILDING_NOT_IN_COMPOUND)
        fields["building"] = building
        place = place or building.label
    if kind == FindingKind.HAZARD and severity == Severity.NONE:
        raise _refuse("severity", MSG_HAZARD_SEVERITY)
    if kind == FindingKind.FACILITY:
        if data.facility_state not in FacilityState.values:
            raise _refuse("facility_state", MSG_FACILITY_STATE)
        if data.facility_state != FacilityState.OK and severity == Severity.NONE:
            raise _refuse("severity", MSG_FACILITY_PROBLEM_SEVERITY)
        if data.facility_state == FacilityState.OK:
            fields["severity"] = Severity.NONE
        fields["facility_state"] = data.facility_state
    if kind == FindingKind.GARBAGE:
        if data.collection_point_id is None:
            raise _refuse("collection_point_id", MSG_GARBAGE_POINT)
        point = CollectionPoint.objects.filter(pk=data.collection_point_id).first()
        if point is None or point.compound_id != patrol.compound_id:
            raise _refuse("collection_point_id", MSG_POINT_NOT_IN_COMPOUND)
        if data.is_up_to_standard is None:
            raise _refuse("is_up_to_standard", MSG_GARBAGE_STANDARD)
        fields["collection_point"] = point
        fields["is_up_to_standard"] = data.is_up_to_standard
        place = place or point.name
        if data.is_up_to_standard:
            fields["severity"] = Severity.NONE
        elif severity == Severity.NONE:
            fields["severity"] = Severity.LOW
    if not place:
        raise _refuse("place", MSG_PLACE_TEXT_NEEDED)
    fields["place"] = place[:100]
    fields["description"] = (data.description or "").strip()
    return fields


@transaction.atomic
def finding_record(
    *, patrol: Patrol, actor: User, data: FindingInput, photos: Sequence[bytes] = ()
) -> Finding:
    """A finding with its photos; a bad photo refuses the whole finding."""
    _require_writer(actor)
    fields = _checked_finding(patrol, data)
    if len(photos) > max_per_finding():
        raise ValidationError({"photo": MSG_TOO_MANY.format(n=max_per_finding())})
    cleaned = [clean_photo(content) for content in photos]
    finding = Finding.objects.create(
        patrol=patrol,
        area_id=patrol.area_id,
        compound_id=patrol.compound_id,
        found_on=patrol.patrolled_on,
        **fields,
    )
    for photo in cleaned:
        _save_photo(finding, actor, photo)
    return finding


def _save_photo(finding: Finding, actor: User, photo: Any) -> FindingPhoto:
    row = FindingPhoto(
        finding=finding,
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
        uploaded_by=actor,
    )
    row.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.content), save=False)
    row.save()
    return row


@transaction.atomic
def finding_add_photo(*, finding: Finding, actor: User, content: bytes) -> FindingPhoto:
    _require_writer(actor)
    Finding.objects.select_for_update().filter(pk=finding.pk).first()  # count, then add
    if finding.photos.count() >= max_per_finding():
        raise ValidationError({"photo": MSG_TOO_MANY.format(n=max_per_finding())})
    return _save_photo(finding, actor, clean_photo(content))


# --- 望/问: visits and proposed record updates ------------------------------------------------


@dataclass(frozen=True)
class VisitInput:
    household_id: int
    visited_on: date
    mode: str = VisitMode.IN_PERSON
    condition: str = Condition.GOOD
    resident_id: int | None = None
    family_situation: str = ""
    health: str = ""
    living_habits: str = ""
    needs: str = ""


@transaction.atomic
def visit_record(*, actor: User, data: VisitInput) -> Visit:
    """Log a visit; it satisfies every due visit of the household (SPEC "问")."""
    _require_writer(actor)
    household = _visible_household(actor, data.household_id)
    _not_future(data.visited_on, "visited_on", MSG_VISIT_IN_FUTURE)
    if data.mode not in VisitMode.values:
        raise _refuse("mode", MSG_CATEGORY_UNKNOWN)
    if data.condition not in Condition.values:
        raise _refuse("condition", MSG_CATEGORY_UNKNOWN)
    resident = None
    if data.resident_id is not None:
        resident = Resident.objects.filter(pk=data.resident_id).first()
        if resident is None or resident.household_id != household.pk:
            raise _refuse("resident_id", MSG_RESIDENT_NOT_IN_HOUSEHOLD)
    return Visit.objects.create(
        household=household,
        area_id=household.area_id,
        compound_id=household.compound_id,
        building_id=household.building_id,
        resident=resident,
        visited_on=data.visited_on,
        worker=actor,
        mode=data.mode,
        condition=data.condition,
        family_situation=data.family_situation.strip(),
        health=data.health.strip(),
        living_habits=data.living_habits.strip(),
        needs=data.needs.strip(),
    )


def _proposal_value(field: str, value: Any) -> Any:
    """The value in the form the resident's record stores, or ValidationError."""
    if field == ProposalField.IS_RETIRED:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in {"true", "1", "是", "yes"}:
            return True
        if str(value).strip().lower() in {"false", "0", "否", "no"}:
            return False
        raise _refuse("value", MSG_PROPOSAL_VALUE)
    if field == ProposalField.HOBBIES:
        items = (
            value
            if isinstance(value, list)
            else str(value).replace("，", ",").replace("、", ",").split(",")
        )
        tags = [str(item).strip() for item in items if str(item).strip()]
        if len(tags) > 30 or any(len(tag) > 20 for tag in tags):
            raise _refuse("value", MSG_PROPOSAL_VALUE)
        return tags
    text = str(value if value is not None else "").strip()
    if field == ProposalField.PHONE:
        try:
            return normalise_phone(text)
        except ValueError:
            raise _refuse("value", MSG_PROPOSAL_VALUE) from None
    if field == ProposalField.HEALTH and text not in Health.values:
        raise _refuse("value", MSG_PROPOSAL_VALUE)
    if field == ProposalField.RESIDENCE_STATUS and text not in ResidenceStatus.values:
        raise _refuse("value", MSG_PROPOSAL_VALUE)
    limits = {ProposalField.EMPLOYER: 100, ProposalField.OCCUPATION: 50}
    if len(text) > limits.get(field, 2000):  # type: ignore[call-overload]
        raise _refuse("value", MSG_PROPOSAL_VALUE)
    return text


@transaction.atomic
def proposal_create(
    *, visit: Visit, actor: User, resident_id: int, field: str, value: Any, reason: str = ""
) -> RecordProposal:
    _require_writer(actor)
    if field not in ProposalField.values:
        raise _refuse("field", MSG_PROPOSAL_FIELD)
    resident = _visible_resident(actor, resident_id)
    if resident.household_id != visit.household_id:
        raise _refuse("resident_id", MSG_RESIDENT_NOT_IN_HOUSEHOLD)
    if resident.status != LifeStatus.CURRENT:
        raise _refuse("resident_id", MSG_RESIDENT_GONE)
    return RecordProposal.objects.create(
        visit=visit,
        resident=resident,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        building_id=resident.building_id,
        field=field,
        value=_proposal_value(field, value),
        reason=(reason or "").strip()[:200],
        proposed_by=actor,
    )


def _decidable(proposal: RecordProposal, actor: User) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise _refuse("status", MSG_PROPOSAL_DECIDED)
    if not access.can_decide_proposal(actor, proposal):
        raise PermissionDenied(MSG_PROPOSAL_NOT_DECIDER)


@transaction.atomic
def proposal_accept(*, proposal: RecordProposal, actor: User, note: str = "") -> RecordProposal:
    """Apply the change through people.services.resident_update, so the record's history has it."""
    from jinlin.people.services import resident_update

    proposal = RecordProposal.objects.select_for_update().get(pk=proposal.pk)
    _decidable(proposal, actor)
    resident = Resident.objects.get(pk=proposal.resident_id)
    if resident.status != LifeStatus.CURRENT:
        raise _refuse("resident_id", MSG_RESIDENT_GONE)
    resident_update(resident=resident, actor=actor, **{proposal.field: proposal.value})
    proposal.status = ProposalStatus.ACCEPTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = (note or "").strip()[:200]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="resident",
        object_id=resident.pk,
        fields=[proposal.field],
        reason=f"采纳走访建议 #{proposal.pk}",
        area_id=resident.area_id,
    )
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: RecordProposal, actor: User, note: str) -> RecordProposal:
    proposal = RecordProposal.objects.select_for_update().get(pk=proposal.pk)
    _decidable(proposal, actor)
    note = (note or "").strip()
    if not note:
        raise _refuse("note", MSG_REJECT_REASON)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note[:200]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return proposal


# --- 闻: concerns --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConcernInput:
    channel: str
    scope: str
    subcategory: str
    words: str
    real_need: str = ""
    urgency: str = Urgency.NORMAL
    resident_id: int | None = None
    household_id: int | None = None
    compound_id: int | None = None
    building_id: int | None = None
    visit_id: int | None = None
    received_at: datetime | None = None


@transaction.atomic
def concern_record(*, actor: User, data: ConcernInput) -> Concern:
    """SPEC "闻": who (resident, household or anonymous), channel, 家庭事/社区事, 原话, 真正诉求."""
    from jinlin.fieldwork.models import Channel

    _require_writer(actor)
    for name, allowed in (
        ("channel", Channel.values),
        ("scope", ConcernScope.values),
        ("subcategory", Subcategory.values),
        ("urgency", Urgency.values),
    ):
        if getattr(data, name) not in allowed:
            raise _refuse(name, MSG_CATEGORY_UNKNOWN)
    words = (data.words or "").strip()
    if not words:
        raise _refuse("words", MSG_WORDS_NEEDED)
    resident = household = building = None
    if data.resident_id is not None:
        resident = _visible_resident(actor, data.resident_id)
        if resident.status != LifeStatus.CURRENT:
            raise _refuse("resident_id", MSG_RESIDENT_GONE)
        household = resident.household
    elif data.household_id is not None:
        household = _visible_household(actor, data.household_id)
    if household is not None:
        compound_id, building_id, area_id = (
            household.compound_id,
            household.building_id,
            household.area_id,
        )
    else:
        if data.compound_id is None:
            raise _refuse("compound_id", MSG_PLACE_NEEDED)
        compound = _visible_compound(actor, data.compound_id)
        compound_id, area_id, building_id = compound.pk, compound.area_id, None
        if data.building_id is not None:
            building = Building.objects.filter(pk=data.building_id, compound=compound).first()
            if building is None:
                raise _refuse("building_id", MSG_BUILDING_NOT_IN_COMPOUND)
            building_id = building.pk
    visit = None
    if data.visit_id is not None:
        visit = access.visible_visits(actor).filter(pk=data.visit_id).first()
        if visit is None:
            raise _refuse("visit_id", "没有找到该走访记录")
    received_at = data.received_at or timezone.now()
    if received_at > timezone.now():
        raise _refuse("received_at", MSG_DATE_IN_FUTURE)
    return Concern.objects.create(
        area_id=area_id,
        compound_id=compound_id,
        building_id=building_id,
        household=household,
        resident=resident,
        channel=data.channel,
        scope=data.scope,
        subcategory=data.subcategory,
        words=words,
        real_need=(data.real_need or "").strip(),
        urgency=data.urgency,
        received_at=received_at,
        visit=visit,
        recorded_by=actor,
    )


@transaction.atomic
def concern_update_need(*, concern: Concern, actor: User, real_need: str) -> Concern:
    _require_writer(actor)
    concern.real_need = (real_need or "").strip()
    concern.save(update_fields=["real_need"])
    return concern


# --- 问: the think tank ---------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationInput:
    veteran_id: int
    topic: str
    question: str
    advice: str
    asked_on: date
    follow_up: str = ""
    is_agenda_item: bool = False


@transaction.atomic
def consultation_record(*, actor: User, data: ConsultationInput) -> Consultation:
    """SPEC "问": record what was asked and what the veteran advised."""
    _require_writer(actor)
    veteran = _visible_resident(actor, data.veteran_id, "veteran_id")
    today = timezone.localdate()
    in_think_tank = GroupMembership.objects.filter(
        resident=veteran, group__in=THINK_TANK_GROUPS, ended_on__isnull=True, since__lte=today
    ).exists()
    if not in_think_tank or veteran.status != LifeStatus.CURRENT:
        raise _refuse("veteran_id", MSG_NOT_THINK_TANK)
    if data.topic not in Consultation.Topic.values:
        raise _refuse("topic", MSG_CATEGORY_UNKNOWN)
    if not data.question.strip():
        raise _refuse("question", MSG_QUESTION_NEEDED)
    if not data.advice.strip():
        raise _refuse("advice", MSG_ADVICE_NEEDED)
    _not_future(data.asked_on, "asked_on")
    return Consultation.objects.create(
        area_id=veteran.area_id,
        compound_id=veteran.compound_id,
        building_id=veteran.building_id,
        veteran=veteran,
        topic=data.topic,
        question=data.question.strip(),
        advice=data.advice.strip(),
        follow_up=data.follow_up.strip(),
        is_agenda_item=data.is_agenda_item,
        asked_on=data.asked_on,
        recorded_by=actor,
    )


# --- 切: cases ------------------------------------------------------------------------------

Evidence = Concern | Finding | Visit | Consultation


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
    )
    if status != case.status:
        case.status = status
        case.save(update_fields=["status"])
    return case


def _may_work_on(case: Case, actor: User) -> None:
    _require_writer(actor)
    if not access.visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("无权处理该个案")


def _open_case(case: Case) -> None:
    if case.closed_at is not None:
        raise _refuse("case", MSG_CASE_CLOSED)


def _check_owner(owner: User | None, area_id: int) -> User:
    valid = (
        owner is not None
        and owner.is_active
        and owner.area_id == area_id
        and owner.role in (Role.AREA_SECRETARY, Role.WORKER)
    )
    if not valid:
        raise _refuse("owner_id", MSG_OWNER_INVALID)
    return owner  # type: ignore[return-value]


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


def _link(case: Case, actor: User, item: Evidence) -> CaseEvidence:
    if item.area_id != case.area_id:
        raise _refuse("evidence", MSG_EVIDENCE_OTHER_AREA)
    field = {Concern: "concern", Finding: "finding", Visit: "visit", Consultation: "consultation"}[
        type(item)
    ]
    if CaseEvidence.objects.filter(case=case, **{field: item}).exists():
        raise _refuse("evidence", MSG_EVIDENCE_TWICE)
    try:
        with transaction.atomic():
            link = CaseEvidence.objects.create(case=case, added_by=actor, **{field: item})
    except IntegrityError:
        raise _refuse("evidence", MSG_EVIDENCE_TWICE) from None
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
    _require_writer(actor)
    title = (data.title or "").strip()
    if not title:
        raise _refuse("title", MSG_TITLE_NEEDED)
    if data.scope not in ConcernScope.values:
        raise _refuse("scope", MSG_CATEGORY_UNKNOWN)
    if data.subcategory not in Subcategory.values:
        raise _refuse("subcategory", MSG_CATEGORY_UNKNOWN)
    household = None
    if data.household_id is not None:
        household = _visible_household(actor, data.household_id)
        area_id, compound_id, building_id = (
            household.area_id,
            household.compound_id,
            household.building_id,
        )
    elif data.compound_id is not None:
        compound = _visible_compound(actor, data.compound_id)
        area_id, compound_id, building_id = compound.area_id, compound.pk, None
    elif evidence:
        first = evidence[0]
        area_id, compound_id, building_id = first.area_id, first.compound_id, first.building_id
        household_id = getattr(first, "household_id", None)
        if household_id is not None:
            household = Household.objects.get(pk=household_id)
    else:
        raise _refuse("compound_id", MSG_CASE_PLACE_NEEDED)
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
        raise _refuse("root_cause", MSG_ROOT_CAUSE_SHORT.format(n=ROOT_CAUSE_MIN_CHARS))
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
        raise _refuse("root_cause", MSG_PLAN_BEFORE_ROOT_CAUSE)
    if not actions:
        raise _refuse("actions", MSG_PLAN_EMPTY)
    opened_on = timezone.localdate(case.opened_at)
    owners = {user.pk: user for user in User.objects.filter(pk__in={a.owner_id for a in actions})}
    rows = []
    for item in actions:
        description = (item.description or "").strip()
        if not description:
            raise _refuse("description", MSG_ACTION_TEXT)
        if item.due_on < opened_on:
            raise _refuse(
                "due_on", MSG_ACTION_DUE_BEFORE_OPENED.format(day=f"{opened_on:%Y-%m-%d}")
            )
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
        raise _refuse("action", MSG_ACTION_DONE)
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
    from jinlin.fieldwork.models import TalentHelp

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
        raise _refuse("talent_id", MSG_NOT_TALENT)
    if not (description or "").strip():
        raise _refuse("description", MSG_HELP_NEEDED)
    _not_future(helped_on, "helped_on")
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
        raise _refuse("root_cause", MSG_PLAN_BEFORE_ROOT_CAUSE)
    counts = case.actions.aggregate(
        total=Count("id"), open=Count("id", filter=Q(done_at__isnull=True))
    )
    if counts["total"] == 0:
        raise _refuse("actions", MSG_CLOSE_NEEDS_PLAN)
    if counts["open"]:
        raise _refuse("actions", MSG_CLOSE_OPEN_ACTIONS.format(n=counts["open"]))
    outcome = (outcome or "").strip()
    if not outcome:
        raise _refuse("outcome", MSG_OUTCOME_NEEDED)
    if feedback not in Feedback.values:
        raise _refuse("feedback", MSG_FEEDBACK_NEEDED)
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
    if case.closed_at is None:
        raise _refuse("case", MSG_NOT_CLOSED)
    reason = (reason or "").strip()
    if not reason:
        raise _refuse("reason", MSG_REOPEN_REASON)
    case.closed_at = None
    case.outcome = ""
    case.feedback = ""
    case.times_reopened += 1
    case.save(update_fields=["closed_at", "outcome", "feedback", "times_reopened"])
    _event(case, CaseEvent.Kind.REOPENED, actor, reason)
    return case_refresh_status(case)


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
        (concern_ids, access.visible_concerns(actor), "concern_ids", "没有找到该诉求"),
        (finding_ids, access.visible_findings(actor), "finding_ids", "没有找到该巡查发现"),
        (visit_ids, access.visible_visits(actor), "visit_ids", "没有找到该走访记录"),
        (
            consultation_ids,
            access.visible_consultations(actor),
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
                raise _refuse(field, message)
            found.append(rows[pk])
    return found
