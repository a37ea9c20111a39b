"""Pages of consultations 问: the list, a new consultation, its page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.web import AuthedRequest
from jinlin.fieldwork import access
from jinlin.fieldwork.common.joinable import joinable_cases
from jinlin.fieldwork.common.pages import attach, paginate, request_user, require_scope
from jinlin.fieldwork.consultations import forms, selectors, services


@login_required
def consultation_list(request: AuthedRequest) -> HttpResponse:
    require_scope(request)
    items = selectors.consultation_list(request_user(request))
    return render(request, "fieldwork/consultation_list.html", {"page": paginate(request, items)})


@login_required
def consultation_create(request: AuthedRequest) -> HttpResponse:
    user = request_user(request)
    require_scope(request)
    veterans = list(selectors.think_tank(user)[:300])
    form = forms.ConsultationForm(request.POST or None, veterans=veterans)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = services.consultation_record(
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
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            attach(form, error, "question")
        else:
            messages.success(request, "已登记咨询。")
            return redirect("fieldwork_consultation", consultation_id=item.pk)
    return render(request, "fieldwork/consultation_form.html", {"form": form})


@login_required
def consultation_detail(request: AuthedRequest, consultation_id: int) -> HttpResponse:
    user = request_user(request)
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
