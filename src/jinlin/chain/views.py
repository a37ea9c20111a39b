"""The network member's own pages, phone first: its households (notices come at /me/notices/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from jinlin.chain import selectors
from jinlin.chain.access import MSG_NOT_YOURS, is_network_member
from jinlin.core.web import AuthedRequest


@login_required
def member_home(request: AuthedRequest) -> HttpResponse:
    """我的联系户: every other role has its own home and gets 404 here."""
    if not is_network_member(request.user):
        raise Http404(MSG_NOT_YOURS)
    blocks = selectors.member_buildings(request.user)
    return render(
        request,
        "chain/member_home.html",
        {"blocks": blocks, "household_count": selectors.household_count(blocks)},
    )
