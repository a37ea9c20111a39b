"""Pages of visits: record a visit, the visit lists, proposed record updates, visit intervals.

Thin: each view fetches through a gatekeeper (404 outside the patch), calls one service and
shows its refusal on the form, or redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jinlin.core.models import Role, User
from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.common.pages import (
    FIELD_ALIASES,
    next_url,
    paginate,
    require_scope,
)
from jinlin.fieldwork.common.selectors import find_residents, household_or_404
from jinlin.fieldwork.visits import forms, selectors, services
from jinlin.fieldwork.visits.models import ProposalStatus
from jinlin.people import selectors as people_selectors
from jinlin.people.catalogue import label_of
from jinlin.people.masking import emergency_phones_for_call
from jinlin.people.search import SearchRefused
from jinlin.places.access import access_area


@login_required
def visit_create(request: AuthedRequest) -> HttpResponse:
    """记录走访 of a household (from 今日, the household's or a resident's page); without one, a
    search to find it first. An unscheduled visit counts for the schedule like any other."""
    user = request.user
    require_scope(request)
    chosen = request.GET.get("household") or request.POST.get("household")
    if not chosen:
        return _visit_household_picker(request)
    household = household_or_404(user, chosen)
    residents = selectors.household_residents(household.pk)
    initial = {}
    if request.GET.get("resident", "").isdigit():
        wanted = int(request.GET["resident"])
        initial = {"resident": wanted} if any(r.pk == wanted for r in residents) else {}
    form = forms.VisitForm(request.POST or None, residents=residents, initial=initial)
    outcome = submitted(
        request,
        form,
        lambda data: services.visit_record(
            actor=user,
            data=services.VisitInput(
                household_id=household.pk,
                visited_on=data["visited_on"],
                mode=data["mode"],
                condition=data["condition"],
                resident_id=data["resident"],
                family_situation=data["family_situation"],
                health=data["health"],
                living_habits=data["living_habits"],
                needs=data["needs"],
            ),
        ),
        default="visited_on",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        visit = outcome.value
        messages.success(request, f"已记录 {household.address} 的走访。")
        return redirect(next_url(request, reverse("fieldwork_visit", args=[visit.pk])))
    return render(
        request,
        "fieldwork/visit_form.html",
        {
            "form": form,
            "household": household,
            "next": next_url(request, ""),
            **_emergency_contacts(request, household.pk),
        },
    )


def _emergency_contacts(request: AuthedRequest, household_id: int) -> dict[str, Any]:
    """紧急联系人 first on the page of a living-alone elder's household (issue 12): a worker
    whose knock is not answered knows whom to call. Phones whole (tel: links, the look
    audited) for a role that may see them, masked for any other."""
    elder_id = people_selectors.household_living_alone_elder(household_id)
    if elder_id is None:
        return {"is_living_alone": False}
    contacts = people_selectors.household_emergency_contacts(household_id)
    phones = emergency_phones_for_call(
        user=request.user, contacts=contacts, reason="记录走访：独居老人紧急联系人", request=request
    )
    return {
        "is_living_alone": True,
        "elder_id": elder_id,
        "emergency_contacts": [(contact, phones.get(contact.pk, "")) for contact in contacts],
    }


def _visit_household_picker(request: AuthedRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:50]
    found: list[Any] = []
    refusal = ""
    if query:
        try:
            found = find_residents(request.user, query, request)
        except SearchRefused as refused:
            refusal = refused.message
    return render(
        request,
        "fieldwork/visit_pick.html",
        {"query": query, "found": found, "refusal": refusal, "next": next_url(request, "")},
    )


@login_required
def visit_list(request: AuthedRequest) -> HttpResponse:
    require_scope(request)
    household_id = request.GET.get("household")
    household = household_or_404(request.user, household_id) if household_id else None
    visits = selectors.visit_list(request.user, household_id=household.pk if household else None)
    return render(
        request,
        "fieldwork/visit_list.html",
        {"page": paginate(request, visits), "household": household},
    )


@login_required
def visit_detail(request: AuthedRequest, visit_id: int) -> HttpResponse:
    user = request.user
    visit = selectors.access_visit(user, visit_id)
    residents = selectors.household_residents(visit.household_id)
    form = forms.ProposalForm(request.POST or None, residents=residents)
    outcome = submitted(
        request,
        form,
        lambda data: services.proposal_create(
            visit=visit,
            actor=user,
            resident_id=data["resident"],
            field=data["field"],
            value=data["value"],
            reason=data["reason"],
        ),
        default="value",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, "已提出档案更新建议，等待审核。")
        return redirect("fieldwork_visit", visit_id=visit.pk)
    proposals = list(selectors.visit_proposals(visit))
    for proposal in proposals:
        proposal.shown_value = selectors.masked_proposal_value(proposal)  # type: ignore[attr-defined]  # shown by the template
    return render(
        request,
        "fieldwork/visit_detail.html",
        {
            "visit": visit,
            "form": form,
            "value_choices": selectors.proposal_value_choices(),
            "proposals": proposals,
            "may_write": access.can_write(user),
            "cases": selectors.visit_case_links(visit),
        },
    )


@login_required
def proposal_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    status = request.GET.get("status", ProposalStatus.PENDING)
    proposals = selectors.proposal_list(
        user, status=status if status in ProposalStatus.values else ""
    )
    page = paginate(request, proposals)
    for proposal in page.object_list:
        proposal.shown_value = selectors.masked_proposal_value(proposal)
        proposal.current_value = selectors.masked_current_value(proposal)
        proposal.may_decide = proposal.status == ProposalStatus.PENDING and _may_decide(
            user, proposal
        )
    return render(
        request,
        "fieldwork/proposal_list.html",
        {"page": page, "status": status, "statuses": ProposalStatus.choices},
    )


def _may_decide(user: User, proposal: Any) -> bool:
    # Cheap answers first: the secretary of the area, or never one's own proposal.
    if user.is_superuser or (user.role == Role.AREA_SECRETARY and user.area_id == proposal.area_id):
        return True
    return user.role == Role.WORKER and proposal.proposed_by_id != user.pk


@login_required
@require_POST
def proposal_decide(request: AuthedRequest, proposal_id: int) -> HttpResponse:
    user = request.user
    proposal = selectors.access_proposal(user, proposal_id)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳或不采纳")
        return redirect("fieldwork_proposals")
    try:
        if form.cleaned_data["decision"] == "accept":
            services.proposal_accept(proposal=proposal, actor=user, note=form.cleaned_data["note"])
            messages.success(
                request, f"已采纳，{proposal.resident.name}的档案已更新（可在档案修改记录中查看）。"
            )
        else:
            services.proposal_reject(proposal=proposal, actor=user, note=form.cleaned_data["note"])
            messages.success(request, "已记录不采纳。")
    except PermissionDenied as denied:
        messages.error(request, str(denied))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(next_url(request, reverse("fieldwork_proposals")))


@login_required
def intervals(request: AuthedRequest, area_id: int) -> HttpResponse:
    user = request.user
    area = access_area(user, area_id)
    if not (user.is_superuser or (user.role == Role.AREA_SECRETARY and user.area_id == area.pk)):
        raise Http404("没有找到")
    form = forms.IntervalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_interval_set(
                area_id=area.pk,
                actor=user,
                group=form.cleaned_data["group"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "已保存走访周期。")
        return redirect("fieldwork_intervals", area_id=area.pk)
    current = selectors.intervals_by_area({area.pk})[area.pk]
    defaults = selectors.area_default_intervals(area.pk)
    rows = [
        {
            "group": group,
            "label": label_of(group),
            "days": current[group],
            "default": defaults[group],
        }
        for group in defaults
    ]
    return render(request, "fieldwork/intervals.html", {"area": area, "rows": rows})
