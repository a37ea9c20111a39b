"""The notice pages: an area's notices and 发通知, one notice's reach (refreshed every 30 s),
and a network member's phone page where it marks how each of its households was told.

Outside what the user may see everything is 404; a form posts → service → redirect, and the
marking buttons answer their updated row to htmx (a plain POST redirects back).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jinlin.chain import notice_selectors as selectors
from jinlin.chain import notice_services as services
from jinlin.chain.access import network_member_or_404
from jinlin.chain.models import Reach
from jinlin.chain.notice_forms import NoticeForm, ReachForm, StaffReachForm
from jinlin.core.web import AuthedRequest, is_htmx, submitted

# --- an area's notices ------------------------------------------------------------------------


@login_required
def notices(request: AuthedRequest, area_id: int) -> HttpResponse:
    user = request.user
    area = selectors.access_notices_area(user, area_id)
    may_publish = selectors.may_publish(user, area)
    audience = selectors.audience_choices(user, area) if may_publish else []
    form = NoticeForm(request.POST or None, audience=audience)
    if request.method == "POST":
        if not may_publish:
            raise Http404(selectors.MSG_NO_AREA)
        outcome = submitted(
            request,
            form,
            lambda data: services.notice_publish(
                area=area,
                actor=user,
                title=data["title"],
                body=data["body"],
                compound_ids=data["compounds"],
                building_ids=data["buildings"],
                group_ids=data["groups"],
                is_public=data["is_public"],
                request=request,
            ),
            denied_is_404=True,
        )
        if outcome.done:
            messages.success(request, "通知已发布")
            return redirect("chain_notice", notice_id=outcome.value.pk)
    listed = selectors.area_notices(user, area)
    percents = selectors.reach_percents(listed)
    rows = []
    for notice in listed:
        reached, total = percents.get(notice.pk, (0, 0))
        rows.append(
            {
                "notice": notice,
                "reached": reached,
                "households": total,
                "percent": round(100 * reached / total) if total else 0,
            }
        )
    context: dict[str, Any] = {
        "area": area,
        "rows": rows,
        "form": form,
        "may_publish": may_publish,
        "audience": audience,
        "chosen": {name: form.chosen(name) for name in ("compounds", "buildings", "groups")},
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "chain/notices.html", context, status=status)


# --- one notice's reach -----------------------------------------------------------------------


@login_required
def notice_detail(request: AuthedRequest, notice_id: int) -> HttpResponse:
    user = request.user
    notice = selectors.access_notice(user, notice_id)
    context = {
        "notice": notice,
        "area": notice.area,
        "reach": selectors.notice_reach(notice),
        "may_mark": notice.withdrawn_at is None and selectors.is_area_staff(user, notice.area_id),
        "may_withdraw": selectors.may_withdraw(user, notice),
        "ways": Reach.How.choices,
    }
    if is_htmx(request):
        return render(request, "chain/_reach.html", context)
    return render(request, "chain/notice.html", context)


@login_required
@require_POST
def notice_withdraw(request: AuthedRequest, notice_id: int) -> HttpResponse:
    user = request.user
    notice = selectors.access_notice(user, notice_id)
    if not selectors.may_withdraw(user, notice):
        raise Http404(selectors.MSG_NO_NOTICE)
    services.notice_withdraw(notice=notice, actor=user, request=request)
    messages.success(request, "通知已撤回")
    return redirect("chain_notice", notice_id=notice.pk)


@login_required
@require_POST
def notice_mark(request: AuthedRequest, notice_id: int) -> HttpResponse:
    """The area's staff mark a household from the notice page."""
    user = request.user
    form = StaffReachForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
        return redirect("chain_notice", notice_id=notice_id)
    notice, household = selectors.staff_notice_household(
        user, notice_id, form.cleaned_data["household"]
    )
    try:
        services.reach_mark(
            notice=notice, household=household, how=form.cleaned_data["how"], actor=user
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已登记：{household.address}")
    return redirect("chain_notice", notice_id=notice.pk)


# --- a network member's notices ---------------------------------------------------------------


@login_required
def member_notices(request: AuthedRequest) -> HttpResponse:
    user = network_member_or_404(request.user)
    return render(
        request,
        "chain/member_notices.html",
        {"items": selectors.member_notices(user), "ways": Reach.How.choices},
    )


@login_required
@require_POST
def member_mark(request: AuthedRequest, notice_id: int, household_id: int) -> HttpResponse:
    user = network_member_or_404(request.user)
    notice, household = selectors.member_notice_household(user, notice_id, household_id)
    form = ReachForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.reach_mark(
                notice=notice, household=household, how=form.cleaned_data["how"], actor=user
            )
        except ValidationError as refused:
            error = "；".join(refused.messages)
    else:
        error = "；".join(str(m) for ms in form.errors.values() for m in ms)
    if is_htmx(request):
        # The household's row, and the notice's count above the rows (an out-of-band swap),
        # both read from the member's notice as the page shows it.
        item = selectors.member_notice(user, notice.pk)
        assert item is not None  # the notice concerns this household of the member's
        row = next(h for h in item.households if h.household.pk == household.pk)
        return render(
            request,
            "chain/_member_household.html",
            {"row": row, "ways": Reach.How.choices, "error": error, "item": item},
        )  # 200 even when refused: htmx swaps only a success, and the row shows the message
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"已登记：{household.address}")
    return redirect("member_notices")
