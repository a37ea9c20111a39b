"""Pages of consultations 问: the list, a new consultation, its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.common.joinable import joinable_cases
from jinlin.fieldwork.common.pages import FIELD_ALIASES, paginate, require_scope
from jinlin.fieldwork.consultations import forms, selectors, services


@login_required
def consultation_list(request: AuthedRequest) -> HttpResponse:
    require_scope(request)
    items = selectors.consultation_list(request.user)
    return render(request, "fieldwork/consultation_list.html", {"page": paginate(request, items)})


@login_required
def consultation_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    veterans = list(selectors.think_tank(user)[:300])
    form = forms.ConsultationForm(request.POST or None, veterans=veterans)
    outcome = submitted(
        request,
        form,
        lambda data: services.consultation_record(
            actor=user,
            data=services.ConsultationInput(
                veteran_id=data["veteran"],
                topic=data["topic"],
                question=data["question"],
                advice=data["advice"],
                asked_on=data["asked_on"],
                follow_up=data["follow_up"],
                is_agenda_item=data["is_agenda_item"],
            ),
        ),
        default="question",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        item = outcome.value
        messages.success(request, "已登记咨询。")
        return redirect("fieldwork_consultation", consultation_id=item.pk)
    return render(request, "fieldwork/consultation_form.html", {"form": form})


@login_required
def consultation_detail(request: AuthedRequest, consultation_id: int) -> HttpResponse:
    user = request.user
    item = selectors.access_consultation(user, consultation_id)
    return render(
        request,
        "fieldwork/consultation_detail.html",
        {
            "item": item,
            "links": selectors.consultation_case_links(item),
            "open_cases": joinable_cases(user, item.area_id),
            "may_write": access.can_write(user),
        },
    )
