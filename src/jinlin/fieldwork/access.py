"""Who may see and do what in fieldwork, built on core.access.personal_scope.

SPEC "Users": a worker sees records of its patch (and cases it owns or has an action in);
the area secretary sees its whole area; a subdistrict admin only an area it opened; other
roles see no fieldwork at all. Anything else is 404, in pages, API and command alike.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jinlin.core.access import Scope, personal_scope
from jinlin.core.models import Role, User
from jinlin.fieldwork.models import (
    Case,
    CaseAction,
    CollectionPoint,
    Concern,
    Consultation,
    Finding,
    FindingPhoto,
    Patrol,
    RecordProposal,
    Visit,
)

FIELDWORK_ROLES = frozenset({Role.AREA_SECRETARY, Role.WORKER, Role.SUBDISTRICT_ADMIN})
WRITER_ROLES = frozenset({Role.AREA_SECRETARY, Role.WORKER})


def fieldwork_scope(user: User) -> Scope:
    """The places whose fieldwork records the user may see."""
    if not user.is_authenticated:
        return Scope()
    if user.is_superuser:
        return personal_scope(user)
    if user.role not in FIELDWORK_ROLES:
        return Scope()
    return personal_scope(user)


def can_write(user: User) -> bool:
    """Recording fieldwork: the area's secretary and its workers (not the subdistrict)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in WRITER_ROLES


def can_decide_proposal(user: User, proposal: RecordProposal) -> bool:
    """Accepting a change to a record: who may edit that record, but not its own proposal.

    The area secretary always may; a worker whose patch holds the resident may decide a
    colleague's proposal (four eyes), never its own.
    """
    if user.is_superuser:
        return True
    if user.role == Role.AREA_SECRETARY and user.area_id == proposal.area_id:
        return True
    if user.role != Role.WORKER:
        return False
    if proposal.proposed_by_id == user.pk:
        return False
    return visible_residents_q(user).filter(pk=proposal.resident_id).exists()


def visible_residents_q(user: User):  # type: ignore[no-untyped-def]
    from jinlin.people.models import Resident

    return Resident.objects.filter(fieldwork_scope(user).q())


def can_see_dashboard(user: User, area_id: int) -> bool:
    """The area dashboard: the area's secretary and the subdistrict (aggregates only)."""
    if user.is_superuser:
        return True
    if user.role == Role.AREA_SECRETARY:
        return user.area_id == area_id
    return user.role == Role.SUBDISTRICT_ADMIN


# --- querysets ---------------------------------------------------------------------------


def visible_cases(user: User) -> QuerySet[Case]:
    scope = fieldwork_scope(user)
    condition = scope.q()
    if user.is_authenticated and user.role in FIELDWORK_ROLES:
        condition |= Q(owner_id=user.pk)
        condition |= Q(pk__in=CaseAction.objects.filter(owner_id=user.pk).values("case_id"))
    return Case.objects.filter(condition)


def visible_concerns(user: User) -> QuerySet[Concern]:
    return Concern.objects.filter(fieldwork_scope(user).q())


def visible_visits(user: User) -> QuerySet[Visit]:
    return Visit.objects.filter(fieldwork_scope(user).q())


def visible_patrols(user: User) -> QuerySet[Patrol]:
    return Patrol.objects.filter(fieldwork_scope(user).q())


def visible_findings(user: User) -> QuerySet[Finding]:
    return Finding.objects.filter(fieldwork_scope(user).q())


def visible_proposals(user: User) -> QuerySet[RecordProposal]:
    return RecordProposal.objects.filter(fieldwork_scope(user).q())


def visible_consultations(user: User) -> QuerySet[Consultation]:
    return Consultation.objects.filter(fieldwork_scope(user).q())


def visible_collection_points(user: User) -> QuerySet[CollectionPoint]:
    scope = fieldwork_scope(user)
    if scope.everything:
        return CollectionPoint.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(compound_id__in=scope.compound_ids)
    return CollectionPoint.objects.filter(condition)


# --- gatekeepers: one object or 404 --------------------------------------------------------


def access_case(user: User, case_id: int) -> Case:
    try:
        return (
            visible_cases(user)
            .select_related("owner", "compound", "building", "household")
            .get(pk=case_id)
        )
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该个案") from None


def access_concern(user: User, concern_id: int) -> Concern:
    try:
        return (
            visible_concerns(user)
            .select_related("resident", "household__building__compound", "compound", "recorded_by")
            .get(pk=concern_id)
        )
    except (Concern.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该诉求") from None


def access_visit(user: User, visit_id: int) -> Visit:
    try:
        return (
            visible_visits(user)
            .select_related("household__building__compound", "resident", "worker")
            .get(pk=visit_id)
        )
    except (Visit.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该走访记录") from None


def access_patrol(user: User, patrol_id: int) -> Patrol:
    try:
        return visible_patrols(user).select_related("compound", "worker").get(pk=patrol_id)
    except (Patrol.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该巡查") from None


def access_finding(user: User, finding_id: int) -> Finding:
    try:
        return (
            visible_findings(user)
            .select_related("patrol", "compound", "building", "collection_point")
            .get(pk=finding_id)
        )
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该巡查发现") from None


def access_photo(user: User, photo_id: int) -> FindingPhoto:
    try:
        return FindingPhoto.objects.get(pk=photo_id, finding__in=visible_findings(user))
    except (FindingPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该照片") from None


def access_proposal(user: User, proposal_id: int) -> RecordProposal:
    try:
        return (
            visible_proposals(user)
            .select_related("resident", "visit", "proposed_by")
            .get(pk=proposal_id)
        )
    except (RecordProposal.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该建议") from None


def access_consultation(user: User, consultation_id: int) -> Consultation:
    try:
        return (
            visible_consultations(user)
            .select_related("veteran", "recorded_by")
            .get(pk=consultation_id)
        )
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该咨询记录") from None


def access_collection_point(user: User, point_id: int) -> CollectionPoint:
    try:
        return visible_collection_points(user).get(pk=point_id)
    except (CollectionPoint.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该垃圾投放点") from None
