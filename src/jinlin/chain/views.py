"""The network member's own pages, phone first: its households (notices come at /me/notices/)
and a contact with one of them (记一次联系)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jinlin.chain import selectors, services
from jinlin.chain.access import MSG_NOT_YOURS, is_network_member, member_household
from jinlin.chain.forms import ContactForm
from jinlin.core.web import AuthedRequest
from jinlin.places.models import address_of


def _member(request: AuthedRequest) -> None:
    if not is_network_member(request.user):
        raise Http404(MSG_NOT_YOURS)


@login_required
def member_home(request: AuthedRequest) -> HttpResponse:
    """我的联系户: every other role has its own home and gets 404 here."""
    _member(request)
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
    _member(request)
    household = member_household(request.user, household_id)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_log(
                actor=request.user, household=household, **form.cleaned_data
            )
        except ValidationError as refused:
            for field, errors in refused.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, services.contact_message(contact))
            return redirect("member_home")
    building = household.building
    return render(
        request,
        "chain/member_contact.html",
        {
            "form": form,
            "household": household,
            "address": address_of(building, household.room),
        },
        status=422 if form.errors else 200,
    )
