"""Pages of the registry: subdistrict and area overviews, compound, building, household."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.access import (
    access_area,
    access_building,
    access_compound,
    access_household,
    can_see_personal_data,
    forget_scope,
    personal_scope,
    visible_areas,
)
from jinlin.core.audit import audit
from jinlin.core.models import AreaOpening, AuditEvent, Role
from jinlin.people.groups import GROUPS
from jinlin.people.selectors import resident_age
from jinlin.places import selectors

MSG_OPEN_REASON = "请填写打开该居民区个人信息的事由"


@login_required
def subdistrict_overview(request: HttpRequest) -> HttpResponse:
    areas = list(visible_areas(request.user).select_related("subdistrict").order_by("name"))  # type: ignore[arg-type]
    rows = selectors.subdistrict_overview(request.user, areas)  # type: ignore[arg-type]
    opened = personal_scope(request.user).area_ids  # type: ignore[arg-type]
    return render(
        request,
        "places/subdistrict.html",
        {"rows": rows, "groups": list(GROUPS.values()), "opened": opened},
    )


@login_required
def area_overview(request: HttpRequest, area_id: int) -> HttpResponse:
    area = access_area(request.user, area_id)  # type: ignore[arg-type]
    scope = personal_scope(request.user)  # type: ignore[arg-type]
    may_open = (
        request.user.role == Role.SUBDISTRICT_ADMIN and area.pk not in scope.area_ids  # type: ignore[union-attr]
    )
    rows = selectors.area_overview(request.user, area)  # type: ignore[arg-type]
    return render(
        request,
        "places/area.html",
        {
            "area": area,
            "rows": rows,
            "total": selectors.overview_totals(rows),
            "groups": list(GROUPS.values()),
            "may_open": may_open,
            "has_personal": can_see_personal_data(request.user) and not may_open,  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def area_open(request: HttpRequest, area_id: int) -> HttpResponse:
    """A subdistrict admin opens an area's personal data for a while, with a reason."""
    area = access_area(request.user, area_id)  # type: ignore[arg-type]
    if request.user.role != Role.SUBDISTRICT_ADMIN:  # type: ignore[union-attr]
        raise Http404
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        messages.error(request, MSG_OPEN_REASON)
        return redirect("area_overview", area_id=area.pk)
    hours = settings.JINLIN["AREA_OPENING_HOURS"]
    AreaOpening.objects.create(
        user=request.user,
        area=area,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=hours),
    )
    audit(
        actor=request.user,
        action=AuditEvent.Action.OPEN_AREA,
        object_type="area",  # type: ignore[arg-type]
        object_id=area.pk,
        reason=reason,
        request=request,
        area_id=area.pk,
    )
    forget_scope(request.user)  # type: ignore[arg-type]
    messages.success(request, f"已打开{area.name}的个人信息，{hours}小时内有效，每次查看均有记录。")
    return redirect("area_overview", area_id=area.pk)


@login_required
def compound_detail(request: HttpRequest, compound_id: int) -> HttpResponse:
    compound = access_compound(request.user, compound_id)  # type: ignore[arg-type]
    return render(
        request,
        "places/compound.html",
        {"compound": compound, "rows": selectors.compound_buildings(request.user, compound)},  # type: ignore[arg-type]
    )


@login_required
def building_detail(request: HttpRequest, building_id: int) -> HttpResponse:
    building = access_building(request.user, building_id)  # type: ignore[arg-type]
    households = selectors.building_households(building)
    today = timezone.localdate()
    for household in households:
        for resident in household.current_residents:  # type: ignore[attr-defined]
            resident.age = resident_age(resident, today)
    neighbours = selectors.building_neighbours([building.pk]).get(building.pk, set())
    return render(
        request,
        "places/building.html",
        {
            "building": building,
            "households": households,
            "neighbours": type(building).objects.filter(id__in=neighbours).order_by("sort_key"),
        },
    )


@login_required
def household_detail(request: HttpRequest, household_id: int) -> HttpResponse:
    household = access_household(request.user, household_id)  # type: ignore[arg-type]
    residents = list(household.residents.order_by("status", "id"))
    today = timezone.localdate()
    for resident in residents:
        resident.age = resident_age(resident, today)  # type: ignore[attr-defined]
    return render(
        request, "places/household.html", {"household": household, "residents": residents}
    )
