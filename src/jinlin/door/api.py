"""The residents' door through the API (public, auth=None): raise a concern on a building by
its token, follow it by its receipt, rate it once closed. The same services, limits and
messages as the pages; never anything about residents (no callback phone, no room)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from jinlin.core import throttle
from jinlin.core.api_schemas import InputSchema, OneOf, answers
from jinlin.door import selectors
from jinlin.door.conf import rate_limit
from jinlin.fieldwork.concerns import selectors as concern_selectors
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.concerns.models import Concern, Rating

router = Router(tags=["door"])

MSG_RECEIPT_UNKNOWN = "没有找到该回执"


class ConcernIn(InputSchema):
    words: str = Field("", max_length=2000, description="想说的事，用自己的话（1000字以内）")
    room: str = Field("", max_length=20, description="室号，如 301（可不填）")
    phone: str = Field("", max_length=30, description="回电号码（可不填；只有工作人员能看到）")


class RatingIn(InputSchema):
    rating: Annotated[str, OneOf(Rating)] = Field(
        description="satisfied 满意 / fairly_satisfied 基本满意 / unsatisfied 不满意"
    )
    note: str = Field("", max_length=400, description="说一句（200字以内）")


class ConcernStatusOut(Schema):
    receipt: str
    status: str = Field(
        description="waiting 待回复 / replied 已回复 / closed 已办结 / review 书记复核中"
    )
    status_label: str
    building: str
    received_at: datetime
    words: str
    reply: str
    replied_at: datetime | None
    rating: str
    rating_label: str
    may_rate: bool


_STATUS_LABELS = {
    "waiting": "待回复",
    "replied": "已回复",
    "closed": "已办结",
    "review": "书记复核中",
}


def _too_many(request: HttpRequest, kind: str) -> HttpResponse | None:
    limit, seconds = rate_limit(kind)
    verdict = throttle.hit(f"door:{kind}", request, limit=limit, seconds=seconds)
    if verdict.allowed:
        return None
    response = JsonResponse(
        {"detail": verdict.message}, status=429, json_dumps_params={"ensure_ascii": False}
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _status(concern: Concern) -> dict[str, Any]:
    closed = concern_selectors.is_closed_for_resident(concern)
    if concern.needs_secretary_review:
        status = "review"
    elif closed:
        status = "closed"
    elif concern.reply:
        status = "replied"
    else:
        status = "waiting"
    building = concern.building
    return {
        "receipt": concern.receipt,
        "status": status,
        "status_label": _STATUS_LABELS[status],
        "building": f"{building.compound.name} {building.label}" if building else "",
        "received_at": concern.received_at,
        "words": concern.words,
        "reply": concern.reply,
        "replied_at": concern.replied_at,
        "rating": concern.rating,
        "rating_label": concern.get_rating_display() if concern.rating else "",
        "may_rate": closed and not concern.rating,
    }


def _by_receipt(receipt: str) -> Concern:
    concern = concern_selectors.concern_by_receipt(concern_services.normalise_receipt(receipt))
    if concern is None:
        raise Http404(MSG_RECEIPT_UNKNOWN)
    return concern


@router.post(
    "/buildings/{token}/concerns",
    auth=None,
    response=answers(201, ConcernStatusOut, 400, 404, 422, 429, public=True),
    summary="居民扫码：向楼组提交诉求（不需登录），返回回执",
)
def raise_concern(request: HttpRequest, token: str, payload: ConcernIn) -> Any:
    refused = _too_many(request, "concern")
    if refused is not None:
        return refused
    building = selectors.building_by_token(token)
    concern = concern_services.concern_raise_public(
        building=building, words=payload.words, room=payload.room, phone=payload.phone
    )
    concern = _by_receipt(concern.receipt or "")
    return Status(201, _status(concern))


@router.get(
    "/receipts/{receipt}",
    auth=None,
    response=answers(200, ConcernStatusOut, 404, 429, public=True),
    summary="凭回执查看诉求的状态、回复和评价",
)
def receipt_status(request: HttpRequest, receipt: str) -> Any:
    refused = _too_many(request, "lookup")
    if refused is not None:
        return refused
    return _status(_by_receipt(receipt))


@router.post(
    "/receipts/{receipt}/rating",
    auth=None,
    response=answers(200, ConcernStatusOut, 400, 404, 422, 429, public=True),
    summary="群众评单：诉求办结后评价（满意 / 基本满意 / 不满意）",
)
def rate(request: HttpRequest, receipt: str, payload: RatingIn) -> Any:
    refused = _too_many(request, "rate")
    if refused is not None:
        return refused
    concern = _by_receipt(receipt)
    concern_services.concern_rate(concern=concern, rating=payload.rating, note=payload.note)
    return _status(_by_receipt(receipt))
