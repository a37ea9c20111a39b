"""Pages of 转交: hand one case or concern to another worker, or all a leaving worker holds
(its open cases, concerns, actions and patch) in one confirmed step with a summary after.

Thin: reads through selectors, writes through services; outside the secretary's (or an
opened subdistrict admin's) area every page is 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.models import User
from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.models import Case
from jinlin.fieldwork.cases.selectors import access_case
from jinlin.fieldwork.common.pages import FIELD_ALIASES
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import access_concern
from jinlin.fieldwork.handover import forms, selectors, services
from jinlin.fieldwork.handover.models import Reassignment
from jinlin.places.access import access_area

ALIASES = {**FIELD_ALIASES, "to_user_id": "to_user", "from_user_id": "from_user"}


def _require(user: User, area_id: int) -> None:
    if not access.can_hand_over(user, area_id):
        raise Http404("没有找到")


def _reassign_page(
    request: AuthedRequest,
    item: Case | Concern,
    reassign: Callable[..., Reassignment],
    back: HttpResponse,
    context: dict[str, Any],
) -> HttpResponse:
    """The one form of 转交 for a case or a concern: to whom, and why."""
    user = request.user
    _require(user, item.area_id)
    workers = [w for w in selectors.area_workers(item.area_id) if w.pk != item.owner_id]
    form = forms.ReassignForm(request.POST or None, workers=workers)
    outcome = submitted(
        request,
        form,
        lambda data: reassign(actor=user, to_user_id=data["to_user"], reason=data["reason"]),
        default="reason",
        aliases=ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, f"已转交给{outcome.value.to_user}。")
        return back
    return render(
        request,
        "fieldwork/handover/item.html",
        {"form": form, "item_owner": item.owner, **context},
    )


@login_required
def case_reassign(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    return _reassign_page(
        request,
        case,
        partial(services.case_reassign, case=case),
        redirect("fieldwork_case", case_id=case.pk),
        {"case": case, "is_open": not case.closed_at},
    )


@login_required
def concern_reassign(request: AuthedRequest, concern_id: int) -> HttpResponse:
    concern = access_concern(request.user, concern_id)
    return _reassign_page(
        request,
        concern,
        partial(services.concern_reassign, concern=concern),
        redirect("fieldwork_concern", concern_id=concern.pk),
        {"concern": concern, "is_open": True},
    )


@login_required
def area_handover(request: AuthedRequest, area_id: int) -> HttpResponse:
    """A worker leaves: pick it, see what it holds, pick who takes over, a reason, confirm."""
    user = request.user
    area = access_area(user, area_id)
    _require(user, area.pk)
    leaving_choices = selectors.area_workers(area.pk, active_only=False)
    chosen = request.POST.get("from_user") or request.GET.get("from")
    leaving = selectors.area_worker_or_none(area.pk, chosen) if chosen else None
    workers = [w for w in selectors.area_workers(area.pk) if leaving is None or w.pk != leaving.pk]
    form = forms.HandoverForm(
        request.POST or None,
        workers=workers,
        leaving=leaving_choices,
        initial={"from_user": leaving.pk if leaving else None, "include_patch": True},
    )
    outcome = submitted(
        request,
        form,
        lambda data: services.handover_worker(
            actor=user,
            from_user_id=data["from_user"],
            to_user_id=data["to_user"],
            reason=data["reason"],
            include_patch=data["include_patch"],
        ),
        default="reason",
        aliases=ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        return redirect(
            "fieldwork_handover_done", area_id=area.pk, reassignment_id=outcome.value.pk
        )
    return render(
        request,
        "fieldwork/handover/area.html",
        {
            "area": area,
            "form": form,
            "leaving": leaving,
            "leaving_choices": leaving_choices,
            "holding": selectors.holding(leaving) if leaving else None,
        },
    )


@login_required
def handover_done(request: AuthedRequest, area_id: int, reassignment_id: int) -> HttpResponse:
    reassignment = selectors.reassignment_or_404(request.user, area_id, reassignment_id)
    return render(
        request,
        "fieldwork/handover/done.html",
        {"reassignment": reassignment, **selectors.reassignment_items(reassignment)},
    )
