"""The residents' door (issue 14): a building's public page /b/<token>/ with its concern form,
and a concern's receipt /r/<receipt>/ with the reply and the rating. No login, phone first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from jinlin.core import throttle
from jinlin.door import forms, selectors
from jinlin.door.conf import rate_limit
from jinlin.fieldwork.concerns import selectors as concern_selectors
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.photos import MSG_TOO_LARGE, max_bytes

MSG_NOT_STORED = "提交未被受理，请检查后重试"


def _hit(kind: str, request: HttpRequest) -> throttle.Verdict:
    limit, seconds = rate_limit(kind)
    return throttle.hit(f"door:{kind}", request, limit=limit, seconds=seconds)


def _error_text(error: ValidationError) -> list[str]:
    return [str(message) for message in error.messages]


def _photo_bytes(form: forms.ConcernForm) -> bytes | None:
    upload = form.cleaned_data.get("photo")
    if not upload:
        return None
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=limit // (1024 * 1024))})
    return bytes(upload.read(limit + 1))


@require_http_methods(["GET", "POST"])
def building_page(request: HttpRequest, token: str) -> HttpResponse:
    """Whom to turn to, the public notices, and "我有事要说"."""
    building = selectors.building_by_token(token)
    form = forms.ConcernForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        verdict = _hit("concern", request)
        if not verdict.allowed:
            errors, status = [verdict.message], 429
        elif not form.is_valid():
            errors, status = [MSG_NOT_STORED], 422
        elif throttle.is_bot(form.cleaned_data):
            # As if received: a bot learns nothing from the answer, and nothing is stored.
            return render(request, "door/received.html", {"building": building})
        else:
            try:
                concern = concern_services.concern_raise_public(
                    building=building,
                    words=form.cleaned_data["words"],
                    room=form.cleaned_data["room"],
                    phone=form.cleaned_data["phone"],
                    photo=_photo_bytes(form),
                )
            except ValidationError as error:
                errors, status = _error_text(error), 422
            else:
                return redirect("door_receipt", receipt=concern.receipt)
    context: dict[str, Any] = {
        "page": selectors.public_page(building),
        "form": form,
        "errors": errors,
    }
    return render(request, "door/building.html", context, status=status)


@require_http_methods(["GET", "POST"])
def receipt_page(request: HttpRequest, receipt: str) -> HttpResponse:
    """The concern's status, the worker's reply and, once closed, the rating (群众评单)."""
    verdict = _hit("lookup", request)
    if not verdict.allowed:
        return render(request, "door/receipt.html", {"errors": [verdict.message]}, status=429)
    concern = concern_selectors.concern_by_receipt(concern_services.normalise_receipt(receipt))
    if concern is None:
        raise Http404("没有找到该回执")
    form = forms.RatingForm(request.POST or None)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        rated = _hit("rate", request)
        if not rated.allowed:
            errors, status = [rated.message], 429
        elif not form.is_valid():
            errors, status = [MSG_NOT_STORED], 422
        elif throttle.is_bot(form.cleaned_data):
            return redirect("door_receipt", receipt=concern.receipt)
        else:
            try:
                concern_services.concern_rate(
                    concern=concern,
                    rating=form.cleaned_data["rating"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                errors, status = _error_text(error), 422
            else:
                return redirect("door_receipt", receipt=concern.receipt)
    context = {
        "concern": concern,
        "is_closed": concern_selectors.is_closed_for_resident(concern),
        "form": form,
        "errors": errors,
    }
    return render(request, "door/receipt.html", context, status=status)


@require_http_methods(["GET"])
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """The receipt number typed in by hand (a lost link): to its page, or back if empty."""
    number = concern_services.normalise_receipt(request.GET.get("number", ""))
    if not number:
        raise Http404("请填写回执号")
    return redirect("door_receipt", receipt=number)
