"""The network member's own pages, phone first: its households (notices come at /me/notices/)
and a contact with one of them (记一次联系); and, for those who lead the network, which of
their households no member has contacted lately (联系情况)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jinlin.chain import selectors, services
from jinlin.chain.access import member_household, network_member_or_404
from jinlin.chain.forms import ContactForm, FreshnessForm
from jinlin.core.web import AuthedRequest, submitted
from jinlin.party.access import access_party_area


@login_required
def member_home(request: AuthedRequest) -> HttpResponse:
    """我的联系户: every other role has its own home and gets 404 here."""
    network_member_or_404(request.user)
    blocks = selectors.member_buildings(request.user)
    return render(
        request,
        "chain/member_home.html",
        {
            "blocks": blocks,
            "household_count": selectors.household_count(blocks),
            "stale_days": selectors.stale_days(),
            "passed_on": selectors.passed_on(request.user),
        },
    )


@login_required
def member_contact(request: AuthedRequest, household_id: int) -> HttpResponse:
    """记一次联系: date, how, a note, what to pass on to the worker; back to /me/."""
    network_member_or_404(request.user)
    household = member_household(request.user, household_id)
    form = ContactForm(request.POST or None)
    outcome = submitted(
        request,
        form,
        lambda data: services.contact_log(actor=request.user, household=household, **data),
    )
    if outcome.done:
        messages.success(request, services.contact_message(outcome.value))
        return redirect("member_home")
    return render(
        request,
        "chain/member_contact.html",
        {
            "form": form,
            "household": household,
            "address": household.address,
        },
        status=422 if form.errors else 200,
    )


@login_required
def contact_freshness(request: AuthedRequest, area_id: int) -> HttpResponse:
    """联系情况: the households of the user's part of the Party network (a group leader's group,
    a branch secretary's branch, the whole area for its secretary) not contacted for N days."""
    scope = access_party_area(request.user, area_id)
    default = selectors.stale_days()
    form = FreshnessForm(request.GET if "days" in request.GET else {"days": default})
    days = form.cleaned_data["days"] if form.is_valid() else default
    return render(
        request,
        "chain/contact_freshness.html",
        {
            "area": scope.area,
            "scope": scope,
            "form": form,
            "report": selectors.contact_freshness(scope, days=days),
            "active": "freshness",
        },
        status=422 if form.errors else 200,
    )
