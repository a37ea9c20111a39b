"""API of the woodpecker programme: readers' reports (public), judging and awards (editors).

Public endpoints (`auth=None`) are rate-limited per client and answer 429 with a Chinese
message; a receipt look-up returns the status only, never a reader's name or contact. Refused
input is 422 with the field and a Chinese message.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja import Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.woodpecker import selectors, services, throttle
from jinlin.woodpecker.conf import setting
from jinlin.woodpecker.models import Channel, ReportStatus, Round
from jinlin.woodpecker.schemas import (
    AwardsOut,
    JudgementIn,
    JudgementOut,
    ProofreadIn,
    ProofreadIssueOut,
    ProofreadOut,
    ReceiptOut,
    ReceiptStatusOut,
    ReportIn,
    WinnersOut,
)

router = Router(tags=["woodpecker"])

MSG_RECEIPT_UNKNOWN = "没有找到该回执号"
MSG_ROUND_UNKNOWN = "没有找到该月的评选（格式为 YYYY-MM）"
MSG_NOT_PUBLISHED = "该月的获奖名单尚未公布"
MSG_BODY_TOO_LARGE = "提交内容过长"
MSG_REPORT_UNKNOWN = "没有找到该报告"
MSG_ISSUE_UNKNOWN = "没有找到该期"

_RECEIPT_SHAPE = re.compile(r"ZM\d{4}-[0-9A-Z]{6}")

# The service's field names → the API's.
_FIELD_NAMES = {"reader_name": "name", "page_number": "page", "article": "article_id"}


def _detail(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": message}, status=status, json_dumps_params={"ensure_ascii": False}
    )


def _too_many(request: HttpRequest, kind: str) -> HttpResponse | None:
    verdict = throttle.hit(kind, request)
    if verdict.allowed:
        return None
    response = _detail(verdict.message, 429)
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _renamed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {_FIELD_NAMES.get(field, field): messages for field, messages in error.message_dict.items()}
    )


@router.post(
    "/reports",
    auth=None,
    response=answers(201, ReceiptOut, 400, 413, 422, 429, public=True),
    summary="提交纠错报告（无需登录；返回回执号）",
)
def submit_report(request: HttpRequest, payload: ReportIn) -> Any:
    refused = _too_many(request, "report")
    if refused is not None:
        return refused
    if len(request.body) > int(setting("MAX_BODY_BYTES")):
        return _detail(MSG_BODY_TOO_LARGE, 413)
    data = services.ReportInput(
        quoted=payload.quoted,
        correction=payload.correction,
        explanation=payload.explanation,
        reader_name=payload.name,
        is_nickname=payload.is_nickname,
        contact=payload.contact,
        issue_id=payload.issue_id,
        publication=payload.publication,
        issue_number=payload.issue_number,
        issue_date=payload.issue_date,
        page_number=payload.page,
        article_id=payload.article_id,
        article_title=payload.article_title,
    )
    try:
        report = services.report_submit(
            data=data, client_key=throttle.client_key(request), channel=Channel.API
        )
    except ValidationError as error:
        raise _renamed(error) from None
    return Status(
        201,
        {
            "receipt": report.receipt,
            "status": report.status,
            "status_label": report.get_status_display(),
            "round": report.round.code,
            "deadline": report.round.deadline,
            "message": f"已收到您的纠错报告，回执号 {report.receipt}，请妥善保存，可凭它查询评判结果。",
        },
    )


@router.get(
    "/reports/{receipt}",
    auth=None,
    response=answers(200, ReceiptStatusOut, 404, 429, public=True),
    summary="凭回执号查询报告状态（不含任何个人信息）",
)
def receipt_status(request: HttpRequest, receipt: str) -> Any:
    refused = _too_many(request, "lookup")
    if refused is not None:
        return refused
    receipt = receipt.strip().upper()
    # Only something shaped like a receipt reaches the database (no NUL a PostgreSQL would refuse).
    report = selectors.report_by_receipt(receipt) if _RECEIPT_SHAPE.fullmatch(receipt) else None
    if report is None:
        raise Http404(MSG_RECEIPT_UNKNOWN)
    return {
        "receipt": report.receipt,
        "status": report.status,
        "status_label": report.get_status_display(),
        "round": report.round.code,
        "submitted_on": timezone.localdate(report.submitted_at),
    }


def _round_or_404(code: str) -> Round:
    round_ = selectors.round_by_code(code)
    if round_ is None:
        raise Http404(MSG_ROUND_UNKNOWN)
    return round_


def _awards_out(round_: Round, awards: selectors.RoundAwards) -> dict[str, Any]:
    return {
        "round": round_.code,
        "best": [vars(w) for w in awards.best],
        "excellent": [vars(w) for w in awards.excellent],
        "announcement": awards.announcement,
        "confirmed": awards.confirmed,
    }


@router.get(
    "/rounds/{month}/winners",
    auth=None,
    response=answers(200, WinnersOut, 404, public=True),
    summary="某月公布的获奖名单（YYYY-MM）",
)
def round_winners(request: HttpRequest, month: str) -> Any:
    round_ = _round_or_404(month)
    if not round_.is_confirmed:
        raise Http404(MSG_NOT_PUBLISHED)
    return _awards_out(round_, selectors.round_awards(round_))


def _editor(request: HttpRequest) -> Any:
    user = request.user
    if not services.can_judge(user):
        raise PermissionDenied(services.MSG_NOT_EDITOR)
    return user


@router.post(
    "/reports/{report_id}/judgement",
    response=answers(200, JudgementOut, 400, 404, 422),
    summary="评判报告：有效（定等级）、无效或重复（仅编辑）",
)
def judge_report(request: HttpRequest, report_id: ObjectId, payload: JudgementIn) -> Any:
    user = _editor(request)
    report = selectors.report_by_id(report_id)
    if report is None:
        raise Http404(MSG_REPORT_UNKNOWN)
    original = None
    if payload.verdict == ReportStatus.DUPLICATE and payload.duplicate_of is not None:
        original = selectors.report_by_id(payload.duplicate_of)
        if original is None:
            raise ValidationError({"duplicate_of": MSG_REPORT_UNKNOWN})
    report = services.report_judge(
        actor=user,
        report=report,
        verdict=payload.verdict,
        severity=payload.severity,
        duplicate_of=original,
        note=payload.note,
    )
    return {
        "id": report.pk,
        "receipt": report.receipt,
        "status": report.status,
        "status_label": report.get_status_display(),
        "severity": report.severity,
        "points": report.points,
        "duplicate_of": report.duplicate_of_id,
    }


@router.get(
    "/rounds/{month}/awards",
    response=answers(200, AwardsOut, 404),
    summary="某月的评奖：最佳、优秀与公告全文（仅编辑；未确认时为当前排名）",
)
def round_awards(request: HttpRequest, month: str) -> Any:
    _editor(request)
    round_ = _round_or_404(month)
    return _awards_out(round_, selectors.round_awards(round_))


def _flags_out(result: selectors.ProofreadArticle) -> dict[str, Any]:
    return {
        "flags": [
            {
                "start": shown.flag.start,
                "length": shown.flag.length,
                "text": shown.flag.text,
                "suggestion": shown.flag.suggestion,
                "kind": shown.flag.kind,
                "kind_label": shown.flag.kind_label,
                "reason": shown.flag.reason,
                "decision": shown.verdict,
            }
            for shown in result.flags
        ],
        "dismissed": result.dismissed,
    }


@router.post(
    "/proofread",
    response=answers(200, ProofreadOut, 400, 422),
    summary="校对一段正文：标出可能的错误，附建议和理由（仅编辑）",
)
def proofread_text(request: HttpRequest, payload: ProofreadIn) -> Any:
    _editor(request)
    text = services.clean_text(payload.text, multiline=True)
    return _flags_out(selectors.proofread_pasted(text, issue_date=payload.issue_date))


@router.get(
    "/issues/{issue_id}/proofread",
    response=answers(200, ProofreadIssueOut, 404, 422),
    summary="校对一期的全部文章（仅编辑）",
)
def proofread_issue(request: HttpRequest, issue_id: ObjectId) -> Any:
    _editor(request)
    issue = selectors.issue_by_id(issue_id)
    if issue is None:
        raise Http404(MSG_ISSUE_UNKNOWN)
    return {
        "issue_id": issue.pk,
        "articles": [
            {
                "article_id": result.article.pk,
                "title": result.article.title,
                "page": result.article.page.number,
                **_flags_out(result),
            }
            for result in selectors.proofread_issue(issue)
            if result.article is not None
        ],
    }
