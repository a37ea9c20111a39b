"""API of consultations of the think tank 智囊团."""

from __future__ import annotations

from typing import Any

from ninja import Query, Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork.common.schemas import Page
from jinlin.fieldwork.consultations import selectors, services
from jinlin.fieldwork.consultations.models import Consultation
from jinlin.fieldwork.consultations.schemas import ConsultationIn, ConsultationOut

router = Router(tags=["fieldwork"])


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


@router.get(
    "/consultations", response=answers(200, list[ConsultationOut], 422), summary="三老咨询记录"
)
def list_consultations(request: AuthedRequest, page: Query[Page]) -> list[dict[str, Any]]:
    items = selectors.consultation_list(request.user)
    return [_consultation_out(c) for c in items[page.offset : page.offset + page.limit]]


@router.post(
    "/consultations", response=answers(201, ConsultationOut, 400, 422), summary="登记三老咨询"
)
def create_consultation(request: AuthedRequest, payload: ConsultationIn) -> Status[dict[str, Any]]:
    item = services.consultation_record(
        actor=request.user, data=services.ConsultationInput(**payload.dict())
    )
    return Status(201, _consultation_out(item))


@router.get(
    "/consultations/{consultation_id}",
    response=answers(200, ConsultationOut, 404, 422),
    summary="三老咨询详情",
)
def get_consultation(request: AuthedRequest, consultation_id: ObjectId) -> dict[str, Any]:
    return _consultation_out(selectors.access_consultation(request.user, consultation_id))
