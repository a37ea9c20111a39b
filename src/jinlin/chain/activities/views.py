"""The activity pages: record one (phone first), a building's record, the area's overview of
active and quiet buildings (文明楼组评议参考), and the photos, served only to who may read them.

Outside what the user may see everything is 404; a form posts → service → redirect, and a
refused form is shown again with 422 and nothing stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jinlin.chain.activities import access, selectors, services
from jinlin.chain.activities.forms import ActivityForm, WithdrawForm
from jinlin.chain.activities.liveliness import ACTIVE_MIN_KINDS, RECENT_DAYS
from jinlin.chain.activities.models import ActivityKind
from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork.photos import MSG_TOO_LARGE, max_bytes


def _read_upload(upload: Any) -> bytes:
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"photos": MSG_TOO_LARGE.format(mb=limit // (1024 * 1024))})
    return bytes(upload.read(limit + 1))


@login_required
def activity_new(request: AuthedRequest, building_id: int) -> HttpResponse:
    """记楼组活动, on a phone: big choices, the building's people as boxes to tick."""
    user = request.user
    building = access.access_building(user, building_id)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        party_members=selectors.building_party_members(building),
        residents=selectors.building_residents(user, building),
    )
    outcome = submitted(
        request,
        form,
        lambda data: services.activity_record(
            actor=user,
            building=building,
            kind=data["kind"],
            held_on=data["held_on"],
            summary=data["summary"],
            party_member_ids=data["party_members"],
            resident_ids=data["residents"],
            resident_count=data["resident_count"],
            photos=[_read_upload(upload) for upload in data["photos"]],
            request=request,
        ),
        default="summary",
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, services.MSG_RECORDED)
        return redirect("chain_building_activities", building_id=building.pk)
    return render(
        request,
        "chain/activities/form.html",
        {"form": form, "building": building},
        status=422 if form.errors else 200,
    )


@login_required
def building_activities(request: AuthedRequest, building_id: int) -> HttpResponse:
    user = request.user
    building = access.access_building(user, building_id)
    return render(
        request,
        "chain/activities/building.html",
        {
            "building": building,
            "rows": selectors.building_record(user, building),
            "withdraw_form": WithdrawForm(),
        },
    )


@login_required
@require_POST
def activity_withdraw(request: AuthedRequest, activity_id: int) -> HttpResponse:
    user = request.user
    activity = selectors.access_activity(user, activity_id)
    if not selectors.may_withdraw(user, activity):
        raise Http404(selectors.MSG_NO_ACTIVITY)
    form = WithdrawForm(request.POST)
    outcome = submitted(
        request,
        form,
        lambda data: services.activity_withdraw(
            activity=activity, actor=user, reason=data["reason"], request=request
        ),
        default="reason",
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, "活动已撤回")
    else:
        messages.error(request, "；".join(str(m) for ms in form.errors.values() for m in ms))
    return redirect("chain_building_activities", building_id=activity.building_id)


@login_required
def area_activities(request: AuthedRequest, area_id: int) -> HttpResponse:
    """The area's buildings active and quiet, by compound: for its staff, or a branch secretary
    for its branch's compounds."""
    area, branch = access.access_overview_area(request.user, area_id)
    compounds = selectors.area_liveliness(area, branch)
    return render(
        request,
        "chain/activities/area.html",
        {
            "area": area,
            "branch": branch,
            "compounds": compounds,
            "totals": selectors.liveliness_totals(compounds),
            "kinds": ActivityKind.labels,
            "recent_days": RECENT_DAYS,
            "min_kinds": ACTIVE_MIN_KINDS,
        },
    )


@login_required
def activity_photo(request: AuthedRequest, photo_id: int) -> FileResponse:
    row = selectors.access_photo(request.user, photo_id)
    return FileResponse(row.image.open("rb"), content_type="image/jpeg")
