"""An organisation's page: appointing and ending posts, setting the contact between levels."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest
from jinlin.party import access, selectors, services
from jinlin.party.forms import AppointForm, ContactForm
from jinlin.party.models import PartyMember, PartyOrganisation, Position
from jinlin.party.selectors import records
from jinlin.party.views.common import error_text

Level = PartyOrganisation.Level


MSG_CHOOSE_POST = "请选择党员和职务"


# --- posts and contacts ------------------------------------------------------------------------


@login_required
def organisation_detail(request: AuthedRequest, organisation_id: int) -> HttpResponse:
    """The area organisation or a branch: its committee, its contact, its groups."""
    user = request.user
    organisation, scope = access.access_organisation(user, organisation_id)
    if organisation.level == Level.GROUP:
        return redirect("party_group", group_id=organisation.pk)
    # A committee's members are the Party data of the whole branch (or area).
    if not scope.is_whole_area and not (scope.led and scope.led.pk == organisation.pk):
        raise Http404(access.MSG_NO_ORGANISATION)
    state = selectors.load_network(organisation.area)
    page = selectors.organisation_page(state, scope, organisation)
    may_appoint = organisation.is_active and access.can_reorganise(user, organisation.area)
    context: dict[str, Any] = {
        "area": organisation.area,
        "scope": scope,
        "organisation": organisation,
        "page": page,
        "may_appoint": may_appoint,
        "active": "network",
    }
    if may_appoint:
        context["appoint_form"] = AppointForm(
            members=page.candidates,
            kinds=[k.value for k in Position.COMMITTEE_KINDS],
        )
        if organisation.level == Level.BRANCH:
            context["contact_form"] = ContactForm(members=page.contact_choices)
    return render(request, "party/organisation.html", context)


def _back(organisation: PartyOrganisation) -> HttpResponse:
    if organisation.level == Level.GROUP:
        return redirect("party_group", group_id=organisation.pk)
    return redirect("party_organisation", organisation_id=organisation.pk)


def _member_in_area(member_id: int | None, organisation: PartyOrganisation) -> PartyMember:
    member = records.member_in_area(member_id, organisation.area_id)
    if member is None:
        raise ValidationError({"member": services.MSG_MEMBER_NOT_HERE})
    return member


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def position_appoint(request: AuthedRequest, organisation_id: int) -> HttpResponse:
    user = request.user
    organisation, _scope = access.access_organisation(user, organisation_id)
    kinds = (
        [Position.Kind.GROUP_LEADER.value]
        if organisation.level == Level.GROUP
        else [k.value for k in Position.COMMITTEE_KINDS]
    )
    kind = request.POST.get("kind", "")
    if kind not in kinds:
        messages.error(request, MSG_CHOOSE_POST)
        return _back(organisation)
    try:
        member = _member_in_area(_int(request.POST.get("member")), organisation)
        position = services.position_appoint(
            organisation=organisation, member=member, kind=kind, actor=user
        )
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(organisation)
    messages.success(request, f"已任命 {member.resident.name} 为{position.title}")
    return _back(organisation)


@login_required
@require_POST
def position_end(request: AuthedRequest, position_id: int) -> HttpResponse:
    user = request.user
    position = records.position_by_id(position_id)
    if position is None:
        raise Http404(access.MSG_NO_ORGANISATION)
    organisation, _scope = access.access_organisation(user, position.organisation_id)
    try:
        services.position_end(position=position, actor=user)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    messages.success(request, f"{position.member.resident.name} 已卸任{position.title}")
    return _back(organisation)


@login_required
@require_POST
def contact_set(request: AuthedRequest, organisation_id: int) -> HttpResponse:
    user = request.user
    organisation, _scope = access.access_organisation(user, organisation_id)
    try:
        member = _member_in_area(_int(request.POST.get("member")), organisation)
        services.organisation_set_contact(organisation=organisation, member=member, actor=user)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return _back(organisation)
    messages.success(request, f"已指定 {member.resident.name} 联系{organisation.name}")
    return _back(organisation)
