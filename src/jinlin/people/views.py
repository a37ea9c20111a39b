"""Pages of residents: profile with masked fields, edits, groups, group lists, search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.access import can_manage_area, can_unmask, personal_scope
from jinlin.core.audit import audit, resident_lookups
from jinlin.core.models import AuditEvent, Role
from jinlin.core.replica import replica_reads
from jinlin.core.web import AuthedRequest, submitted
from jinlin.people import search, selectors, services
from jinlin.people.access import access_emergency_contact, access_resident
from jinlin.people.catalogue import group_catalogue
from jinlin.people.forms import (
    ContactUnmaskForm,
    EmergencyContactForm,
    LeaveForm,
    ManualGroupForm,
    ResidentForm,
    UnmaskForm,
)
from jinlin.people.masking import (
    EMERGENCY_PHONE_FIELD,
    UnmaskRefused,
    masked_values,
    may_see_emergency_phones,
    unmask,
    unmask_emergency_contact,
)
from jinlin.people.models import Resident
from jinlin.people.sensitive import may_list_group, record_group_list
from jinlin.places.access import access_area, access_building, access_household
from jinlin.places.selectors import neighbour_buildings


def _may_edit(user, resident_or_household) -> bool:
    """Writers: the area secretary, and a worker inside its patch (the object is visible)."""
    if can_manage_area(user, resident_or_household.area_id):
        return True
    return user.role == "worker"


def _editable_resident(request: AuthedRequest, resident_id: int) -> Resident:
    """The resident this user may write to; 404 otherwise (as if it were not there)."""
    resident = access_resident(request.user, resident_id)
    if not _may_edit(request.user, resident):
        raise Http404
    return resident


@login_required
def resident_detail(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = access_resident(request.user, resident_id)
    today = timezone.localdate()
    groups = selectors.resident_groups(resident, today)
    history = list(resident.history.select_related("history_user").order_by("-history_date")[:21])
    labels = {f.name: f.verbose_name for f in Resident._meta.fields}
    for newer, older in zip(history, history[1:], strict=False):
        newer.changed = [labels.get(c.field, c.field) for c in newer.diff_against(older).changes]
    history = history[:20]
    return render(
        request,
        "people/resident.html",
        {
            "resident": resident,
            "age": selectors.resident_age(resident, today),
            "masked": masked_values(resident),
            "groups": groups,
            "history": history,
            "may_unmask": {
                f: can_unmask(request.user, f)
                for f in ("id_number", "phone", "health", "sensitive_groups")
            },
            "may_edit": _may_edit(request.user, resident),
            "party_member": getattr(resident, "party_member", None)
            if hasattr(resident, "party_member")
            else None,
            "lookups": resident_lookups(user=request.user, resident=resident),
            "emergency_contacts": selectors.resident_emergency_contacts(resident),
            "may_see_emergency_phones": may_see_emergency_phones(request.user),
        },
    )


@login_required
@require_POST
def resident_unmask(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = access_resident(request.user, resident_id)
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return render(
            request, "people/_unmask_error.html", {"message": "请选择字段并填写事由"}, status=400
        )
    try:
        values = unmask(
            user=request.user,
            resident=resident,
            fields=[form.cleaned_data["field"]],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except UnmaskRefused as refused:
        return render(
            request, "people/_unmask_error.html", {"message": refused.message}, status=403
        )
    return render(
        request, "people/_unmasked.html", {"field": form.cleaned_data["field"], "values": values}
    )


@login_required
def resident_edit(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    form = ResidentForm(request.POST or None, instance=resident)
    if request.method != "POST":
        # The form holds the whole ID number, phone and health: opening it is a look at them.
        shown = [name for name in ("id_number", "phone", "health") if getattr(resident, name)]
        audit(
            actor=request.user,
            action=AuditEvent.Action.UNMASK,
            object_type="resident",
            object_id=resident.pk,
            fields=shown,
            reason="打开修改表单",
            request=request,
            area_id=resident.area_id,
        )
    if submitted(
        request,
        form,
        lambda data: services.resident_update(
            resident=resident, actor=request.user, **_resident_fields(data)
        ),
    ).done:
        messages.success(request, "已保存，修改记录可在档案底部查看。")
        return redirect("resident_detail", resident_id=resident.pk)
    return render(
        request,
        "people/resident_form.html",
        {"form": form, "resident": resident, "household": resident.household},
    )


@login_required
def resident_create(request: AuthedRequest, household_id: int) -> HttpResponse:
    household = access_household(request.user, household_id)
    if not _may_edit(request.user, household):
        raise Http404
    form = ResidentForm(request.POST or None)
    outcome = submitted(
        request,
        form,
        lambda data: services.resident_create(
            household=household, actor=request.user, **_resident_fields(data)
        ),
    )
    if outcome.done and outcome.result is not None:
        messages.success(request, f"已登记居民 {outcome.result.name}")
        return redirect("resident_detail", resident_id=outcome.result.pk)
    return render(request, "people/resident_form.html", {"form": form, "household": household})


@login_required
def resident_leave(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    form = LeaveForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: services.resident_leave(
            resident=resident, actor=request.user, status=data["status"], on=data["on"]
        ),
        default="on",
    ).done:
        messages.success(request, "已登记。该居民的档案保留，不会删除。")
        return redirect("resident_detail", resident_id=resident.pk)
    return render(request, "people/leave_form.html", {"form": form, "resident": resident})


@login_required
def resident_group_add(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    secretary = services.may_manage_groups(request.user, area_id=resident.area_id)
    kinds = group_catalogue(resident.area_id).assignable(role_is_secretary=secretary)
    form = ManualGroupForm(request.POST or None, kinds=kinds)
    if submitted(
        request,
        form,
        lambda data: services.group_add_manual(
            resident=resident,
            actor=request.user,
            group=data["group"],
            reason=data["reason"],
            skills=data["skills"],
        ),
        default="group",
    ).done:
        messages.success(request, "已认定。")
        return redirect("resident_detail", resident_id=resident.pk)
    return render(request, "people/group_form.html", {"form": form, "resident": resident})


def _contacts_url(resident: Resident) -> str:
    return reverse("resident_detail", args=[resident.pk]) + "#emergency-contacts"


@login_required
def emergency_contact_create(request: AuthedRequest, resident_id: int) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    form = EmergencyContactForm(request.POST or None)
    if submitted(
        request,
        form,
        lambda data: services.emergency_contact_add(resident=resident, actor=request.user, **data),
        default="name",
    ).done:
        messages.success(request, "已添加紧急联系人。")
        return redirect(_contacts_url(resident))
    return render(
        request, "people/emergency_contact_form.html", {"form": form, "resident": resident}
    )


@login_required
def emergency_contact_edit(
    request: AuthedRequest, resident_id: int, contact_id: int
) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    if not contact.is_active:
        raise Http404("该紧急联系人已移除")
    initial = {name: getattr(contact, name) for name in services.CONTACT_FIELDS}
    form = EmergencyContactForm(request.POST or None, initial=initial)
    if request.method != "POST":
        # The form holds the whole phone: opening it is a look at it.
        audit(
            actor=request.user,
            action=AuditEvent.Action.UNMASK,
            object_type="resident",
            object_id=resident.pk,
            fields=[EMERGENCY_PHONE_FIELD],
            reason="打开紧急联系人修改表单",
            request=request,
            area_id=resident.area_id,
        )
    if submitted(
        request,
        form,
        lambda data: services.emergency_contact_update(contact=contact, actor=request.user, **data),
        default="name",
    ).done:
        messages.success(request, "已保存紧急联系人。")
        return redirect(_contacts_url(resident))
    return render(
        request,
        "people/emergency_contact_form.html",
        {"form": form, "resident": resident, "contact": contact},
    )


@login_required
@require_POST
def emergency_contact_remove(
    request: AuthedRequest, resident_id: int, contact_id: int
) -> HttpResponse:
    resident = _editable_resident(request, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    try:
        services.emergency_contact_remove(contact=contact, actor=request.user)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已移除紧急联系人 {contact.name}（记录保留）。")
    return redirect(_contacts_url(resident))


@login_required
@require_POST
def emergency_contact_unmask(
    request: AuthedRequest, resident_id: int, contact_id: int
) -> HttpResponse:
    resident = access_resident(request.user, resident_id)
    contact = access_emergency_contact(request.user, resident, contact_id)
    form = ContactUnmaskForm(request.POST)
    if not form.is_valid():
        return render(request, "people/_unmask_error.html", {"message": "请填写事由"}, status=400)
    try:
        phone = unmask_emergency_contact(
            user=request.user, contact=contact, reason=form.cleaned_data["reason"], request=request
        )
    except UnmaskRefused as refused:
        return render(
            request, "people/_unmask_error.html", {"message": refused.message}, status=403
        )
    return render(request, "people/_unmasked.html", {"field": "phone", "values": {"phone": phone}})


def _resident_fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = {name: data[name] for name in ResidentForm.Meta.fields}
    fields["hobbies"] = data["hobbies"]
    return fields


@login_required
@replica_reads
def group_list(request: AuthedRequest, area_id: int, group: str) -> HttpResponse:
    area = access_area(request.user, area_id)
    catalogue = group_catalogue(area.pk)
    kind = catalogue.get(group)
    if kind is None:
        raise Http404("没有这个群体")
    scope = personal_scope(request.user)
    if scope.is_empty:
        raise Http404("没有找到")
    if not may_list_group(request.user, group):
        raise Http404("没有找到")
    memberships = list(selectors.group_members(request.user, area_id=area.pk, group=group))
    record_group_list(
        user=request.user,
        group=group,
        area_id=area.pk,
        count=len(memberships),
        channel="page",
        request=request,
    )
    today = timezone.localdate()
    for membership in memberships:
        membership.age = selectors.resident_age(membership.resident, today)  # type: ignore[attr-defined]  # shown by the template
    return render(
        request,
        "people/group_list.html",
        {"area": area, "kind": kind, "memberships": memberships, "groups": catalogue.kinds},
    )


@login_required
@replica_reads
def resident_search(request: AuthedRequest) -> HttpResponse:
    if request.user.role == Role.NETWORK_MEMBER:
        # Not even an empty result page: a network member reads only its own households (chain).
        raise Http404("没有找到")
    query = request.GET.get("q", "").strip()[:50]
    refusal = ""
    try:
        results = (
            search.search_residents(request.user, query, limit=30, request=request) if query else []
        )
    except search.SearchRefused as refused:
        results, refusal = [], refused.message
    template = (
        "people/_search_results.html" if request.headers.get("HX-Request") else "people/search.html"
    )
    return render(request, template, {"query": query, "results": results, "refusal": refusal})


# --- a building's households and a household's residents -----------------------------------


@login_required
def building_detail(request: AuthedRequest, building_id: int) -> HttpResponse:
    building = access_building(request.user, building_id)
    return render(
        request,
        "people/building.html",
        {
            "building": building,
            "households": selectors.building_households(building),
            "neighbours": neighbour_buildings(building),
        },
    )


@login_required
def household_detail(request: AuthedRequest, household_id: int) -> HttpResponse:
    household = access_household(request.user, household_id)
    residents = selectors.household_residents(household)
    return render(
        request, "people/household.html", {"household": household, "residents": residents}
    )
