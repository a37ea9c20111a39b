"""Pages of concerns 民声诉求: the list, intake (from a resident, household, visit or anonymous)
and the concern's page. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.access import can_unmask
from jinlin.core.idnumber import mask_phone
from jinlin.core.web import AuthedRequest, attach_errors, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.common.joinable import joinable_cases
from jinlin.fieldwork.common.pages import FIELD_ALIASES, paginate, require_scope
from jinlin.fieldwork.common.selectors import (
    find_residents,
    household_or_404,
    patrol_compounds,
    resident_or_404,
)
from jinlin.fieldwork.concerns import forms, selectors, services
from jinlin.fieldwork.concerns.models import Channel, ConcernScope, Subcategory, Urgency
from jinlin.fieldwork.visits.selectors import access_visit
from jinlin.people.search import SearchRefused


@login_required
def concern_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    q = request.GET.get("q", "").strip()[:50]
    filters = {
        name: request.GET.get(name, "") for name in ("scope", "subcategory", "channel", "urgency")
    }
    concerns = selectors.concern_list(
        user,
        q=q,
        scope=filters["scope"],
        subcategory=filters["subcategory"],
        channel=filters["channel"],
        urgency=filters["urgency"],
    )
    page = paginate(request, concerns)
    page.object_list = selectors.mark_cases(page.object_list)
    services.record_subcategory_list(
        user=user,
        subcategory=filters["subcategory"],
        count=len(page.object_list),
        channel="page",
        request=request,
    )
    return render(
        request,
        "fieldwork/concern_list.html",
        {
            "page": page,
            "q": q,
            "filters": filters,
            "scopes": ConcernScope.choices,
            "subcategories": Subcategory.choices,
            "channels": Channel.choices,
            "urgencies": Urgency.choices,
        },
    )


@login_required
def concern_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    resident = household = visit = None
    if request.GET.get("resident"):
        resident = resident_or_404(user, request.GET["resident"])
    elif request.GET.get("household"):
        household = household_or_404(user, request.GET["household"])
    if request.GET.get("visit"):
        visit = access_visit(user, request.GET["visit"])  # type: ignore[arg-type]  # a bad id is a 404 there
        household = household or (visit.household if resident is None else None)
    compounds = patrol_compounds(user)
    initial = {
        "channel": Channel.HOME_VISIT if visit else "",
        "scope": ConcernScope.FAMILY if (resident or household) else ConcernScope.COMMUNITY,
    }
    # What was typed before looking a resident up comes back with the lookup (app.js carries
    # the form's fields on the search and on the chosen resident's link).
    typed = {name: request.GET[name] for name in CARRIED_FIELDS if request.GET.get(name)}
    initial.update(typed)
    form = forms.ConcernForm(request.POST or None, compounds=compounds, initial=initial)
    outcome = submitted(
        request,
        form,
        lambda data: services.concern_record(
            actor=user,
            data=services.ConcernInput(
                channel=data["channel"],
                scope=data["scope"],
                subcategory=data["subcategory"],
                words=data["words"],
                real_need=data["real_need"],
                urgency=data["urgency"],
                resident_id=resident.pk if resident else None,
                household_id=household.pk if household else None,
                compound_id=data["compound"],
                visit_id=visit.pk if visit else None,
            ),
        ),
        default="words",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        concern = outcome.value
        messages.success(request, "已登记民声诉求。")
        return redirect("fieldwork_concern", concern_id=concern.pk)
    query = request.GET.get("q", "").strip()[:50]
    refusal = ""
    try:
        found = (
            find_residents(user, query, request)
            if query and resident is None and household is None
            else []
        )
    except SearchRefused as refused:
        found, refusal = [], refused.message
    return render(
        request,
        "fieldwork/concern_form.html",
        {
            "form": form,
            "carried": urlencode(typed),
            "resident": resident,
            "household": household,
            "visit": visit,
            "query": query,
            "found": found,
            "refusal": refusal,
        },
    )


# The concern form's fields a resident lookup keeps (not the resident: the lookup chooses it).
CARRIED_FIELDS = ("channel", "scope", "subcategory", "words", "real_need", "urgency", "compound")


@login_required
def concern_detail(request: AuthedRequest, concern_id: int) -> HttpResponse:
    user = request.user
    concern = selectors.access_concern(user, concern_id)
    action = request.POST.get("action", "need") if request.method == "POST" else ""
    need_form = forms.NeedForm(
        request.POST if action == "need" else None,
        initial={"real_need": concern.real_need},
        prefix="need",
    )
    reply_form = forms.ReplyForm(
        request.POST if action == "reply" else None,
        initial={"reply": concern.reply},
        prefix="reply",
    )
    phone_form = forms.PhoneReasonForm(request.POST if action == "phone" else None, prefix="phone")
    whole_phone = ""
    try:
        if action == "need" and need_form.is_valid():
            services.concern_update_need(
                concern=concern, actor=user, real_need=need_form.cleaned_data["real_need"]
            )
            messages.success(request, "已更新真正诉求。")
            return redirect("fieldwork_concern", concern_id=concern.pk)
        if action == "reply" and reply_form.is_valid():
            services.concern_reply(
                concern=concern, actor=user, reply=reply_form.cleaned_data["reply"]
            )
            messages.success(request, "已回复，居民凭回执可以看到。")
            return redirect("fieldwork_concern", concern_id=concern.pk)
        if action == "close":
            try:
                services.concern_close(concern=concern, actor=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            except PermissionDenied as error:  # in scope: say why, a 404 would puzzle
                messages.error(request, str(error))
            else:
                messages.success(request, "已办结，居民可以评价了。")
            return redirect("fieldwork_concern", concern_id=concern.pk)
        if action == "phone" and phone_form.is_valid():
            whole_phone = services.concern_callback_phone(
                concern=concern, actor=user, reason=phone_form.cleaned_data["reason"]
            )
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        attach_errors({"reply": reply_form, "phone": phone_form}.get(action, need_form), error)
    links = selectors.concern_case_links(concern)
    return render(
        request,
        "fieldwork/concern_detail.html",
        {
            "concern": concern,
            "need_form": need_form,
            "reply_form": reply_form,
            "phone_form": phone_form,
            "masked_phone": mask_phone(concern.callback_phone),
            "whole_phone": whole_phone,
            "may_unmask_phone": can_unmask(user, "phone"),
            "links": links,
            "may_write": access.can_write(user),
            "open_cases": joinable_cases(user, concern.area_id),
            "may_hand_over": access.can_hand_over(user, concern.area_id),
            "concern_is_open": selectors.is_open(concern),
            "handovers": selectors.concern_handovers(concern),
        },
    )


@login_required
def concern_photo(request: AuthedRequest, concern_id: int) -> FileResponse:
    """A resident's photo is served only to who may see the concern; it is not public media."""
    concern = selectors.access_concern(request.user, concern_id)
    if not concern.photo:
        raise Http404("没有照片")
    return FileResponse(concern.photo.open("rb"), content_type="image/jpeg")
