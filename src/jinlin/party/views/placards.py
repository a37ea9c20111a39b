"""The 亮身份 placards of a building or a compound, as PDF."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jinlin.core.jobs import start_job
from jinlin.core.web import AuthedRequest
from jinlin.party import access, selectors
from jinlin.party.placards import placards_pdf, public_base_url
from jinlin.party.tasks import compound_placards
from jinlin.places.services import building_rotate_public_token

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


@login_required
@require_POST
def placard_compound_job(request: AuthedRequest, compound_id: int) -> HttpResponse:
    """A compound's placards made by the task queue (dozens of buildings take a while to lay
    out): the job's page shows how far it is, and the owner is told when the PDF is ready."""
    compound, _scope = access.access_party_compound(request.user, compound_id)
    job = start_job(
        owner=request.user,
        kind="placards",
        title=f"亮身份公示牌：{compound.name}",
        task=compound_placards,
        compound_id=compound.pk,
        show_years=request.POST.get("years") != "0",
        base_url=public_base_url(request),
    )
    return redirect("job_detail", job_id=job.pk)


@login_required
@require_POST
def placard_rotate(request: AuthedRequest, building_id: int) -> HttpResponse:
    """A new QR code for a building whose placard's code is abused: the old page is gone, the
    placard must be printed again. The area secretary only (anyone else in scope: 404)."""
    building, _scope = access.access_party_building(request.user, building_id)
    try:
        building_rotate_public_token(building=building, actor=request.user, request=request)
    except ValidationError:
        raise Http404 from None
    messages.success(
        request, f"{building.label}的二维码已更换，旧二维码已失效：请重新打印亮身份公示牌。"
    )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("party_placard_building", building_id=building.pk)
