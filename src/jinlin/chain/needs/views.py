"""The needs pages: the committee's list with 发布需求, the claims to confirm and whom to ask;
the 双报到 hours report; a member's phone page (认领 in one tap, 完成 with a line and hours).

Outside what the user may see everything is 404. A form posts → service → redirect; a refused
form or button shows the page again with the Chinese message (422), nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.chain.access import network_member_or_404
from jinlin.chain.needs import selectors, services
from jinlin.chain.needs.forms import CompleteForm, NeedForm
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
from jinlin.core.web import AuthedRequest, submitted
from jinlin.places.models import Area

YEARS = range(2000, 2101)

# --- the committee ----------------------------------------------------------------------------


def _committee_page(
    request: AuthedRequest, area: Area, form: NeedForm, error: str = ""
) -> HttpResponse:
    refused = bool(error or form.errors)
    return render(
        request,
        "chain/needs/committee.html",
        {
            "area": area,
            "rows": selectors.committee_needs(request.user, area),
            "form": form,
            "error": error,
            "year": timezone.localdate().year,
        },
        status=422 if refused else 200,
    )


@login_required
def committee_needs(request: AuthedRequest, area_id: int) -> HttpResponse:
    user = request.user
    area = selectors.access_needs_area(user, area_id)
    form = NeedForm(request.POST or None)
    outcome = submitted(
        request,
        form,
        lambda data: services.need_publish(area=area, actor=user, request=request, **data),
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, f"需求已发布：{outcome.value.title}")
        return redirect("chain_needs", area_id=area.pk)
    return _committee_page(request, area, form)


def _committee_act(
    request: AuthedRequest, area_id: int, act: Callable[[], object], done: str
) -> HttpResponse:
    try:
        act()
    except ValidationError as refused:
        area = selectors.access_needs_area(request.user, area_id)
        return _committee_page(request, area, NeedForm(), "；".join(refused.messages))
    messages.success(request, done)
    return redirect("chain_needs", area_id=area_id)


@login_required
@require_POST
def need_withdraw(request: AuthedRequest, need_id: int) -> HttpResponse:
    need = selectors.access_committee_need(request.user, need_id)
    return _committee_act(
        request,
        need.area_id,
        lambda: services.need_withdraw(need=need, actor=request.user, request=request),
        f"需求已撤回：{need.title}",
    )


@login_required
@require_POST
def claim_confirm(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.access_committee_claim(request.user, claim_id)
    return _committee_act(
        request,
        claim.need.area_id,
        lambda: services.claim_confirm(claim=claim, actor=request.user, request=request),
        f"已确认：{claim.member}",
    )


@login_required
@require_POST
def claim_decline(request: AuthedRequest, claim_id: int) -> HttpResponse:
    claim = selectors.access_committee_claim(request.user, claim_id)
    return _committee_act(
        request,
        claim.need.area_id,
        lambda: services.claim_decline(claim=claim, actor=request.user, request=request),
        f"未采纳：{claim.member}",
    )


@login_required
def hours_report(request: AuthedRequest, area_id: int) -> HttpResponse:
    """服务时长: per member, the done claims and hours on the area's needs of a year."""
    area = selectors.access_needs_area(request.user, area_id)
    this_year = timezone.localdate().year
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in YEARS else this_year
    rows = selectors.hours_report(area, year)
    return render(
        request,
        "chain/needs/hours.html",
        {
            "area": area,
            "year": year,
            "rows": rows,
            "years": [this_year - 1, this_year],
            "total": sum((row.hours for row in rows), start=0),
        },
    )


# --- a member ---------------------------------------------------------------------------------


def _member_page(
    request: AuthedRequest,
    error: str = "",
    bound: tuple[int, CompleteForm] | None = None,
) -> HttpResponse:
    """The member's page; `bound` is the completion form (of that claim) to show again."""
    user = request.user
    page = selectors.member_needs(user)
    today = timezone.localdate()
    claims: list[dict[str, Any]] = []
    for claim in page.claims:
        may_complete = claim.status == ClaimStatus.CONFIRMED and today >= timezone.localdate(
            claim.need.starts_at
        )
        form = None
        if may_complete:
            form = (
                bound[1]
                if bound and bound[0] == claim.pk
                else CompleteForm(initial={"hours": claim.need.hours})
            )
        claims.append(
            {
                "claim": claim,
                "form": form,
                "may_withdraw": claim.status in (ClaimStatus.CLAIMED, ClaimStatus.CONFIRMED),
            }
        )
    refused = bool(error or (bound and bound[1].errors))
    return render(
        request,
        "chain/needs/member.html",
        {"page": page, "claims": claims, "error": error},
        status=422 if refused else 200,
    )


@login_required
def member_needs(request: AuthedRequest) -> HttpResponse:
    network_member_or_404(request.user)
    return _member_page(request)


def _member_act(request: AuthedRequest, act: Callable[[], object], done: str) -> HttpResponse:
    try:
        act()
    except ValidationError as refused:
        return _member_page(request, "；".join(refused.messages))
    messages.success(request, done)
    return redirect("member_needs")


@login_required
@require_POST
def member_claim(request: AuthedRequest, need_id: int) -> HttpResponse:
    user = network_member_or_404(request.user)
    need: Need = selectors.access_member_need(user, need_id)
    return _member_act(
        request,
        lambda: services.need_claim(need=need, actor=user),
        f"已认领：{need.title}。请等居委会确认",
    )


@login_required
@require_POST
def member_claim_withdraw(request: AuthedRequest, claim_id: int) -> HttpResponse:
    user = network_member_or_404(request.user)
    claim: NeedClaim = selectors.access_member_claim(user, claim_id)
    return _member_act(
        request,
        lambda: services.claim_withdraw(claim=claim, actor=user),
        f"已撤回认领：{claim.need.title}",
    )


@login_required
@require_POST
def member_claim_complete(request: AuthedRequest, claim_id: int) -> HttpResponse:
    user = network_member_or_404(request.user)
    claim = selectors.access_member_claim(user, claim_id)
    form = CompleteForm(request.POST)
    outcome = submitted(
        request,
        form,
        lambda data: services.claim_complete(
            claim=claim, actor=user, note=data["note"], hours=data["hours"], request=request
        ),
    )
    if not outcome.done:
        return _member_page(
            request, "；".join(str(m) for m in form.non_field_errors()), bound=(claim.pk, form)
        )
    messages.success(request, f"已完成：{claim.need.title}，{outcome.value.hours_served} 小时")
    return redirect("member_needs")
