"""Pages of the registry: subdistrict and area overviews, compound, building, household."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.access import (
    access_area,
    access_building,
    access_compound,
    access_household,
    can_manage_area,
    can_see_personal_data,
    forget_scope,
    personal_scope,
    visible_areas,
)
from jinlin.core.audit import audit
from jinlin.core.downloads import xlsx_response
from jinlin.core.models import AreaOpening, AuditEvent, Role
from jinlin.fieldwork.summary.selectors import subdistrict_work
from jinlin.party.selectors import contact_coverage
from jinlin.people.groups import GROUPS
from jinlin.people.selectors import resident_age
from jinlin.places import layout, selectors, services
from jinlin.places.exporting import overview_workbook
from jinlin.places.forms import COMPOUNDS, AdjacencyPairForm, ProposalForm
from jinlin.places.models import Area, Building, Compound

MSG_OPEN_REASON = "请填写打开该居民区个人信息的事由"


def _subdistrict_rows(request: HttpRequest) -> list[dict[str, object]]:
    """Every area the user oversees: registry counts, how its work stands, contact coverage.
    Only for those who oversee whole areas: a worker's or a volunteer's reach is smaller than
    the area these counts are of."""
    user = request.user
    if not (user.is_superuser or user.role in (Role.SUBDISTRICT_ADMIN, Role.AREA_SECRETARY)):  # type: ignore[union-attr]
        raise Http404("没有找到")
    areas = list(visible_areas(request.user).select_related("subdistrict").order_by("name"))  # type: ignore[arg-type]
    rows = selectors.subdistrict_overview(request.user, areas)  # type: ignore[arg-type]
    ids = [area.pk for area in areas]
    work = subdistrict_work(ids)
    contacted = contact_coverage(ids)
    for row in rows:
        area_id = row["area"].pk  # type: ignore[attr-defined]
        row["work"] = work[area_id]
        households = row["households"]
        row["contacted"] = (
            round(100 * contacted.get(area_id, 0) / households) if households else None  # type: ignore[operator]
        )
    return rows


@login_required
def subdistrict_overview(request: HttpRequest) -> HttpResponse:
    rows = _subdistrict_rows(request)
    opened = personal_scope(request.user).area_ids  # type: ignore[arg-type]
    return render(
        request,
        "places/subdistrict.html",
        {
            "rows": rows,
            "groups": list(GROUPS.values()),
            "opened": opened,
            "totals": _work_totals(rows),
        },
    )


@login_required
def subdistrict_export(request: HttpRequest) -> HttpResponse:
    """The overview as .xlsx (counts only, no person), naming who exported it and when."""
    made_at = timezone.localtime()
    author = getattr(request.user, "display_name", "") or request.user.get_username()
    rows = _subdistrict_rows(request)
    content = overview_workbook(rows, list(GROUPS.values()), author=author, made_at=made_at)
    audit(
        actor=request.user,  # type: ignore[arg-type]
        action=AuditEvent.Action.EXPORT,
        object_type="subdistrict_overview",
        reason=f"街道总览（汇总数字，{len(rows)} 个居民区）",
        request=request,
    )
    return xlsx_response(content, f"街道总览-{made_at:%Y%m%d}.xlsx", fallback="overview.xlsx")


def _work_totals(rows: list[dict[str, object]]) -> dict[str, int]:
    names = (
        "overdue_visits",
        "due_visits",
        "visits_30d",
        "concerns_30d",
        "open_cases",
        "old_open_cases",
    )
    totals = {name: sum(getattr(row["work"], name) for row in rows) for name in names}
    totals["households"] = sum(row["households"] for row in rows)  # type: ignore[misc]
    totals["residents"] = sum(row["residents"] for row in rows)  # type: ignore[misc]
    return totals


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
            "may_manage": can_manage_area(request.user, area.pk),  # type: ignore[arg-type]
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
        {
            "compound": compound,
            "rows": selectors.compound_buildings(request.user, compound),  # type: ignore[arg-type]
            "may_manage": can_manage_area(request.user, compound.area_id),  # type: ignore[arg-type]
        },
    )


# --- adjacency: entered by hand, or proposed from building numbers and corrected --------------


def _managed_compound(request: HttpRequest, compound_id: int) -> Compound:
    """The compound, for its area's secretary only: to anyone else the page does not exist."""
    compound = access_compound(request.user, compound_id)  # type: ignore[arg-type]
    if not can_manage_area(request.user, compound.area_id):  # type: ignore[arg-type]
        raise Http404("没有找到该小区")
    return compound


def _managed_area(request: HttpRequest, area_id: int) -> Area:
    area = access_area(request.user, area_id)  # type: ignore[arg-type]
    if not can_manage_area(request.user, area.pk):  # type: ignore[arg-type]
        raise Http404("没有找到该居民区")
    return area


def _pair_rows(
    items: list[tuple[int, str, str]], edges: set[layout.Edge]
) -> list[dict[str, object]]:
    """Each item (pk, name, url) with its neighbours (pk, name), both in the items' order."""
    order = {str(pk): index for index, (pk, _, _) in enumerate(items)}
    neighbours: dict[str, list[str]] = {key: [] for key in order}
    for first, second in edges:
        if first in order and second in order:
            neighbours[first].append(second)
            neighbours[second].append(first)
    return [
        {
            "pk": pk,
            "name": name,
            "url": url,
            "neighbours": [items[order[n]][:2] for n in sorted(neighbours[str(pk)], key=order.get)],
        }
        for pk, name, url in items
    ]


def _buildings(compound: Compound) -> list[Building]:
    return list(
        Building.objects.filter(compound=compound).order_by("sort_key", "number", "stairwell")
    )


def _adjacency_page(
    request: HttpRequest,
    compound: Compound,
    *,
    pair_form: AdjacencyPairForm | None = None,
    proposal_form: ProposalForm | None = None,
    status: int = 200,
) -> HttpResponse:
    buildings = _buildings(compound)
    labels = {str(b.pk): b.label for b in buildings}
    edges = services.compound_edges(compound)
    rows = _pair_rows(
        [(b.pk, b.label, reverse("building_detail", args=[b.pk])) for b in buildings], edges
    )
    proposal = None
    if proposal_form is None and "propose" in request.GET:
        proposal_form = ProposalForm(request.GET)
    if proposal_form is not None and proposal_form.is_valid():
        found = services.adjacency_proposal(
            compound, proposal_form.cleaned_data["row_length"], current=edges
        )
        proposal = {
            "row_length": found.layout.row_length,
            "rows": found.layout.rows,
            "added": [f"{a}—{b}" for a, b in layout.named(found.diff.added, labels)],
            "removed": [f"{a}—{b}" for a, b in layout.named(found.diff.removed, labels)],
            "kept": len(found.diff.kept),
            "fingerprint": found.fingerprint,
            "is_empty": found.diff.is_empty,
            "asked": proposal_form.cleaned_data["row_length"],
        }
    return render(
        request,
        "places/adjacency.html",
        {
            "compound": compound,
            "rows": rows,
            "edge_count": len(edges),
            "alone": sum(1 for row in rows if not row["neighbours"]),
            "pair_form": pair_form
            or AdjacencyPairForm(options=[(b.pk, b.label) for b in buildings]),
            "proposal_form": proposal_form or ProposalForm(),
            "proposal": proposal,
            "add_url": reverse("compound_adjacency_add", args=[compound.pk]),
            "remove_url": reverse("compound_adjacency_remove", args=[compound.pk]),
        },
        status=status,
    )


@login_required
def compound_adjacency(request: HttpRequest, compound_id: int) -> HttpResponse:
    return _adjacency_page(request, _managed_compound(request, compound_id))


@login_required
@require_POST
def adjacency_change(request: HttpRequest, compound_id: int, change: str) -> HttpResponse:
    """Add or remove one pair of neighbouring buildings (`change`: "add" or "remove")."""
    compound = _managed_compound(request, compound_id)
    buildings = {b.pk: b for b in _buildings(compound)}
    form = AdjacencyPairForm(request.POST, options=[(pk, b.label) for pk, b in buildings.items()])
    write = services.adjacency_add if change == "add" else services.adjacency_remove
    if _change_pair(request, form, buildings, write, change):
        return redirect("compound_adjacency", compound_id=compound.pk)
    return _adjacency_page(request, compound, pair_form=form, status=400)


def _change_pair(
    request: HttpRequest,
    form: AdjacencyPairForm,
    places: dict[int, Any],
    write: Callable[..., object],
    change: str,
) -> bool:
    """Write the posted pair of `places` (buildings or compounds, by pk); True when done, with
    a message, False with the form's errors or the service's refusal on it."""
    if not form.is_valid():
        return False
    first, second = places[form.cleaned_data["first"]], places[form.cleaned_data["second"]]
    try:
        write(first=first, second=second, actor=request.user, request=request)
    except ValidationError as error:
        form.add_error("second", error.messages[0])
        return False
    done = "设置" if change == "add" else "取消"
    names = (services.place_name(first), services.place_name(second))
    messages.success(request, f"已{done} {names[0]} 与 {names[1]} 相邻。")
    return True


@login_required
@require_POST
def adjacency_apply(request: HttpRequest, compound_id: int) -> HttpResponse:
    """Adopt the proposal the secretary has looked at (the same fingerprint) for the compound."""
    compound = _managed_compound(request, compound_id)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        return _adjacency_page(request, compound, proposal_form=form, status=400)
    try:
        change = services.adjacency_apply(
            compound=compound,
            row_length=form.cleaned_data["row_length"],
            fingerprint=form.cleaned_data["fingerprint"],
            actor=request.user,  # type: ignore[arg-type]
            request=request,
        )
    except services.AdjacencyChanged as refused:
        messages.error(request, refused.message)
        return _adjacency_page(request, compound, proposal_form=form, status=409)
    messages.success(
        request,
        f"已按楼号生成相邻关系：新增 {len(change.added)} 对，取消 {len(change.removed)} 对。"
        "党小组不会自动调整，请到党建页面查看调整方案。",
    )
    return redirect("compound_adjacency", compound_id=compound.pk)


def _compounds(area: Area) -> list[Compound]:
    return list(Compound.objects.filter(area=area).order_by("name"))


def _area_adjacency_page(
    request: HttpRequest,
    area: Area,
    *,
    pair_form: AdjacencyPairForm | None = None,
    status: int = 200,
) -> HttpResponse:
    compounds = _compounds(area)
    edges = services.area_compound_edges(area)
    rows = _pair_rows(
        [(c.pk, c.name, reverse("compound_adjacency", args=[c.pk])) for c in compounds], edges
    )
    return render(
        request,
        "places/area_adjacency.html",
        {
            "area": area,
            "rows": rows,
            "edge_count": len(edges),
            "alone": sum(1 for row in rows if not row["neighbours"]),
            "pair_form": pair_form
            or AdjacencyPairForm(options=[(c.pk, c.name) for c in compounds], noun=COMPOUNDS),
            "add_url": reverse("area_adjacency_add", args=[area.pk]),
            "remove_url": reverse("area_adjacency_remove", args=[area.pk]),
        },
        status=status,
    )


@login_required
def area_adjacency(request: HttpRequest, area_id: int) -> HttpResponse:
    """Which compounds of the area are side by side (joint Party branches form over it)."""
    return _area_adjacency_page(request, _managed_area(request, area_id))


@login_required
@require_POST
def area_adjacency_change(request: HttpRequest, area_id: int, change: str) -> HttpResponse:
    area = _managed_area(request, area_id)
    compounds = {c.pk: c for c in _compounds(area)}
    form = AdjacencyPairForm(
        request.POST, options=[(pk, c.name) for pk, c in compounds.items()], noun=COMPOUNDS
    )
    add, remove = services.compound_adjacency_add, services.compound_adjacency_remove
    if _change_pair(request, form, compounds, add if change == "add" else remove, change):
        return redirect("area_adjacency", area_id=area.pk)
    return _area_adjacency_page(request, area, pair_form=form, status=400)


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
