"""Inviting the chain's lower links onto their phones: the invitation page of an area (楼组长,
volunteers, the accounts so far) and the 邀请上线 buttons of the member list. The link and its
QR code are shown once, on the answer to the POST that made them."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest, submitted
from jinlin.party import access
from jinlin.party.forms import VolunteerInviteForm
from jinlin.party.selectors.accounts import area_buildings, network_accounts
from jinlin.party.services.accounts import (
    Issued,
    account_reinvite,
    member_invite,
    volunteer_invite,
)
from jinlin.party.views.common import error_text


def _shown_once(request: AuthedRequest, issued: Issued, back: str) -> HttpResponse:
    link = request.build_absolute_uri(reverse("invite_accept", args=[issued.token]))
    qr = segno.make(link, error="m").svg_inline(
        scale=8, border=4, dark="#000", light="#fff", omitsize=True, title="邀请二维码"
    )
    return render(
        request,
        "party/invitation.html",
        {"issued": issued, "link": link, "qr": qr, "back": back},
    )


def _back(request: AuthedRequest) -> str:
    """Where 返回 leads: the page the button was on (this site only), else the Party home."""
    back = request.POST.get("back", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return reverse("party_home")


@login_required
def invite_page(request: AuthedRequest, area_id: int) -> HttpResponse:
    """The area secretary's page: invite a 楼组长 or volunteer; its network member accounts."""
    scope = access.access_party_area(request.user, area_id)
    if not access.can_invite_volunteers(request.user, area_id):
        raise Http404(access.MSG_NO_AREA)
    form = VolunteerInviteForm(request.POST or None, buildings=area_buildings(area_id))
    outcome = submitted(
        request,
        form,
        lambda data: volunteer_invite(
            area_id=area_id,
            name=data["name"],
            building_ids=data["buildings"],
            actor=request.user,
            request=request,
        ),
    )
    if outcome.done:
        return _shown_once(request, outcome.value, reverse("party_invite", args=[area_id]))
    return render(
        request,
        "party/invite.html",
        {
            "area": scope.area,
            "scope": scope,
            "form": form,
            "accounts": network_accounts(area_id),
            "active": "invite",
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def member_invite_view(request: AuthedRequest, member_id: int) -> HttpResponse:
    """邀请上线 on a member row; anyone who may not invite this member gets 404."""
    try:
        issued = member_invite(member_id=member_id, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404("没有找到该党员") from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_back(request))
    return _shown_once(request, issued, _back(request))


@require_POST
@login_required
def account_reinvite_view(request: AuthedRequest, account_id: int) -> HttpResponse:
    """重新邀请: a new link for an existing account; its earlier unused links stop working."""
    try:
        issued = account_reinvite(account_id=account_id, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404("没有找到该账号") from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("party_home")
    back = reverse("party_invite", args=[issued.account.area_id])
    return _shown_once(request, issued, back)
