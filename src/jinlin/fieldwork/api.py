"""API of fieldwork 望闻问切: the same services, selectors and access rules as the pages.

Outside the user's scope every object is 404; refused input is 422 with the field and a
Chinese message, and nothing is changed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from jinlin.core.api_schemas import Day, InputSchema, Moment, ObjectId, Offset, answers
from jinlin.fieldwork import access, selectors, services
from jinlin.fieldwork.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseEvidence,
    Concern,
    Consultation,
    Finding,
    Patrol,
    RecordProposal,
    Visit,
)
from jinlin.places.access import access_area

router = Router(tags=["fieldwork"])

MSG_ONE_EVIDENCE = "请指定一条证据：concern_id、finding_id、visit_id 或 consultation_id 之一"
MSG_NOT_DASHBOARD = "没有找到该居民区的工作台"


def _user(request: HttpRequest) -> Any:
    return request.user


# --- schemas ----------------------------------------------------------------------------------


class Page(InputSchema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0


class DueItemOut(Schema):
    household_id: int
    address: str
    residents: list[str]
    reason: str = Field(
        description="如“独居老人 · 每7天”；困难、大病、失独等敏感群体显示为“重点关爱对象”"
    )
    interval_days: int
    due_on: date
    days_overdue: int
    last_visit: date | None


class DueOut(Schema):
    date: date
    total: int
    overdue: int
    items: list[DueItemOut]


class VisitIn(InputSchema):
    household_id: ObjectId
    visited_on: Day
    mode: str = Field("in_person", description="in_person 入户 / phone 电话")
    condition: str = Field(
        "good", description="good 良好 / fair 一般 / poor 较差 / urgent 需紧急关注"
    )
    resident_id: ObjectId | None = None
    family_situation: str = Field("", max_length=2000)
    health: str = Field("", max_length=2000)
    living_habits: str = Field("", max_length=2000)
    needs: str = Field("", max_length=2000)


class ProposalIn(InputSchema):
    resident_id: ObjectId
    field: str = Field(
        description="phone, health, health_notes, employer, occupation, is_retired, residence_status, hobbies, notes"
    )
    value: str | bool | list[str]
    reason: str = Field("", max_length=200)


class ProposalOut(Schema):
    id: int
    visit_id: int
    resident_id: int
    resident_name: str
    field: str
    field_label: str
    value: Any = Field(description="电话、健康相关的建议值脱敏显示")
    reason: str
    status: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_note: str


class DecisionIn(InputSchema):
    note: str = Field("", max_length=200)


class VisitOut(Schema):
    id: int
    household_id: int
    address: str
    resident_id: int | None
    visited_on: date
    worker: str
    mode: str
    condition: str
    family_situation: str
    health: str
    living_habits: str
    needs: str


class VisitDetailOut(VisitOut):
    proposals: list[ProposalOut]


class VisitFilter(Page):
    household_id: ObjectId | None = None


class ConcernIn(InputSchema):
    channel: str = Field(
        description="office 来访 / phone 电话 / home_visit 入户 / online 网上 / building_leader 楼组长转达"
    )
    scope: str = Field(description="family 家庭事 / community 社区事")
    subcategory: str
    words: str = Field(max_length=5000, description="原话")
    real_need: str = Field("", max_length=2000, description="真正诉求")
    urgency: str = "normal"
    resident_id: ObjectId | None = None
    household_id: ObjectId | None = None
    compound_id: ObjectId | None = Field(None, description="匿名诉求须注明小区")
    building_id: ObjectId | None = None
    visit_id: ObjectId | None = None
    received_at: Moment | None = None


class ConcernPatch(InputSchema):
    real_need: str = Field(max_length=2000)


class ConcernOut(Schema):
    id: int
    channel: str
    scope: str
    subcategory: str
    words: str
    real_need: str
    urgency: str
    received_at: datetime
    compound_id: int | None
    building_id: int | None
    household_id: int | None
    resident_id: int | None
    resident_name: str | None
    is_anonymous: bool
    case_ids: list[int]


class ConcernFilter(Page):
    q: str = Field("", max_length=50)
    scope: str = ""
    subcategory: str = ""
    channel: str = ""
    urgency: str = ""
    compound_id: ObjectId | None = None
    has_case: bool | None = None


class CollectionPointIn(InputSchema):
    compound_id: ObjectId
    name: str = Field(max_length=50)


class CollectionPointOut(Schema):
    id: int
    compound_id: int
    name: str


class PatrolIn(InputSchema):
    compound_id: ObjectId
    patrolled_on: Day
    notes: str = Field("", max_length=2000)


class FindingIn(InputSchema):
    category: str
    place: str = Field("", max_length=100)
    severity: str = "none"
    building_id: ObjectId | None = None
    facility_state: str = ""
    collection_point_id: ObjectId | None = None
    is_up_to_standard: bool | None = None
    description: str = Field("", max_length=2000)


class PhotoOut(Schema):
    id: int
    url: str
    width: int
    height: int
    size: int


class FindingOut(Schema):
    id: int
    patrol_id: int
    found_on: date
    kind: str
    category: str
    category_label: str
    place: str
    severity: str
    facility_state: str
    collection_point_id: int | None
    is_up_to_standard: bool | None
    description: str
    building_id: int | None
    photos: list[PhotoOut]


class PatrolOut(Schema):
    id: int
    compound_id: int
    compound: str
    patrolled_on: date
    worker: str
    notes: str
    findings: list[FindingOut]


class ConsultationIn(InputSchema):
    veteran_id: ObjectId
    topic: str = Field(description="party_work 党建工作 / community 社区治理")
    question: str = Field(max_length=2000)
    advice: str = Field(max_length=4000)
    asked_on: Day
    follow_up: str = Field("", max_length=2000)
    is_agenda_item: bool = False


class ConsultationOut(Schema):
    id: int
    veteran_id: int
    veteran_name: str
    topic: str
    question: str
    advice: str
    follow_up: str
    is_agenda_item: bool
    asked_on: date


class CaseIn(InputSchema):
    title: str = Field(max_length=100)
    scope: str
    subcategory: str
    owner_id: ObjectId | None = None
    compound_id: ObjectId | None = None
    household_id: ObjectId | None = None
    concern_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    finding_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    visit_ids: list[ObjectId] = Field(default_factory=list, max_length=50)
    consultation_ids: list[ObjectId] = Field(default_factory=list, max_length=50)


class EvidenceIn(InputSchema):
    concern_id: ObjectId | None = None
    finding_id: ObjectId | None = None
    visit_id: ObjectId | None = None
    consultation_id: ObjectId | None = None


class RootCauseIn(InputSchema):
    root_cause: str = Field(max_length=4000)


class ActionIn(InputSchema):
    description: str = Field(max_length=200)
    owner_id: ObjectId
    due_on: Day


class PlanIn(InputSchema):
    actions: list[ActionIn] = Field(max_length=50)


class ActionDoneIn(InputSchema):
    note: str = Field("", max_length=200)


class CloseIn(InputSchema):
    outcome: str = Field(max_length=4000)
    feedback: str = Field(description="satisfied 满意 / partly 基本满意 / not 不满意")


class ReopenIn(InputSchema):
    reason: str = Field(max_length=500)


class TalentHelpIn(InputSchema):
    talent_id: ObjectId
    skill: str = Field("", max_length=20)
    description: str = Field(max_length=200)
    helped_on: Day


class ActionOut(Schema):
    id: int
    description: str
    owner_id: int
    owner: str
    due_on: date
    done_at: datetime | None
    done_note: str
    is_overdue: bool


class EventOut(Schema):
    at: datetime
    kind: str
    kind_label: str
    actor: str
    text: str


class EvidenceOut(Schema):
    kind: str
    id: int
    summary: str
    added_at: datetime


class CaseOut(Schema):
    id: int
    title: str
    scope: str
    subcategory: str
    status: str
    status_label: str
    owner_id: int
    owner: str
    area_id: int
    compound_id: int | None
    household_id: int | None
    opened_at: datetime
    root_cause: str
    closed_at: datetime | None
    outcome: str
    feedback: str
    times_reopened: int


class CaseDetailOut(CaseOut):
    evidence: list[EvidenceOut]
    actions: list[ActionOut]
    timeline: list[EventOut]


class CaseFilter(Page):
    status: str = Field("", description="open 未结案, 或 diagnosing/planning/acting/closing/closed")
    mine: bool = False


class TalentOut(Schema):
    resident_id: int
    name: str
    address: str
    skills: list[str]


class IntervalIn(InputSchema):
    group: str
    days: int


class IntervalOut(Schema):
    group: str
    label: str
    days: int
    is_default: bool


# --- shaping ----------------------------------------------------------------------------------


def _visit_out(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "household_id": visit.household_id,
        "address": visit.household.address,
        "resident_id": visit.resident_id,
        "visited_on": visit.visited_on,
        "worker": str(visit.worker),
        "mode": visit.mode,
        "condition": visit.condition,
        "family_situation": visit.family_situation,
        "health": visit.health,
        "living_habits": visit.living_habits,
        "needs": visit.needs,
    }


def _proposal_out(proposal: RecordProposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "visit_id": proposal.visit_id,
        "resident_id": proposal.resident_id,
        "resident_name": proposal.resident.name,
        "field": proposal.field,
        "field_label": proposal.get_field_display(),
        "value": selectors.masked_proposal_value(proposal),
        "reason": proposal.reason,
        "status": proposal.status,
        "proposed_by": str(proposal.proposed_by),
        "proposed_at": proposal.proposed_at,
        "decided_by": str(proposal.decided_by) if proposal.decided_by_id else None,
        "decided_at": proposal.decided_at,
        "decision_note": proposal.decision_note,
    }


def _concern_out(concern: Concern, case_ids: list[int] | None = None) -> dict[str, Any]:
    return {
        "id": concern.pk,
        "channel": concern.channel,
        "scope": concern.scope,
        "subcategory": concern.subcategory,
        "words": concern.words,
        "real_need": concern.real_need,
        "urgency": concern.urgency,
        "received_at": concern.received_at,
        "compound_id": concern.compound_id,
        "building_id": concern.building_id,
        "household_id": concern.household_id,
        "resident_id": concern.resident_id,
        "resident_name": concern.resident.name if concern.resident_id else None,
        "is_anonymous": concern.is_anonymous,
        "case_ids": case_ids or [],
    }


def _photo_out(photo: Any) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": photo.pk,
        "url": reverse("fieldwork_photo", args=[photo.pk]),
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
    }


def _finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "patrol_id": finding.patrol_id,
        "found_on": finding.found_on,
        "kind": finding.kind,
        "category": finding.category,
        "category_label": finding.get_category_display(),
        "place": finding.place,
        "severity": finding.severity,
        "facility_state": finding.facility_state,
        "collection_point_id": finding.collection_point_id,
        "is_up_to_standard": finding.is_up_to_standard,
        "description": finding.description,
        "building_id": finding.building_id,
        "photos": [_photo_out(p) for p in finding.photos.all()],
    }


def _consultation_out(item: Consultation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "veteran_id": item.veteran_id,
        "veteran_name": item.veteran.name,
        "topic": item.topic,
        "question": item.question,
        "advice": item.advice,
        "follow_up": item.follow_up,
        "is_agenda_item": item.is_agenda_item,
        "asked_on": item.asked_on,
    }


def _case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "title": case.title,
        "scope": case.scope,
        "subcategory": case.subcategory,
        "status": case.status,
        "status_label": case.get_status_display(),
        "owner_id": case.owner_id,
        "owner": str(case.owner),
        "area_id": case.area_id,
        "compound_id": case.compound_id,
        "household_id": case.household_id,
        "opened_at": case.opened_at,
        "root_cause": case.root_cause,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "feedback": case.feedback,
        "times_reopened": case.times_reopened,
    }


def _evidence_out(link: CaseEvidence) -> dict[str, Any]:
    for kind in ("concern", "finding", "visit", "consultation"):
        item = getattr(link, kind)
        if item is not None:
            return {
                "kind": kind,
                "id": item.pk,
                "summary": services.evidence_summary(item),
                "added_at": link.added_at,
            }
    raise AssertionError("evidence without an object")  # pragma: no cover


def _action_out(action: CaseAction, today: date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "description": action.description,
        "owner_id": action.owner_id,
        "owner": str(action.owner),
        "due_on": action.due_on,
        "done_at": action.done_at,
        "done_note": action.done_note,
        "is_overdue": action.done_at is None and action.due_on < today,
    }


def _event_out(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": event.at,
        "kind": event.kind,
        "kind_label": event.get_kind_display(),
        "actor": str(event.actor),
        "text": event.text,
    }


def case_detail_out(case: Case) -> dict[str, Any]:
    detail = selectors.case_detail(case)
    today = timezone.localdate()
    return {
        **_case_out(case),
        "evidence": [_evidence_out(link) for link in detail["evidence"]],
        "actions": [_action_out(action, today) for action in detail["actions"]],
        "timeline": [_event_out(event) for event in detail["events"]],
    }


# --- 问: due list, visits, proposals -----------------------------------------------------------


@router.get(
    "/visits/due",
    response=answers(200, DueOut, 422),
    summary="今日应走访（到期与逾期，逾期最久的在前）",
)
def visits_due(
    request: HttpRequest,
    date_: Day | None = Query(None, alias="date"),  # noqa: B008
) -> dict[str, Any]:
    day = date_ or timezone.localdate()
    result = selectors.due_list(_user(request), day)
    return {
        "date": day,
        "total": result.total,
        "overdue": result.overdue,
        "items": [row.as_dict() for row in result.rows],
    }


@router.get("/visits", response=answers(200, list[VisitOut], 422), summary="走访记录")
def list_visits(request: HttpRequest, filters: Query[VisitFilter]) -> list[dict[str, Any]]:
    visits = selectors.visit_list(_user(request), household_id=filters.household_id)
    return [_visit_out(v) for v in visits[filters.offset : filters.offset + filters.limit]]


@router.post("/visits", response=answers(201, VisitOut, 400, 422), summary="登记走访（入户或电话）")
def create_visit(request: HttpRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    visit = services.visit_record(actor=_user(request), data=services.VisitInput(**payload.dict()))
    return Status(201, _visit_out(visit))


@router.get(
    "/visits/{visit_id}", response=answers(200, VisitDetailOut, 404, 422), summary="走访记录详情"
)
def get_visit(request: HttpRequest, visit_id: int) -> dict[str, Any]:
    visit = access.access_visit(_user(request), visit_id)
    proposals = visit.proposals.select_related("resident", "proposed_by", "decided_by").order_by(
        "id"
    )
    return {**_visit_out(visit), "proposals": [_proposal_out(p) for p in proposals]}


@router.post(
    "/visits/{visit_id}/proposals",
    response=answers(201, ProposalOut, 400, 404, 422),
    summary="提出档案更新建议",
)
def create_proposal(
    request: HttpRequest, visit_id: int, payload: ProposalIn
) -> Status[dict[str, Any]]:
    visit = access.access_visit(_user(request), visit_id)
    proposal = services.proposal_create(
        visit=visit,
        actor=_user(request),
        resident_id=payload.resident_id,
        field=payload.field,
        value=payload.value,
        reason=payload.reason,
    )
    return Status(201, _proposal_out(proposal))


class ProposalFilter(Page):
    status: str = Field(
        "pending", description="pending 待审核 / accepted 已采纳 / rejected 未采纳；空为全部"
    )


@router.get("/proposals", response=answers(200, list[ProposalOut], 422), summary="档案更新建议")
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> list[dict[str, Any]]:
    proposals = access.visible_proposals(_user(request)).select_related(
        "resident", "proposed_by", "decided_by"
    )
    if filters.status:
        proposals = proposals.filter(status=filters.status)
    page = proposals.order_by("-proposed_at", "-id")[
        filters.offset : filters.offset + filters.limit
    ]
    return [_proposal_out(p) for p in page]


def _decided_proposal_out(proposal: RecordProposal) -> dict[str, Any]:
    """The proposal as decided, read again with the people its answer names."""
    return _proposal_out(
        RecordProposal.objects.select_related("resident", "proposed_by", "decided_by").get(
            pk=proposal.pk
        )
    )


@router.post(
    "/proposals/{proposal_id}/accept",
    response=answers(200, ProposalOut, 400, 404, 422),
    summary="采纳建议（写入居民档案，留存历史）",
)
def accept_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> dict[str, Any]:
    proposal = access.access_proposal(_user(request), proposal_id)
    proposal = services.proposal_accept(proposal=proposal, actor=_user(request), note=payload.note)
    return _decided_proposal_out(proposal)


@router.post(
    "/proposals/{proposal_id}/reject",
    response=answers(200, ProposalOut, 400, 404, 422),
    summary="不采纳建议",
)
def reject_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> dict[str, Any]:
    proposal = access.access_proposal(_user(request), proposal_id)
    proposal = services.proposal_reject(proposal=proposal, actor=_user(request), note=payload.note)
    return _decided_proposal_out(proposal)


@router.get(
    "/areas/{area_id}/visit-intervals",
    response=answers(200, list[IntervalOut], 404, 422),
    summary="走访周期",
)
def list_intervals(request: HttpRequest, area_id: int) -> list[dict[str, Any]]:
    area = access_area(_user(request), area_id)
    if access.fieldwork_scope(_user(request)).is_empty:
        raise Http404("没有找到该居民区")
    own = selectors.intervals_by_area({area.pk})[area.pk]
    defaults = services.default_intervals()
    from jinlin.people.groups import GROUPS, GroupCode

    return [
        {
            "group": group,
            "label": GROUPS[GroupCode(group)].label,
            "days": own[group],
            "is_default": own[group] == defaults[group],
        }
        for group in defaults
    ]


@router.put(
    "/areas/{area_id}/visit-intervals",
    response=answers(200, list[IntervalOut], 400, 404, 422),
    summary="设置本居民区某群体的走访周期",
)
def set_interval(request: HttpRequest, area_id: int, payload: IntervalIn) -> list[dict[str, Any]]:
    area = access_area(_user(request), area_id)
    services.visit_interval_set(
        area_id=area.pk, actor=_user(request), group=payload.group, days=payload.days
    )
    return list_intervals(request, area_id)


# --- 闻: concerns -------------------------------------------------------------------------------


def _case_ids_by_concern(concern_ids: list[int]) -> dict[int, list[int]]:
    result: dict[int, list[int]] = {}
    for concern_id, case_id in CaseEvidence.objects.filter(concern_id__in=concern_ids).values_list(
        "concern_id", "case_id"
    ):
        result.setdefault(concern_id, []).append(case_id)
    return result


@router.get(
    "/concerns",
    response=answers(200, list[ConcernOut], 422),
    summary="民声诉求（可搜索原话、真正诉求、居民姓名）",
)
def list_concerns(request: HttpRequest, filters: Query[ConcernFilter]) -> list[dict[str, Any]]:
    concerns = list(
        selectors.concern_list(
            _user(request),
            q=filters.q,
            scope=filters.scope,
            subcategory=filters.subcategory,
            channel=filters.channel,
            urgency=filters.urgency,
            compound_id=filters.compound_id,
            has_case=filters.has_case,
        )[filters.offset : filters.offset + filters.limit]
    )
    cases = _case_ids_by_concern([c.pk for c in concerns])
    return [_concern_out(c, cases.get(c.pk)) for c in concerns]


@router.post("/concerns", response=answers(201, ConcernOut, 400, 422), summary="登记民声诉求")
def create_concern(request: HttpRequest, payload: ConcernIn) -> Status[dict[str, Any]]:
    concern = services.concern_record(
        actor=_user(request), data=services.ConcernInput(**payload.dict())
    )
    return Status(201, _concern_out(concern))


@router.get(
    "/concerns/{concern_id}", response=answers(200, ConcernOut, 404, 422), summary="民声诉求详情"
)
def get_concern(request: HttpRequest, concern_id: int) -> dict[str, Any]:
    concern = access.access_concern(_user(request), concern_id)
    return _concern_out(concern, _case_ids_by_concern([concern.pk]).get(concern.pk))


@router.patch(
    "/concerns/{concern_id}",
    response=answers(200, ConcernOut, 400, 404, 422),
    summary="补充真正诉求",
)
def update_concern(request: HttpRequest, concern_id: int, payload: ConcernPatch) -> dict[str, Any]:
    concern = access.access_concern(_user(request), concern_id)
    concern = services.concern_update_need(
        concern=concern, actor=_user(request), real_need=payload.real_need
    )
    return _concern_out(concern, _case_ids_by_concern([concern.pk]).get(concern.pk))


# --- 望: patrols, findings, photos ----------------------------------------------------------------


@router.get(
    "/collection-points", response=answers(200, list[CollectionPointOut], 422), summary="垃圾投放点"
)
def list_collection_points(
    request: HttpRequest, compound_id: int | None = None
) -> list[dict[str, Any]]:
    points = access.visible_collection_points(_user(request)).order_by("compound_id", "name")
    if compound_id is not None:
        points = points.filter(compound_id=compound_id)
    return [{"id": p.pk, "compound_id": p.compound_id, "name": p.name} for p in points[:500]]


@router.post(
    "/collection-points",
    response=answers(201, CollectionPointOut, 400, 422),
    summary="登记垃圾投放点",
)
def create_collection_point(
    request: HttpRequest, payload: CollectionPointIn
) -> Status[dict[str, Any]]:
    point = services.collection_point_create(
        actor=_user(request), compound_id=payload.compound_id, name=payload.name
    )
    return Status(201, {"id": point.pk, "compound_id": point.compound_id, "name": point.name})


def _patrol_out(patrol: Patrol) -> dict[str, Any]:
    findings = patrol.findings.prefetch_related("photos").order_by("id")
    return {
        "id": patrol.pk,
        "compound_id": patrol.compound_id,
        "compound": patrol.compound.name if patrol.compound else "",
        "patrolled_on": patrol.patrolled_on,
        "worker": str(patrol.worker),
        "notes": patrol.notes,
        "findings": [_finding_out(f) for f in findings],
    }


@router.get("/patrols", response=answers(200, list[PatrolOut], 422), summary="巡查记录")
def list_patrols(request: HttpRequest, page: Query[Page]) -> list[dict[str, Any]]:
    from django.db.models import Prefetch

    patrols = (
        access.visible_patrols(_user(request))
        .select_related("compound", "worker")
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.order_by("id").prefetch_related("photos"))
        )
        .order_by("-patrolled_on", "-id")[page.offset : page.offset + page.limit]
    )
    return [
        {
            "id": p.pk,
            "compound_id": p.compound_id,
            "compound": p.compound.name if p.compound else "",
            "patrolled_on": p.patrolled_on,
            "worker": str(p.worker),
            "notes": p.notes,
            "findings": [_finding_out(f) for f in p.findings.all()],
        }
        for p in patrols
    ]


@router.post("/patrols", response=answers(201, PatrolOut, 400, 422), summary="开始巡查")
def create_patrol(request: HttpRequest, payload: PatrolIn) -> Status[dict[str, Any]]:
    patrol = services.patrol_record(
        actor=_user(request),
        compound_id=payload.compound_id,
        patrolled_on=payload.patrolled_on,
        notes=payload.notes,
    )
    return Status(201, _patrol_out(patrol))


@router.get("/patrols/{patrol_id}", response=answers(200, PatrolOut, 404, 422), summary="巡查详情")
def get_patrol(request: HttpRequest, patrol_id: int) -> dict[str, Any]:
    return _patrol_out(access.access_patrol(_user(request), patrol_id))


@router.post(
    "/patrols/{patrol_id}/findings",
    response=answers(201, FindingOut, 400, 404, 422),
    summary="登记巡查发现",
)
def create_finding(
    request: HttpRequest, patrol_id: int, payload: FindingIn
) -> Status[dict[str, Any]]:
    patrol = access.access_patrol(_user(request), patrol_id)
    finding = services.finding_record(
        patrol=patrol, actor=_user(request), data=services.FindingInput(**payload.dict())
    )
    return Status(201, _finding_out(finding))


@router.get(
    "/findings/{finding_id}", response=answers(200, FindingOut, 404, 422), summary="巡查发现详情"
)
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    return _finding_out(access.access_finding(_user(request), finding_id))


@router.post(
    "/findings/{finding_id}/photos",
    response=answers(201, PhotoOut, 400, 404, 422),
    summary="上传照片（仅图片，去除位置信息）",
)
def upload_photo(
    request: HttpRequest, finding_id: int, photo: File[UploadedFile]
) -> Status[dict[str, Any]]:
    finding = access.access_finding(_user(request), finding_id)
    from jinlin.fieldwork.photos import MSG_TOO_LARGE, max_bytes

    if photo.size is not None and photo.size > max_bytes():
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=max_bytes() // (1024 * 1024))})
    row = services.finding_add_photo(
        finding=finding, actor=_user(request), content=photo.read(max_bytes() + 1)
    )
    return Status(201, _photo_out(row))


# --- 问: the think tank and the talent pool ----------------------------------------------------------


@router.get(
    "/consultations", response=answers(200, list[ConsultationOut], 422), summary="三老咨询记录"
)
def list_consultations(request: HttpRequest, page: Query[Page]) -> list[dict[str, Any]]:
    items = (
        access.visible_consultations(_user(request))
        .select_related("veteran")
        .order_by("-asked_on", "-id")
    )
    return [_consultation_out(c) for c in items[page.offset : page.offset + page.limit]]


@router.post(
    "/consultations", response=answers(201, ConsultationOut, 400, 422), summary="登记三老咨询"
)
def create_consultation(request: HttpRequest, payload: ConsultationIn) -> Status[dict[str, Any]]:
    item = services.consultation_record(
        actor=_user(request), data=services.ConsultationInput(**payload.dict())
    )
    return Status(201, _consultation_out(item))


@router.get(
    "/consultations/{consultation_id}",
    response=answers(200, ConsultationOut, 404, 422),
    summary="三老咨询详情",
)
def get_consultation(request: HttpRequest, consultation_id: int) -> dict[str, Any]:
    return _consultation_out(access.access_consultation(_user(request), consultation_id))


@router.get(
    "/talents", response=answers(200, list[TalentOut], 422), summary="能人库：按特长查找社区能人"
)
def list_talents(
    request: HttpRequest,
    skill: str = Query("", max_length=20),  # noqa: B008
) -> list[dict[str, Any]]:
    return [
        {
            "resident_id": row["resident_id"],
            "name": row["name"],
            "address": row["address"],
            "skills": row["skills"],
        }
        for row in selectors.talents(_user(request), skill=skill)
    ]


# --- 切: cases ---------------------------------------------------------------------------------


@router.get("/cases", response=answers(200, list[CaseOut], 422), summary="个案")
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> list[dict[str, Any]]:
    cases = selectors.case_list(_user(request), status=filters.status, mine=filters.mine)
    return [_case_out(c) for c in cases[filters.offset : filters.offset + filters.limit]]


@router.post("/cases", response=answers(201, CaseDetailOut, 400, 422), summary="立案（附证据）")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = _user(request)
    evidence = services.evidence_objects(
        user,
        concern_ids=payload.concern_ids,
        finding_ids=payload.finding_ids,
        visit_ids=payload.visit_ids,
        consultation_ids=payload.consultation_ids,
    )
    data = services.CaseInput(
        title=payload.title,
        scope=payload.scope,
        subcategory=payload.subcategory,
        owner_id=payload.owner_id,
        compound_id=payload.compound_id,
        household_id=payload.household_id,
    )
    case = services.case_open(actor=user, data=data, evidence=evidence)
    return Status(201, case_detail_out(access.access_case(user, case.pk)))


@router.get(
    "/cases/{case_id}",
    response=answers(200, CaseDetailOut, 404, 422),
    summary="个案详情（证据、方案、全过程）",
)
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return case_detail_out(access.access_case(_user(request), case_id))


@router.get(
    "/cases/{case_id}/timeline",
    response=answers(200, list[EventOut], 404, 422),
    summary="个案全过程",
)
def case_timeline(request: HttpRequest, case_id: int) -> list[dict[str, Any]]:
    case = access.access_case(_user(request), case_id)
    return [_event_out(e) for e in case.events.select_related("actor").order_by("at", "id")]


@router.post(
    "/cases/{case_id}/evidence",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="补充证据（民声、巡查发现、走访、咨询）",
)
def add_evidence(request: HttpRequest, case_id: int, payload: EvidenceIn) -> dict[str, Any]:
    user = _user(request)
    case = access.access_case(user, case_id)
    given = {k: v for k, v in payload.dict().items() if v is not None}
    if len(given) != 1:
        raise ValidationError({"evidence": MSG_ONE_EVIDENCE})
    ((name, value),) = given.items()
    [item] = services.evidence_objects(user, **{name.replace("_id", "_ids"): [value]})
    services.case_add_evidence(case=case, actor=user, item=item)
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/root-cause",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="写明症结",
)
def set_root_cause(request: HttpRequest, case_id: int, payload: RootCauseIn) -> dict[str, Any]:
    user = _user(request)
    services.case_set_root_cause(
        case=access.access_case(user, case_id), actor=user, root_cause=payload.root_cause
    )
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/plan",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="制定方案（须先写明症结）",
)
def record_plan(request: HttpRequest, case_id: int, payload: PlanIn) -> dict[str, Any]:
    user = _user(request)
    actions = [services.ActionInput(**a.dict()) for a in payload.actions]
    services.case_record_plan(case=access.access_case(user, case_id), actor=user, actions=actions)
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/actions/{action_id}/done",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="措施完成",
)
def complete_action(
    request: HttpRequest, case_id: int, action_id: int, payload: ActionDoneIn
) -> dict[str, Any]:
    user = _user(request)
    case = access.access_case(user, case_id)
    action = CaseAction.objects.filter(case=case, pk=action_id).select_related("case").first()
    if action is None:
        raise Http404("没有找到该措施")
    services.case_complete_action(action=action, actor=user, note=payload.note)
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/talent-help",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="记录能人相助",
)
def record_talent_help(request: HttpRequest, case_id: int, payload: TalentHelpIn) -> dict[str, Any]:
    user = _user(request)
    services.case_record_talent_help(
        case=access.access_case(user, case_id), actor=user, **payload.dict()
    )
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/close",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="结案（处理结果与居民反馈）",
)
def close_case(request: HttpRequest, case_id: int, payload: CloseIn) -> dict[str, Any]:
    user = _user(request)
    services.case_close(
        case=access.access_case(user, case_id),
        actor=user,
        outcome=payload.outcome,
        feedback=payload.feedback,
    )
    return case_detail_out(access.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/reopen",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="重新打开个案",
)
def reopen_case(request: HttpRequest, case_id: int, payload: ReopenIn) -> dict[str, Any]:
    user = _user(request)
    services.case_reopen(case=access.access_case(user, case_id), actor=user, reason=payload.reason)
    return case_detail_out(access.access_case(user, case_id))


# --- the area dashboard --------------------------------------------------------------------------


@router.get(
    "/areas/{area_id}/fieldwork-dashboard",
    response=answers(200, dict[str, Any], 404, 422),
    summary="居民区工作台（汇总，无个人信息）",
)
def area_dashboard(request: HttpRequest, area_id: int) -> dict[str, Any]:
    user = _user(request)
    area = access_area(user, area_id)
    if not access.can_see_dashboard(user, area.pk):
        raise Http404(MSG_NOT_DASHBOARD)
    board = selectors.dashboard(area.pk)
    return {
        "date": board.on.isoformat(),
        "status_counts": board.status_counts,
        "cases_by_category": board.cases_by_category,
        "overdue_by_worker": board.overdue_by_worker,
        "findings_by_compound": board.findings_by_compound,
        "months": board.months,
        "garbage_points": board.garbage_points,
        "concerns_by_subcategory": board.concerns_by_subcategory,
        "overdue_actions": board.overdue_actions,
        "due_total": board.due_total,
        "overdue_total": board.overdue_total,
    }
