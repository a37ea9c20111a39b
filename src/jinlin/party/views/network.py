"""An area's Party network: the nav entry, the tree, the proposal and its diff, coverage, members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from jinlin.core.web import AuthedRequest
from jinlin.party import access, formation, selectors, services
from jinlin.party.models import PartyOrganisation

Level = PartyOrganisation.Level


@login_required
def party_home(request: AuthedRequest) -> HttpResponse:
    """The nav link: a group leader's group, everyone else the network of their area."""
    user = request.user
    led = access.led_organisation(user)
    if led is not None and led.level == Level.GROUP:
        return redirect("party_group", group_id=led.pk)
    area = access.home_area(user)
    if area is None:
        raise Http404(access.MSG_NO_AREA)
    access.access_party_area(user, area.pk)
    return redirect("party_network", area_id=area.pk)


@login_required
def network(request: AuthedRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(request.user, area_id)
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
def proposal(request: AuthedRequest, area_id: int) -> HttpResponse:
    """GET: the proposal as a diff; POST: apply it, when it is still the one that was shown."""
    user = request.user
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
            "name": g.current.name,  # type: ignore[union-attr]  # a change that ends or keeps has a current one
            "before": found.keys_text(g.buildings_before),
        }
        for g in diff.groups
        if g.change == "dissolve"
    ]
    dissolved_branches = [
        {"name": b.current.name, "before": "、".join(b.compounds_before)}  # type: ignore[union-attr]  # a change that ends or keeps has a current one
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
def coverage(request: AuthedRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(request.user, area_id)
    state = selectors.load_network(scope.area)
    report = selectors.coverage(state, scope)
    return render(
        request,
        "party/coverage.html",
        {"area": scope.area, "scope": scope, "report": report, "active": "coverage"},
    )


@login_required
def members(request: AuthedRequest, area_id: int) -> HttpResponse:
    scope = access.access_party_area(request.user, area_id)
    state = selectors.load_network(scope.area)
    return render(
        request,
        "party/members.html",
        {
            "area": scope.area,
            "scope": scope,
            "rows": selectors.member_rows(state, scope),
            "may_invite": access.can_invite_members(scope),
            "active": "members",
        },
    )
