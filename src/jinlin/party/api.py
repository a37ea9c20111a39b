"""API of the Party network: the same selectors, services and access rules as the pages.

Outside what the user may see everything is 404 (an editor sees no Party data at all); only the
area secretary may read and apply a proposal; a proposal is applied only with the fingerprint
it was read with (409 when the data changed in between).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import reverse
from ninja import Router
from ninja.responses import Status

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.party import access, selectors, services
from jinlin.party.models import Meeting
from jinlin.party.placards import placards_pdf
from jinlin.party.schemas import (
    ApplyIn,
    AssignIn,
    AssignOut,
    CoverageOut,
    GroupOut,
    InvitationOut,
    MeetingIn,
    MeetingOut,
    MemberOut,
    ReorganisationOut,
    ReorganisationProposalOut,
    TreeOut,
)
from jinlin.party.selectors import records
from jinlin.party.services.accounts import member_invite

router = Router(tags=["party"])


# --- shaping ----------------------------------------------------------------------------------


def _person(person: selectors.Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {"member_id": person.member_id, "name": person.name, "titles": list(person.titles)}


def _tree_group(group: selectors.TreeGroup) -> dict[str, Any]:
    return {
        "id": group.organisation.pk,
        "name": group.organisation.name,
        "buildings": group.buildings,
        "leader": _person(group.leader),
        "contact": _person(group.contact),
        "counted_members": group.counted,
        "households": group.households,
        "covered": group.covered,
        "uncovered": group.uncovered,
        "gaps": group.gaps,
        "members": [
            {
                "id": m.member.pk,
                "name": m.name,
                "building": m.building,
                "room": m.room,
                "titles": m.titles,
                "party_years": m.years,
                "is_probationary": m.years is None,
                "can_contact": m.member.can_contact,
                "households": m.households,
                "household_count": m.household_count,
            }
            for m in group.members
        ],
    }


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/areas/{area_id}/tree",
    response=answers(200, TreeOut, 404, 422),
    summary="三级联络管理网（按权限裁剪）",
)
def network_tree(request: AuthedRequest, area_id: ObjectId) -> dict[str, Any]:
    scope = access.access_party_area(request.user, area_id)
    tree = selectors.network_tree(selectors.load_network(scope.area), scope)
    return {
        "area_id": scope.area.pk,
        "area": scope.area.name,
        "organisation": tree.organisation.name if tree.organisation else None,
        "committee": [_person(p) for p in tree.committee],
        "branches": [
            {
                "id": b.organisation.pk,
                "name": b.organisation.name,
                "is_joint": b.organisation.is_joint,
                "compounds": b.compounds,
                "committee": [_person(p) for p in b.committee],
                "contact": _person(b.contact),
                "gaps": b.gaps,
                "groups": [_tree_group(g) for g in b.groups],
            }
            for b in tree.branches
        ],
        "unorganised_buildings": [
            f"{compound.name} {labels}" for compound, labels in tree.unorganised
        ],
        "totals": tree.totals,
    }


@router.get(
    "/areas/{area_id}/coverage",
    response=answers(200, CoverageOut, 404, 422),
    summary="覆盖情况：每一处缺口",
)
def network_coverage(request: AuthedRequest, area_id: ObjectId) -> dict[str, Any]:
    scope = access.access_party_area(request.user, area_id)
    report = selectors.coverage(selectors.load_network(scope.area), scope)
    return {
        "households": report.households,
        "covered": report.covered,
        "counts": report.counts(),
        "gaps": [
            {
                "kind": g.kind,
                "kind_label": g.kind_label,
                "object_type": g.object_type,
                "object_id": g.object_id,
                "label": g.label,
                "reason": g.reason,
                "group_id": g.group_id,
            }
            for g in report.gaps
        ],
    }


def _reorganiser_scope(request: AuthedRequest, area_id: int) -> access.PartyScope:
    scope = access.access_party_area(request.user, area_id)
    if not scope.may_reorganise:
        raise Http404(access.MSG_NO_AREA)
    return scope


@router.get(
    "/areas/{area_id}/proposal",
    response=answers(200, ReorganisationProposalOut, 404, 422),
    summary="按规则提出的调整方案（与现状对比）",
)
def network_proposal(request: AuthedRequest, area_id: ObjectId) -> dict[str, Any]:
    scope = _reorganiser_scope(request, area_id)
    found = selectors.area_proposal(scope.area)
    diff = found.diff
    branches = []
    for change in diff.branches:
        if change.planned is None:
            continue
        planned = found.plan.branches[change.planned]
        groups = [
            {
                "change": g.change,
                "id": g.current.id if g.current else None,
                "name": found.planned_group_name(g.planned),
                "buildings": [found.keys_text([k]) for k in g.buildings_after],
                "added": [found.keys_text([k]) for k in g.added],
                "removed": [found.keys_text([k]) for k in g.removed],
                "counted_members": g.members,
            }
            for g in diff.groups
            if g.planned is not None and g.planned[0] == change.planned
        ]
        branches.append(
            {
                "change": change.change,
                "id": change.current.id if change.current else None,
                "name": found.planned_branch_name(change.planned),
                "is_joint": planned.is_joint,
                "compounds": list(change.compounds_after),
                "counted_members": planned.members,
                "groups": groups,
            }
        )
    return {
        "fingerprint": found.fingerprint,
        "is_empty": found.is_empty,
        "summary": found.summary(),
        "threshold": found.threshold,
        "count_probationary": found.count_probationary,
        "counts": diff.counts(),
        "branches": branches,
        "dissolved_branches": [
            {"id": b.current.id, "name": b.current.name, "was": list(b.compounds_before)}  # type: ignore[union-attr]  # a change that ends or keeps has a current one
            for b in diff.branches
            if b.change == "dissolve"
        ],
        "dissolved_groups": [
            {
                "id": g.current.id,  # type: ignore[union-attr]  # a change that ends or keeps has a current one
                "name": g.current.name,  # type: ignore[union-attr]  # a change that ends or keeps has a current one
                "was": [found.keys_text([k]) for k in g.buildings_before],
            }
            for g in diff.groups
            if g.change == "dissolve"
        ],
        "moves": [
            {
                "building": f"{m.building[0]} {found.label(m.building)}",
                "before_group_id": m.before,
                "before": found.state.groups[m.before].name if m.before else "",
                "after": found.planned_group_name(m.after) if m.after else None,
            }
            for m in diff.moves
        ],
        "unplaced": [
            {
                "buildings": [f"{k[0]} {found.label(k)}" for k in u.buildings],
                "counted_members": u.members,
                "reason": u.reason,
            }
            for u in found.plan.unplaced
        ],
        "member_changes": len(found.member_changes),
        "contacts_ending": len(found.contacts_ending),
    }


@router.post(
    "/areas/{area_id}/proposal/apply",
    response=answers(201, ReorganisationOut, 400, 404, 409, 422),
    summary="确认并执行调整方案（须提交读取方案时的 fingerprint）",
)
def network_apply(request: AuthedRequest, area_id: ObjectId, payload: ApplyIn) -> Any:
    scope = _reorganiser_scope(request, area_id)
    try:
        reorganisation = services.network_apply_proposal(
            area=scope.area, actor=request.user, fingerprint=payload.fingerprint, request=request
        )
    except services.ProposalRefused as refused:
        return Status(409, {"detail": refused.message})
    return Status(
        201,
        {
            "id": reorganisation.pk,
            "applied_at": reorganisation.applied_at,
            "applied_by": reorganisation.applied_by_name,
            "summary": reorganisation.summary,
        },
    )


@router.get(
    "/areas/{area_id}/members",
    response=answers(200, list[MemberOut], 404, 422),
    summary="党员名册（含党龄）",
)
def network_members(request: AuthedRequest, area_id: ObjectId) -> list[dict[str, Any]]:
    scope = access.access_party_area(request.user, area_id)
    rows = selectors.member_rows(selectors.load_network(scope.area), scope)
    return [
        {
            "id": r.member.pk,
            "name": r.name,
            "address": r.address,
            "group_id": r.group.pk if r.group else None,
            "group": r.group.name if r.group else None,
            "titles": r.titles,
            "joined_on": r.member.joined_on,
            "full_member_on": r.member.full_member_on,
            "party_years": r.years,
            "status": r.status,
            "kind": r.kind,
            "can_contact": r.member.can_contact,
            "households": r.households,
        }
        for r in rows
    ]


@router.post(
    "/members/{member_id}/invitation",
    response=answers(201, InvitationOut, 404, 422),
    summary="邀请党员上线：账号与一次性邀请链接（只返回这一次）",
)
def member_invitation(request: AuthedRequest, member_id: ObjectId) -> Any:
    try:
        issued = member_invite(member_id=member_id, actor=request.user, request=request)
    except PermissionDenied:
        raise Http404("没有找到该党员") from None
    return Status(
        201,
        {
            "account_id": issued.account.pk,
            "username": issued.account.username,
            "display_name": issued.account.display_name,
            "token": issued.token,
            "url": request.build_absolute_uri(reverse("invite_accept", args=[issued.token])),
            "expires_at": issued.invitation.expires_at,
        },
    )


@router.get(
    "/groups/{group_id}",
    response=answers(200, GroupOut, 404, 422),
    summary="党小组：党员、住户与联系党员",
)
def group_detail(request: AuthedRequest, group_id: ObjectId) -> dict[str, Any]:
    group, scope = access.access_group(request.user, group_id)
    page = selectors.group_page(selectors.load_network(group.area), scope, group)
    return {
        "group": _tree_group(page.tree),
        "households": [
            {
                "id": row.household.pk,
                "building": building.label,
                "room": row.household.room,
                "contact": row.contact,
                "gap": row.gap,
            }
            for building, rows in page.households
            for row in rows
        ],
        "moved_out_members": page.gone,
    }


@router.post(
    "/groups/{group_id}/assign",
    response=answers(200, AssignOut, 400, 404, 422),
    summary="按规则分配联系户",
)
def group_assign(request: AuthedRequest, group_id: ObjectId, payload: AssignIn) -> Any:
    user = request.user
    group, _scope = access.access_group(user, group_id)
    try:
        result = services.group_assign_contacts(
            group=group, actor=user, dry_run=payload.dry_run, request=request
        )
    except PermissionDenied:
        raise Http404(access.MSG_NO_ORGANISATION) from None
    return result.__dict__


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "topics": meeting.topics,
        "notes": meeting.notes,
        "attendance": {a.member_id: a.status for a in meeting.attendance.all()},
    }


@router.get(
    "/groups/{group_id}/meetings",
    response=answers(200, list[MeetingOut], 404, 422),
    summary="楼组党员会议",
)
def meeting_list(request: AuthedRequest, group_id: ObjectId) -> list[dict[str, Any]]:
    group, _scope = access.access_group(request.user, group_id)
    return [_meeting(m) for m in records.group_meetings(group, 100)]


@router.post(
    "/groups/{group_id}/meetings",
    response=answers(201, MeetingOut, 400, 404, 422),
    summary="记录楼组党员会议",
)
def meeting_create(request: AuthedRequest, group_id: ObjectId, payload: MeetingIn) -> Any:
    user = request.user
    group, _scope = access.access_group(user, group_id)
    if not group.is_active or not access.can_record_meeting(user, group):
        raise Http404(access.MSG_NO_ORGANISATION)
    meeting = services.meeting_record(
        group=group,
        actor=user,
        held_on=payload.held_on,
        topics=payload.topics,
        attendance=payload.attendance,
        place=payload.place,
        notes=payload.notes,
    )
    return Status(201, _meeting(meeting))


def _pdf(data: bytes) -> HttpResponse:
    return HttpResponse(data, content_type="application/pdf")


# A placard answers a PDF, which ninja cannot describe from a schema.
_PDF_ANSWER = {
    "responses": {
        200: {
            "description": "A4 PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "/buildings/{building_id}/placard.pdf",
    response=answers(200, None, 404, 422),
    openapi_extra=_PDF_ANSWER,
    summary="亮身份公示牌（一个楼组，A4 PDF）",
)
def placard_building(
    request: AuthedRequest, building_id: ObjectId, years: bool = True
) -> HttpResponse:
    user = request.user
    building, scope = access.access_party_building(user, building_id)
    state = selectors.load_network(scope.area)
    return _pdf(
        placards_pdf(
            user=user,
            state=state,
            buildings=[state.buildings[building.pk]],
            object_type="building",
            object_id=building.pk,
            show_years=years,
            request=request,
        )
    )


@router.get(
    "/compounds/{compound_id}/placards.pdf",
    response=answers(200, None, 404, 422),
    openapi_extra=_PDF_ANSWER,
    summary="亮身份公示牌（整个小区，A4 PDF）",
)
def placard_compound(
    request: AuthedRequest, compound_id: ObjectId, years: bool = True
) -> HttpResponse:
    user = request.user
    compound, scope = access.access_party_compound(user, compound_id)
    state = selectors.load_network(scope.area)
    return _pdf(
        placards_pdf(
            user=user,
            state=state,
            buildings=[b for b in state.buildings.values() if b.compound_id == compound.pk],
            object_type="compound",
            object_id=compound.pk,
            show_years=years,
            request=request,
        )
    )
