"""The 亮身份 placards of a building or a compound, as PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from jinlin.core.web import AuthedRequest
from jinlin.party import access, selectors
from jinlin.party.placards import placards_pdf

# --- placards ----------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def placard_building(request: AuthedRequest, building_id: int) -> HttpResponse:
    user = request.user
    building, scope = access.access_party_building(user, building_id)
    state = selectors.load_network(scope.area)
    data = placards_pdf(
        user=user,
        state=state,
        buildings=[state.buildings[building.pk]],
        object_type="building",
        object_id=building.pk,
        show_years=request.GET.get("years") != "0",
        request=request,
    )
    return _pdf(data, f"亮身份-{building.compound.name}{building.label}.pdf")


@login_required
def placard_compound(request: AuthedRequest, compound_id: int) -> HttpResponse:
    user = request.user
    compound, scope = access.access_party_compound(user, compound_id)
    state = selectors.load_network(scope.area)
    data = placards_pdf(
        user=user,
        state=state,
        buildings=[b for b in state.buildings.values() if b.compound_id == compound.pk],
        object_type="compound",
        object_id=compound.pk,
        show_years=request.GET.get("years") != "0",
        request=request,
    )
    return _pdf(data, f"亮身份-{compound.name}.pdf")
