"""API of cases 个案 (切) and of the talent pool 能人库.

Outside the user's scope every case is 404; refused input is 422 with the field and a Chinese
message, and nothing is changed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork.cases import selectors, services
from jinlin.fieldwork.cases.models import Case, CaseAction, CaseEvent, CaseEvidence
from jinlin.fieldwork.cases.schemas import (
    ActionDoneIn,
    CaseDetailOut,
    CaseFilter,
    CaseIn,
    CaseOut,
    CloseIn,
    EventOut,
    EvidenceIn,
    MergeIn,
    PlanIn,
    ReopenIn,
    RootCauseIn,
    TalentHelpIn,
    TalentOut,
)

router = Router(tags=["fieldwork"])

MSG_ONE_EVIDENCE = "请指定一条证据：concern_id、finding_id、visit_id 或 consultation_id 之一"


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
        "merged_into_id": case.merged_into_id,
    }


def _evidence_out(link: CaseEvidence) -> dict[str, Any]:
    for kind in ("concern", "finding", "visit", "consultation"):
        item = getattr(link, kind)
        if item is not None:
            return {
                "kind": kind,
                "id": item.pk,
                "summary": selectors.evidence_summary(item),
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
        "merged_from_ids": [merged.pk for merged in detail["merged_from"]],
    }


@router.get(
    "/talents", response=answers(200, list[TalentOut], 422), summary="能人库：按特长查找社区能人"
)
def list_talents(
    request: AuthedRequest,
    skill: str = Query("", max_length=20),  # noqa: B008
) -> list[dict[str, Any]]:
    return [
        {
            "resident_id": row["resident_id"],
            "name": row["name"],
            "address": row["address"],
            "skills": row["skills"],
        }
        for row in selectors.talents(request.user, skill=skill)
    ]


@router.get("/cases", response=answers(200, list[CaseOut], 422), summary="个案")
def list_cases(request: AuthedRequest, filters: Query[CaseFilter]) -> list[dict[str, Any]]:
    cases = selectors.case_list(request.user, status=filters.status, mine=filters.mine)
    return [_case_out(c) for c in cases[filters.offset : filters.offset + filters.limit]]


@router.post("/cases", response=answers(201, CaseDetailOut, 400, 422), summary="立案（附证据）")
def create_case(request: AuthedRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = request.user
    evidence = selectors.evidence_objects(
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
    return Status(201, case_detail_out(selectors.access_case(user, case.pk)))


@router.get(
    "/cases/{case_id}",
    response=answers(200, CaseDetailOut, 404, 422),
    summary="个案详情（证据、方案、全过程）",
)
def get_case(request: AuthedRequest, case_id: ObjectId) -> dict[str, Any]:
    return case_detail_out(selectors.access_case(request.user, case_id))


@router.get(
    "/cases/{case_id}/timeline",
    response=answers(200, list[EventOut], 404, 422),
    summary="个案全过程",
)
def case_timeline(request: AuthedRequest, case_id: ObjectId) -> list[dict[str, Any]]:
    case = selectors.access_case(request.user, case_id)
    return [_event_out(e) for e in selectors.case_events(case)]


@router.post(
    "/cases/{case_id}/evidence",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="补充证据（民声、巡查发现、走访、咨询）",
)
def add_evidence(request: AuthedRequest, case_id: ObjectId, payload: EvidenceIn) -> dict[str, Any]:
    user = request.user
    case = selectors.access_case(user, case_id)
    given = {k: v for k, v in payload.dict().items() if v is not None}
    if len(given) != 1:
        raise ValidationError({"evidence": MSG_ONE_EVIDENCE})
    ((name, value),) = given.items()
    [item] = selectors.evidence_objects(user, **{name.replace("_id", "_ids"): [value]})
    services.case_add_evidence(case=case, actor=user, item=item)
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/root-cause",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="写明症结",
)
def set_root_cause(
    request: AuthedRequest, case_id: ObjectId, payload: RootCauseIn
) -> dict[str, Any]:
    user = request.user
    services.case_set_root_cause(
        case=selectors.access_case(user, case_id), actor=user, root_cause=payload.root_cause
    )
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/plan",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="制定方案（须先写明症结）",
)
def record_plan(request: AuthedRequest, case_id: ObjectId, payload: PlanIn) -> dict[str, Any]:
    user = request.user
    actions = [services.ActionInput(**a.dict()) for a in payload.actions]
    services.case_record_plan(
        case=selectors.access_case(user, case_id), actor=user, actions=actions
    )
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/actions/{action_id}/done",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="措施完成",
)
def complete_action(
    request: AuthedRequest, case_id: ObjectId, action_id: ObjectId, payload: ActionDoneIn
) -> dict[str, Any]:
    user = request.user
    case = selectors.access_case(user, case_id)
    action = selectors.action_of_case(case, action_id)
    if action is None:
        raise Http404("没有找到该措施")
    services.case_complete_action(action=action, actor=user, note=payload.note)
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/talent-help",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="记录能人相助",
)
def record_talent_help(
    request: AuthedRequest, case_id: ObjectId, payload: TalentHelpIn
) -> dict[str, Any]:
    user = request.user
    services.case_record_talent_help(
        case=selectors.access_case(user, case_id), actor=user, **payload.dict()
    )
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/close",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="结案（处理结果与居民反馈）",
)
def close_case(request: AuthedRequest, case_id: ObjectId, payload: CloseIn) -> dict[str, Any]:
    user = request.user
    services.case_close(
        case=selectors.access_case(user, case_id),
        actor=user,
        outcome=payload.outcome,
        feedback=payload.feedback,
    )
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/reopen",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="重新打开个案",
)
def reopen_case(request: AuthedRequest, case_id: ObjectId, payload: ReopenIn) -> dict[str, Any]:
    user = request.user
    services.case_reopen(
        case=selectors.access_case(user, case_id), actor=user, reason=payload.reason
    )
    return case_detail_out(selectors.access_case(user, case_id))


@router.post(
    "/cases/{case_id}/merge",
    response=answers(200, CaseDetailOut, 400, 404, 422),
    summary="合并个案：本案并入另一同一问题的个案，返回保留的个案",
)
def merge_case(request: AuthedRequest, case_id: ObjectId, payload: MergeIn) -> dict[str, Any]:
    user = request.user
    survivor = services.case_merge(
        case=selectors.access_case(user, case_id),
        actor=user,
        into_id=payload.into_case_id,
        reason=payload.reason,
    )
    return case_detail_out(selectors.access_case(user, survivor.pk))
