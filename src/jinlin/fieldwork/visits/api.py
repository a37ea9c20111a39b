"""API of visits: care visits due, visit records, proposed record updates, visit intervals."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from jinlin.core.api_schemas import Day, ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork import access
from jinlin.fieldwork.visits import selectors, services
from jinlin.fieldwork.visits.models import RecordProposal, Visit
from jinlin.fieldwork.visits.schemas import (
    DecisionIn,
    DueOut,
    IntervalIn,
    IntervalOut,
    ProposalFilter,
    ProposalIn,
    ProposalOut,
    VisitDetailOut,
    VisitFilter,
    VisitIn,
    VisitOut,
)
from jinlin.people.catalogue import label_of
from jinlin.places.access import access_area

router = Router(tags=["fieldwork"])


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


@router.get(
    "/visits/due",
    response=answers(200, DueOut, 422),
    summary="今日应走访（到期与逾期，逾期最久的在前）",
)
def visits_due(
    request: AuthedRequest,
    date_: Day | None = Query(None, alias="date"),  # noqa: B008
) -> dict[str, Any]:
    day = date_ or timezone.localdate()
    result = selectors.due_list(request.user, day)
    return {
        "date": day,
        "total": result.total,
        "overdue": result.overdue,
        "items": [row.as_dict() for row in result.rows],
    }


@router.get("/visits", response=answers(200, list[VisitOut], 422), summary="走访记录")
def list_visits(request: AuthedRequest, filters: Query[VisitFilter]) -> list[dict[str, Any]]:
    visits = selectors.visit_list(request.user, household_id=filters.household_id)
    return [_visit_out(v) for v in visits[filters.offset : filters.offset + filters.limit]]


@router.post("/visits", response=answers(201, VisitOut, 400, 422), summary="登记走访（入户或电话）")
def create_visit(request: AuthedRequest, payload: VisitIn) -> Status[dict[str, Any]]:
    visit = services.visit_record(actor=request.user, data=services.VisitInput(**payload.dict()))
    return Status(201, _visit_out(visit))


@router.get(
    "/visits/{visit_id}", response=answers(200, VisitDetailOut, 404, 422), summary="走访记录详情"
)
def get_visit(request: AuthedRequest, visit_id: ObjectId) -> dict[str, Any]:
    visit = selectors.access_visit(request.user, visit_id)
    proposals = selectors.visit_proposals(visit)
    return {**_visit_out(visit), "proposals": [_proposal_out(p) for p in proposals]}


@router.post(
    "/visits/{visit_id}/proposals",
    response=answers(201, ProposalOut, 400, 404, 422),
    summary="提出档案更新建议",
)
def create_proposal(
    request: AuthedRequest, visit_id: ObjectId, payload: ProposalIn
) -> Status[dict[str, Any]]:
    visit = selectors.access_visit(request.user, visit_id)
    proposal = services.proposal_create(
        visit=visit,
        actor=request.user,
        resident_id=payload.resident_id,
        field=payload.field,
        value=payload.value,
        reason=payload.reason,
    )
    return Status(201, _proposal_out(proposal))


@router.get("/proposals", response=answers(200, list[ProposalOut], 422), summary="档案更新建议")
def list_proposals(request: AuthedRequest, filters: Query[ProposalFilter]) -> list[dict[str, Any]]:
    proposals = selectors.proposal_list(request.user, status=filters.status)
    page = proposals[filters.offset : filters.offset + filters.limit]
    return [_proposal_out(p) for p in page]


def _decided_proposal_out(proposal: RecordProposal) -> dict[str, Any]:
    """The proposal as decided, read again with the people its answer names."""
    return _proposal_out(selectors.proposal_with_people(proposal.pk))


@router.post(
    "/proposals/{proposal_id}/accept",
    response=answers(200, ProposalOut, 400, 404, 422),
    summary="采纳建议（写入居民档案，留存历史）",
)
def accept_proposal(
    request: AuthedRequest, proposal_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    proposal = selectors.access_proposal(request.user, proposal_id)
    proposal = services.proposal_accept(proposal=proposal, actor=request.user, note=payload.note)
    return _decided_proposal_out(proposal)


@router.post(
    "/proposals/{proposal_id}/reject",
    response=answers(200, ProposalOut, 400, 404, 422),
    summary="不采纳建议",
)
def reject_proposal(
    request: AuthedRequest, proposal_id: ObjectId, payload: DecisionIn
) -> dict[str, Any]:
    proposal = selectors.access_proposal(request.user, proposal_id)
    proposal = services.proposal_reject(proposal=proposal, actor=request.user, note=payload.note)
    return _decided_proposal_out(proposal)


@router.get(
    "/areas/{area_id}/visit-intervals",
    response=answers(200, list[IntervalOut], 404, 422),
    summary="走访周期",
)
def list_intervals(request: AuthedRequest, area_id: ObjectId) -> list[dict[str, Any]]:
    area = access_area(request.user, area_id)
    if access.fieldwork_scope(request.user).is_empty:
        raise Http404("没有找到该居民区")
    own = selectors.intervals_by_area({area.pk})[area.pk]
    defaults = selectors.area_default_intervals(area.pk)
    return [
        {
            "group": group,
            "label": label_of(group),
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
def set_interval(
    request: AuthedRequest, area_id: ObjectId, payload: IntervalIn
) -> list[dict[str, Any]]:
    area = access_area(request.user, area_id)
    services.visit_interval_set(
        area_id=area.pk, actor=request.user, group=payload.group, days=payload.days
    )
    return list_intervals(request, area_id)
