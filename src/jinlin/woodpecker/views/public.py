"""The readers' pages (phone first): the report form, the pasted-message parser, the receipt
lookup and the winners."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jinlin.core.web import attach_errors, is_htmx
from jinlin.woodpecker import forms, selectors, services, throttle
from jinlin.woodpecker.conf import setting
from jinlin.woodpecker.models import Channel
from jinlin.woodpecker.views.common import content_length

MSG_BODY_TOO_LARGE = "提交内容过长，请精简后再试"
MSG_RECEIPT_UNKNOWN = "没有找到该回执号，请核对后再查"


# --- readers ------------------------------------------------------------------------------------


def _public_page(
    request: HttpRequest,
    form: forms.ReportForm,
    *,
    message_form: forms.MessageForm | None = None,
    parsed: selectors.ParsedForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = form.now
    context = {
        "form": form,
        "message_form": message_form or forms.MessageForm(),
        "parsed": parsed,
        "error": error,
        "upcoming": selectors.next_deadline(now),
        "closed": selectors.closed_notice(now) if form.closed else None,
        "receipt_form": forms.ReceiptForm(),
        "has_winners": selectors.published_rounds().exists(),
        "cash_yuan": setting("CASH_YUAN"),
    }
    return render(request, "woodpecker/public.html", context, status=status)


def public_form(request: HttpRequest) -> HttpResponse:
    """The reader's form. SPEC 纠错有奖: "any reader may report an error through a public web
    form, without an account"."""
    now = timezone.now()
    if request.method != "POST":
        return _public_page(request, forms.ReportForm(now=now))
    verdict = throttle.hit("report", request)
    form = forms.ReportForm(request.POST, now=now)
    if not verdict.allowed:
        return _public_page(request, form, error=verdict.message, status=429)
    if content_length(request) > int(setting("MAX_BODY_BYTES")):
        return _public_page(request, form, error=MSG_BODY_TOO_LARGE, status=413)
    if form.is_valid():
        data = form.cleaned_data
        article = data["article"]
        try:
            report = services.report_submit(
                data=services.ReportInput(
                    issue_id=data["issue"],
                    page_number=data["page_number"],
                    article_id=int(article) if article and article.isdigit() else None,
                    article_title=data["article_title"] if not form.article_chosen else "",
                    quoted=data["quoted"],
                    correction=data["correction"],
                    explanation=data["explanation"],
                    reader_name=data["reader_name"],
                    is_nickname=data["is_nickname"],
                    contact=data["contact"],
                ),
                client_key=throttle.client_key(request),
                channel=Channel.FORM,
                now=now,
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(reverse("woodpecker_receipt", args=[report.receipt]) + "?new=1")
    return _public_page(request, form)


@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """The chained lists (publication → issue → page → article), re-rendered on each choice."""
    form = forms.ReportForm(initial=request.GET.dict(), now=timezone.now())
    return render(request, "woodpecker/_picker.html", {"form": form})


@require_POST
def parse(request: HttpRequest) -> HttpResponse:
    """A pasted WeChat message → the form filled in, for the reader to check and send."""
    now = timezone.now()
    verdict = throttle.hit("parse", request)
    message_form = forms.MessageForm(request.POST)
    if not verdict.allowed:
        form = forms.ReportForm(now=now)
        if is_htmx(request):
            return render(
                request,
                "woodpecker/_report_form.html",
                {"form": form, "error": verdict.message},
                status=429,
            )
        return _public_page(
            request, form, message_form=message_form, error=verdict.message, status=429
        )
    parsed = None
    if message_form.is_valid():
        parsed = selectors.parse_message(message_form.cleaned_data["message"], now)
        form = forms.ReportForm(initial=parsed.initial, now=now)
    else:
        form = forms.ReportForm(now=now)
    if is_htmx(request):
        return render(
            request,
            "woodpecker/_report_form.html",
            {"form": form, "parsed": parsed, "message_errors": message_form.errors.get("message")},
        )
    return _public_page(request, form, message_form=message_form, parsed=parsed)


def receipt(request: HttpRequest, number: str = "") -> HttpResponse:
    """A report's status by its receipt number: status only, no name, no contact."""
    number = (number or request.GET.get("number", "")).strip().upper()[:20]
    context: dict[str, Any] = {"number": number, "new": request.GET.get("new") == "1"}
    status = 200
    if number:
        verdict = throttle.hit("lookup", request)
        if not verdict.allowed:
            context["error"] = verdict.message
            status = 429
        else:
            found = selectors.report_by_receipt(number)
            if found is None:
                context["error"] = MSG_RECEIPT_UNKNOWN
                status = 404
            context["report"] = found
    context["form"] = forms.ReceiptForm(initial={"number": number})
    return render(request, "woodpecker/receipt.html", context, status=status)


def winners(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.published_rounds()[:24])
    return render(request, "woodpecker/winners.html", {"rounds": rounds})
