"""A group's page: its households and meetings, assigning household contacts, recording a meeting."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jinlin.core.web import AuthedRequest, attach_errors
from jinlin.party import access, selectors, services
from jinlin.party.forms import AppointForm, ContactForm, MeetingForm
from jinlin.party.models import Meeting, PartyOrganisation, Position
from jinlin.party.selectors import records
from jinlin.party.views.common import error_text

# --- a group -----------------------------------------------------------------------------------


@login_required
def group_detail(request: AuthedRequest, group_id: int) -> HttpResponse:
    user = request.user
    group, scope = access.access_group(user, group_id)
    state = selectors.load_network(group.area)
    page = selectors.group_page(state, scope, group)
    may_run = group.is_active and access.can_run_group(user, group)
    context: dict[str, Any] = {
        "area": group.area,
        "scope": scope,
        "group": group,
        "page": page,
        "may_run": may_run,
        "may_meet": group.is_active and access.can_record_meeting(user, group),
        "meetings": _meetings(group),
        "active": "network",
    }
    if may_run:
        leader = page.tree.leader
        contact = page.tree.contact
        context["leader_form"] = AppointForm(
            members=[(m.member.pk, m.name) for m in page.members],
            kinds=[Position.Kind.GROUP_LEADER],
            initial={"member": leader.member_id if leader else None},
        )
        context["contact_form"] = ContactForm(
            members=page.contact_choices,
            initial={"member": contact.member_id if contact else None},
        )
        context["assign_preview"] = services.group_assign_contacts(
            group=group, actor=user, dry_run=True
        )
    return render(request, "party/group.html", context)


def _meetings(group: PartyOrganisation) -> list[Meeting]:
    meetings = records.group_meetings(group, 20)
    for meeting in meetings:
        statuses = [a.status for a in meeting.attendance.all()]
        meeting.present_count = statuses.count("present")  # type: ignore[attr-defined]  # shown by the template
        meeting.excused_count = statuses.count("excused")  # type: ignore[attr-defined]  # shown by the template
        meeting.absent_count = statuses.count("absent")  # type: ignore[attr-defined]  # shown by the template
    return meetings


@login_required
@require_POST
def group_assign(request: AuthedRequest, group_id: int) -> HttpResponse:
    user = request.user
    group, _scope = access.access_group(user, group_id)
    try:
        result = services.group_assign_contacts(group=group, actor=user, request=request)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("party_group", group_id=group.pk)
    text = f"已分配联系户：{result.assigned}/{result.households} 户有联系党员，变动 {result.changed} 条"
    if result.uncovered:
        text += f"；{result.uncovered} 户因本组没有能承担联系户的党员而未能分配"
    messages.success(request, text)
    return redirect("party_group", group_id=group.pk)


@login_required
def meeting_new(request: AuthedRequest, group_id: int) -> HttpResponse:
    user = request.user
    group, scope = access.access_group(user, group_id)
    if not group.is_active or not access.can_record_meeting(user, group):
        raise Http404(access.MSG_NO_ORGANISATION)
    group_members = records.group_current_members(group)
    form = MeetingForm(request.POST or None, members=group_members)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                group=group,
                actor=user,
                held_on=form.cleaned_data["held_on"],
                topics=form.topic_list(),
                attendance=form.attendance_by_member(),
                place=form.cleaned_data["place"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, "会议记录已保存")
            return redirect("party_group", group_id=group.pk)
    return render(
        request,
        "party/meeting_form.html",
        {"area": group.area, "scope": scope, "group": group, "form": form, "active": "network"},
        status=400 if request.method == "POST" else 200,
    )
