"""Pages of the Party network: the tree, the proposal and its diff, coverage, members, a
group with its households and meetings, an organisation's posts, and the 亮身份 placards."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from jinlin.party import access, formation, selectors, services
from jinlin.party.forms import AppointForm, ContactForm, MeetingForm
from jinlin.party.models import Meeting, PartyMember, PartyOrganisation, Position
from jinlin.party.placards import placards_pdf
from jinlin.party.selectors import records

Level = PartyOrganisation.Level
MSG_CHOOSE_POST = "请选择党员和职务"


def _user(request: HttpRequest) -> Any:
    return request.user


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


@login_required
def party_home(request: HttpRequest) -> HttpResponse:
    """The nav link: a group leader's group, everyone else the network of their area."""
    user = _user(request)
    led = access.led_organisation(user)
    if led is not None and led.level == Level.GROUP:
        return redirect("party_group", group_id=led.pk)
    area = access.home_area(user)
    if area is None:
        raise Http404(access.MSG_NO_AREA)
    access.access_party_area(user, area.pk)
    return redirect("party_network", area_id=area.pk)


@login_required
def network(request: HttpRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(_user(request), area_id)
    state = selectors.load_network(scope.area)
    return render(
        request,
        "party/network.html",
        {
            "area": scope.area,
            "scope": scope,
            "tree": selectors.network_tree(state, scope),
            "gaps": len(selectors.coverage(state, scope).gaps),
            "active": "network",
        },
    )


@login_required
def proposal(request: HttpRequest, area_id: int) -> HttpResponse:
    """GET: the proposal as a diff; POST: apply it, when it is still the one that was shown."""
    user = _user(request)
    scope = access.access_party_area(user, area_id)
    if not scope.may_reorganise:
        raise Http404(access.MSG_NO_AREA)
    if request.method == "POST":
        try:
            reorganisation = services.network_apply_proposal(
                area=scope.area,
                actor=user,
                fingerprint=request.POST.get("fingerprint", ""),
                request=request,
            )
        except services.ProposalRefused as refused:
            messages.error(request, refused.message)
            return redirect("party_proposal", area_id=scope.area.pk)
        messages.success(request, f"已按方案调整党组织：{reorganisation.summary}")
        return redirect("party_network", area_id=scope.area.pk)
    found = selectors.area_proposal(scope.area)
    return render(
        request,
        "party/proposal.html",
        {
            "area": scope.area,
            "scope": scope,
            "proposal": found,
            "view": _proposal_view(found),
            "history": selectors.recent_reorganisations(scope.area),
            "active": "proposal",
        },
    )


def _proposal_view(found: selectors.Proposal) -> dict[str, Any]:
    """The diff as rows for the template: per planned branch its groups, then what goes."""
    diff = found.diff
    branch_rows = []
    for change in diff.branches:
        if change.planned is None:
            continue
        planned = found.plan.branches[change.planned]
        groups = []
        for group_change in diff.groups:
            if group_change.planned is None or group_change.planned[0] != change.planned:
                continue
            groups.append(
                {
                    "change": group_change.change,
                    "name": found.planned_group_name(group_change.planned),
                    "after": found.keys_text(group_change.buildings_after),
                    "before": found.keys_text(group_change.buildings_before),
                    "added": found.keys_text(group_change.added),
                    "removed": found.keys_text(group_change.removed),
                    "members": group_change.members,
                    "changes_branch": group_change.changes_branch,
                }
            )
        branch_rows.append(
            {
                "change": change.change,
                "name": found.planned_branch_name(change.planned),
                "compounds": "、".join(change.compounds_after),
                "before": "、".join(change.compounds_before),
                "is_joint": planned.is_joint,
                "members": planned.members,
                "groups": groups,
            }
        )
    dissolved_groups = [
        {
            "name": g.current.name,  # type: ignore[union-attr]
            "before": found.keys_text(g.buildings_before),
        }
        for g in diff.groups
        if g.change == "dissolve"
    ]
    dissolved_branches = [
        {"name": b.current.name, "before": "、".join(b.compounds_before)}  # type: ignore[union-attr]
        for b in diff.branches
        if b.change == "dissolve"
    ]
    moves = [
        {
            "building": found.keys_text([m.building]),
            "compound": m.building[0],
            "before": found.state.groups[m.before].name if m.before else "",
            "after": found.planned_group_name(m.after) if m.after else "",
        }
        for m in diff.moves
    ]

    # Too few members for want of neighbours: fixed on the adjacency pages (buildings of the
    # compound, or compounds of the area).
    def prefixes(*texts: str) -> tuple[str, ...]:
        return tuple(text.split("{", 1)[0] for text in texts)

    building_reasons = prefixes(formation.BUILDING_REASON, formation.BUILDING_ALONE_REASON)
    compound_reasons = prefixes(formation.COMPOUND_REASON, formation.COMPOUND_ALONE_REASON)
    compound_ids = {c.name: c.pk for c in found.state.compounds.values()}

    def adjacency_url(part: Any) -> str:
        if part.reason.startswith(building_reasons) and part.buildings[0][0] in compound_ids:
            return reverse("compound_adjacency", args=[compound_ids[part.buildings[0][0]]])
        if part.reason.startswith(compound_reasons):
            return reverse("area_adjacency", args=[found.state.area.pk])
        return ""

    unplaced = [
        {
            "buildings": found.keys_text(list(u.buildings)),
            "members": u.members,
            "reason": u.reason,
            "adjacency_url": adjacency_url(u),
        }
        for u in found.plan.unplaced
    ]
    member_changes = [
        {
            "name": c.member.resident.name,
            "before": found.state.groups[c.before].name
            if c.before and c.before in found.state.groups
            else "",
            "after": found.planned_group_name(c.after) if c.after else "",
            "reason": "已迁出或不在本社区参加组织生活" if c.after is None else "",
        }
        for c in found.member_changes
    ]
    return {
        "branches": branch_rows,
        "dissolved_groups": dissolved_groups,
        "dissolved_branches": dissolved_branches,
        "moves": moves,
        "unplaced": unplaced,
        "member_changes": member_changes,
        "counts": diff.counts(),
    }


@login_required
def coverage(request: HttpRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(_user(request), area_id)
    state = selectors.load_network(scope.area)
    report = selectors.coverage(state, scope)
    return render(
        request,
        "party/coverage.html",
        {"area": scope.area, "scope": scope, "report": report, "active": "coverage"},
    )


@login_required
def members(request: HttpRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(_user(request), area_id)
    state = selectors.load_network(scope.area)
    return render(
        request,
        "party/members.html",
        {
            "area": scope.area,
            "scope": scope,
            "rows": selectors.member_rows(state, scope),
            "active": "members",
        },
    )


# --- a group -----------------------------------------------------------------------------------


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
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
        meeting.present_count = statuses.count("present")  # type: ignore[attr-defined]
        meeting.excused_count = statuses.count("excused")  # type: ignore[attr-defined]
        meeting.absent_count = statuses.count("absent")  # type: ignore[attr-defined]
    return meetings


@login_required
@require_POST
def group_assign(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
    group, _scope = access.access_group(user, group_id)
    try:
        result = services.group_assign_contacts(group=group, actor=user, request=request)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("party_group", group_id=group.pk)
    text = f"已分配联系户：{result.assigned}/{result.households} 户有联系党员，变动 {result.changed} 条"
    if result.uncovered:
        text += f"；{result.uncovered} 户因本组没有能承担联系户的党员而未能分配"
    messages.success(request, text)
    return redirect("party_group", group_id=group.pk)


@login_required
def meeting_new(request: HttpRequest, group_id: int) -> HttpResponse:
    user = _user(request)
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
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "会议记录已保存")
            return redirect("party_group", group_id=group.pk)
    return render(
        request,
        "party/meeting_form.html",
        {"area": group.area, "scope": scope, "group": group, "form": form, "active": "network"},
        status=400 if request.method == "POST" else 200,
    )


# --- posts and contacts ------------------------------------------------------------------------


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The area organisation or a branch: its committee, its contact, its groups."""
    user = _user(request)
    organisation, scope = access.access_organisation(user, organisation_id)
    if organisation.level == Level.GROUP:
        return redirect("party_group", group_id=organisation.pk)
    # A committee's members are the Party data of the whole branch (or area).
    if not scope.is_whole_area and not (scope.led and scope.led.pk == organisation.pk):
        raise Http404(access.MSG_NO_ORGANISATION)
    state = selectors.load_network(organisation.area)
    page = selectors.organisation_page(state, scope, organisation)
    may_appoint = organisation.is_active and access.can_reorganise(user, organisation.area)
    context: dict[str, Any] = {
        "area": organisation.area,
        "scope": scope,
        "organisation": organisation,
        "page": page,
        "may_appoint": may_appoint,
        "active": "network",
    }
    if may_appoint:
        context["appoint_form"] = AppointForm(
            members=page.candidates,
            kinds=[k.value for k in Position.COMMITTEE_KINDS],
        )
        if organisation.level == Level.BRANCH:
            context["contact_form"] = ContactForm(members=page.contact_choices)
    return render(request, "party/organisation.html", context)


def _back(organisation: PartyOrganisation) -> HttpResponse:
    if organisation.level == Level.GROUP:
        return redirect("party_group", group_id=organisation.pk)
    return redirect("party_organisation", organisation_id=organisation.pk)


def _member_in_area(member_id: int | None, organisation: PartyOrganisation) -> PartyMember:
    member = records.member_in_area(member_id, organisation.area_id)
    if member is None:
        raise ValidationError({"member": services.MSG_MEMBER_NOT_HERE})
    return member


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def position_appoint(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    organisation, _scope = access.access_organisation(user, organisation_id)
    kinds = (
        [Position.Kind.GROUP_LEADER.value]
        if organisation.level == Level.GROUP
        else [k.value for k in Position.COMMITTEE_KINDS]
    )
    kind = request.POST.get("kind", "")
    if kind not in kinds:
        messages.error(request, MSG_CHOOSE_POST)
        return _back(organisation)
    try:
        member = _member_in_area(_int(request.POST.get("member")), organisation)
        position = services.position_appoint(
            organisation=organisation, member=member, kind=kind, actor=user
        )
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back(organisation)
    messages.success(request, f"已任命 {member.resident.name} 为{position.title}")
    return _back(organisation)


@login_required
@require_POST
def position_end(request: HttpRequest, position_id: int) -> HttpResponse:
    user = _user(request)
    position = records.position_by_id(position_id)
    if position is None:
        raise Http404(access.MSG_NO_ORGANISATION)
    organisation, _scope = access.access_organisation(user, position.organisation_id)
    try:
        services.position_end(position=position, actor=user)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    messages.success(request, f"{position.member.resident.name} 已卸任{position.title}")
    return _back(organisation)


@login_required
@require_POST
def contact_set(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    organisation, _scope = access.access_organisation(user, organisation_id)
    try:
        member = _member_in_area(_int(request.POST.get("member")), organisation)
        services.organisation_set_contact(organisation=organisation, member=member, actor=user)
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _back(organisation)
    messages.success(request, f"已指定 {member.resident.name} 联系{organisation.name}")
    return _back(organisation)


# --- placards ----------------------------------------------------------------------------------


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


@login_required
def placard_building(request: HttpRequest, building_id: int) -> HttpResponse:
    user = _user(request)
    building, scope = access.access_party_building(user, building_id)
    state = selectors.load_network(scope.area)
    data = placards_pdf(
        user=user,
        state=state,
        buildings=[state.buildings[building.pk]],
        object_type="building",
        object_id=building.pk,
        show_years=request.GET.get("years") != "0",
        request=request,
    )
    return _pdf(data, f"亮身份-{building.compound.name}{building.label}.pdf")


@login_required
def placard_compound(request: HttpRequest, compound_id: int) -> HttpResponse:
    user = _user(request)
    compound, scope = access.access_party_compound(user, compound_id)
    state = selectors.load_network(scope.area)
    data = placards_pdf(
        user=user,
        state=state,
        buildings=[b for b in state.buildings.values() if b.compound_id == compound.pk],
        object_type="compound",
        object_id=compound.pk,
        show_years=request.GET.get("years") != "0",
        request=request,
    )
    return _pdf(data, f"亮身份-{compound.name}.pdf")
