"""API of 转交: one case or concern, a list of them, or all a leaving worker holds.

A worker asking is refused (403); a case or concern outside the asker's scope is 404; bad
input is 422 with the field and a Chinese message, and nothing is changed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.selectors import access_case
from jinlin.fieldwork.concerns.selectors import access_concern
from jinlin.fieldwork.handover import selectors, services
from jinlin.fieldwork.handover.models import Reassignment
from jinlin.fieldwork.handover.schemas import (
    HoldingOut,
    ItemsIn,
    ReassignIn,
    ReassignmentOut,
    WorkerHandoverIn,
)

router = Router(tags=["fieldwork"])


def _out(reassignment: Reassignment) -> dict[str, Any]:
    items = list(reassignment.items.values_list("case_id", "concern_id"))
    return {
        "id": reassignment.pk,
        "area_id": reassignment.area_id,
        "at": reassignment.at,
        "from_user_id": reassignment.from_user_id,
        "to_user_id": reassignment.to_user_id,
        "to_user": str(reassignment.to_user),
        "reason": reassignment.reason,
        "case_ids": [case_id for case_id, _ in items if case_id is not None],
        "concern_ids": [concern_id for _, concern_id in items if concern_id is not None],
        "actions_moved": reassignment.actions_moved,
        "patch_places": list(reassignment.patch_places),
    }


@router.post(
    "/cases/{case_id}/reassign",
    response=answers(201, ReassignmentOut, 400, 404, 422),
    summary="转交个案（连同原负责人名下未完成的措施）",
)
def reassign_case(
    request: AuthedRequest, case_id: ObjectId, payload: ReassignIn
) -> Status[dict[str, Any]]:
    user = request.user
    case = access_case(user, case_id)
    done = services.case_reassign(
        case=case, actor=user, to_user_id=payload.to_user_id, reason=payload.reason
    )
    return Status(201, _out(done))


@router.post(
    "/concerns/{concern_id}/reassign",
    response=answers(201, ReassignmentOut, 400, 404, 422),
    summary="转交诉求（换跟进人）",
)
def reassign_concern(
    request: AuthedRequest, concern_id: ObjectId, payload: ReassignIn
) -> Status[dict[str, Any]]:
    user = request.user
    concern = access_concern(user, concern_id)
    done = services.concern_reassign(
        concern=concern, actor=user, to_user_id=payload.to_user_id, reason=payload.reason
    )
    return Status(201, _out(done))


@router.post(
    "/handover/items",
    response=answers(201, ReassignmentOut, 400, 422),
    summary="批量转交所选个案和诉求（全部成功或全部不变）",
)
def reassign_items(request: AuthedRequest, payload: ItemsIn) -> Status[dict[str, Any]]:
    done = services.handover_items(
        actor=request.user,
        to_user_id=payload.to_user_id,
        reason=payload.reason,
        case_ids=payload.case_ids,
        concern_ids=payload.concern_ids,
    )
    return Status(201, _out(done))


@router.post(
    "/handover/worker",
    response=answers(201, ReassignmentOut, 400, 422),
    summary="社工离岗：未结个案、诉求、措施和包片整体转交（全部成功或全部不变）",
)
def hand_over_worker(request: AuthedRequest, payload: WorkerHandoverIn) -> Status[dict[str, Any]]:
    done = services.handover_worker(
        actor=request.user,
        from_user_id=payload.from_user_id,
        to_user_id=payload.to_user_id,
        reason=payload.reason,
        include_patch=payload.include_patch,
    )
    return Status(201, _out(done))


@router.get(
    "/handover/workers/{user_id}",
    response=answers(200, HoldingOut, 404, 422),
    summary="社工名下待转交的工作（数量与包片）",
)
def worker_holding(request: AuthedRequest, user_id: ObjectId) -> dict[str, Any]:
    user = request.user
    if not access.may_hand_over_at_all(user):
        raise PermissionDenied(services.MSG_NOT_ALLOWED)
    worker = selectors.worker_or_none(user_id)
    if worker is None or not access.can_hand_over(user, worker.area_id):
        raise Http404("没有找到该社工")
    held = selectors.holding(worker)
    return {
        "worker_id": worker.pk,
        "worker": str(worker),
        "open_cases": held.cases,
        "open_concerns": held.concerns,
        "open_actions": held.actions,
        "closed_cases": held.closed_cases,
        "compounds": [{"id": c.pk, "name": c.name} for c in held.compounds],
        "buildings": [{"id": b.pk, "name": f"{b.compound.name}{b.label}"} for b in held.buildings],
    }
