"""Pages of the registry's places: adjacency of buildings and compounds, entered and proposed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jinlin.core.access import can_manage_area
from jinlin.core.web import AuthedRequest
from jinlin.places import layout, selectors, services
from jinlin.places.access import (
    access_area,
    access_compound,
)
from jinlin.places.forms import COMPOUNDS, AdjacencyPairForm, ProposalForm
from jinlin.places.models import Area, Building, Compound

# --- adjacency: entered by hand, or proposed from building numbers and corrected --------------


def _managed_compound(request: AuthedRequest, compound_id: int) -> Compound:
    """The compound, for its area's secretary only: to anyone else the page does not exist."""
    compound = access_compound(request.user, compound_id)
    if not can_manage_area(request.user, compound.area_id):
        raise Http404("没有找到该小区")
    return compound


def _managed_area(request: AuthedRequest, area_id: int) -> Area:
    area = access_area(request.user, area_id)
    if not can_manage_area(request.user, area.pk):
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
            "neighbours": [
                items[order[n]][:2] for n in sorted(neighbours[str(pk)], key=lambda n: order[n])
            ],
        }
        for pk, name, url in items
    ]


def _buildings(compound: Compound) -> list[Building]:
    return selectors.compound_buildings_in_order(compound)


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
def compound_adjacency(request: AuthedRequest, compound_id: int) -> HttpResponse:
    return _adjacency_page(request, _managed_compound(request, compound_id))


@login_required
@require_POST
def adjacency_change(request: AuthedRequest, compound_id: int, change: str) -> HttpResponse:
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
def adjacency_apply(request: AuthedRequest, compound_id: int) -> HttpResponse:
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
            actor=request.user,
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
    return selectors.area_compounds(area)


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
def area_adjacency(request: AuthedRequest, area_id: int) -> HttpResponse:
    """Which compounds of the area are side by side (joint Party branches form over it)."""
    return _area_adjacency_page(request, _managed_area(request, area_id))


@login_required
@require_POST
def area_adjacency_change(request: AuthedRequest, area_id: int, change: str) -> HttpResponse:
    area = _managed_area(request, area_id)
    compounds = {c.pk: c for c in _compounds(area)}
    form = AdjacencyPairForm(
        request.POST, options=[(pk, c.name) for pk, c in compounds.items()], noun=COMPOUNDS
    )
    add, remove = services.compound_adjacency_add, services.compound_adjacency_remove
    if _change_pair(request, form, compounds, add if change == "add" else remove, change):
        return redirect("area_adjacency", area_id=area.pk)
    return _area_adjacency_page(request, area, pair_form=form, status=400)
