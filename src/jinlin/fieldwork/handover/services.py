"""转交 (issue 12): open cases, concerns and a worker's patch handed to another worker.

By the area secretary (or a subdistrict admin that opened the area), with a reason, to an
active worker of the same area; in one transaction, so a refusal changes nothing. Each case's
timeline says it, each concern's 转交记录 keeps it, the audit log has every item.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from jinlin.core.access import forget_scope
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Role, User
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.models import Case, CaseAction, CaseEvent
from jinlin.fieldwork.cases.selectors import visible_cases
from jinlin.fieldwork.common.services import refuse
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.concerns.selectors import open_concerns, visible_concerns
from jinlin.fieldwork.handover import selectors
from jinlin.fieldwork.handover.models import ReassignedItem, Reassignment

MSG_NOT_ALLOWED = "只有居民区书记（或已打开该居民区的街道管理员）可以转交工作"
MSG_REASON_NEEDED = "请写明转交的原因"
REASON_MAX = 200
MSG_REASON_TOO_LONG = f"转交原因请控制在{REASON_MAX}字以内"
MSG_TARGET_INVALID = "接手人须是本居民区在岗的社工"
MSG_TARGET_SAME = "接手人不能是原负责人本人"
MSG_FROM_INVALID = "请选择本居民区要交出工作的社工"
MSG_NOTHING_TO_MOVE = "{name}没有未结的个案、诉求、措施或包片，无需转交"
MSG_NO_ITEMS = "请至少选择一个个案或诉求"
MSG_CASE_UNKNOWN = "没有找到个案 #{id}"
MSG_CONCERN_UNKNOWN = "没有找到诉求 #{id}"
MSG_CASE_NOT_OPEN = "个案 #{id} 已结案或已合并，不再转交"
MSG_CONCERN_NOT_OPEN = "诉求 #{id} 已办结，不再转交"
MSG_ALREADY_OWNER = "{name}已是 #{id} 的负责人"
MSG_ONE_AREA = "一次转交的个案和诉求须属于同一居民区"


def _reason(text: str) -> str:
    reason = (text or "").strip()
    if not reason:
        raise refuse("reason", MSG_REASON_NEEDED)
    if len(reason) > REASON_MAX:
        raise refuse("reason", MSG_REASON_TOO_LONG)
    return reason


def _target(to_user_id: int | None, area_id: int) -> User:
    target = (
        User.objects.filter(
            pk=to_user_id, area_id=area_id, role=Role.WORKER, is_active=True
        ).first()
        if to_user_id is not None
        else None
    )
    if target is None:
        raise refuse("to_user_id", MSG_TARGET_INVALID)
    return target


def _require(actor: User, area_id: int) -> None:
    if not access.can_hand_over(actor, area_id):
        raise PermissionDenied(MSG_NOT_ALLOWED)


def _move_case(
    case: Case, *, to_user: User, reassignment: Reassignment, actor: User, reason: str
) -> int:
    """The case and its open actions of the old owner go to `to_user`; returns actions moved."""
    before = case.owner
    moved = CaseAction.objects.filter(case=case, owner=before, done_at__isnull=True).update(
        owner=to_user
    )
    case.owner = to_user
    case.save(update_fields=["owner"])
    actions = f"（{moved} 项未完成措施随之转交）" if moved else ""
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.REASSIGNED,
        actor=actor,
        text=f"负责人 {before} → {to_user}{actions}；原因：{reason}",
    )
    ReassignedItem.objects.create(reassignment=reassignment, case=case, from_user=before)
    audit(
        actor=actor,
        action=AuditEvent.Action.REASSIGN,
        object_type="case",
        object_id=case.pk,
        fields=["owner"],
        reason=f"{before.username} → {to_user.username}：{reason}",
        area_id=case.area_id,
    )
    return moved


def _move_concern(
    concern: Concern, *, to_user: User, reassignment: Reassignment, actor: User, reason: str
) -> None:
    before = concern.owner
    concern.owner = to_user
    concern.save(update_fields=["owner"])
    ReassignedItem.objects.create(reassignment=reassignment, concern=concern, from_user=before)
    audit(
        actor=actor,
        action=AuditEvent.Action.REASSIGN,
        object_type="concern",
        object_id=concern.pk,
        fields=["owner"],
        reason=f"{before.username if before else '（包片社工）'} → {to_user.username}：{reason}",
        area_id=concern.area_id,
    )


def _by_ids(queryset: QuerySet, ids: Iterable[int], message: str, field: str) -> list:
    wanted = list(dict.fromkeys(ids))
    rows = {row.pk: row for row in queryset.filter(pk__in=wanted)}
    for pk in wanted:
        if pk not in rows:
            raise refuse(field, message.format(id=pk))
    return [rows[pk] for pk in wanted]


@transaction.atomic
def handover_items(
    *,
    actor: User,
    to_user_id: int | None,
    reason: str,
    case_ids: Iterable[int] = (),
    concern_ids: Iterable[int] = (),
) -> Reassignment:
    """Hand these open cases and concerns to one worker. All or nothing: one that is unknown,
    closed, of another area or already the target's refuses the whole, naming it."""
    if not access.may_hand_over_at_all(actor):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    cases = _by_ids(
        visible_cases(actor).select_for_update().select_related("owner"),
        case_ids,
        MSG_CASE_UNKNOWN,
        "case_ids",
    )
    concerns = _by_ids(
        # Only the concerns' rows: an owner may be None (an outer join PostgreSQL cannot lock).
        visible_concerns(actor).select_for_update(of=("self",)).select_related("owner"),
        concern_ids,
        MSG_CONCERN_UNKNOWN,
        "concern_ids",
    )
    if not cases and not concerns:
        raise refuse("case_ids", MSG_NO_ITEMS)
    area_ids = {item.area_id for item in [*cases, *concerns]}
    if len(area_ids) != 1:
        raise refuse("case_ids", MSG_ONE_AREA)
    (area_id,) = area_ids
    _require(actor, area_id)
    reason = _reason(reason)
    to_user = _target(to_user_id, area_id)
    for case in cases:
        if case.closed_at is not None:
            raise refuse("case_ids", MSG_CASE_NOT_OPEN.format(id=case.pk))
        if case.owner_id == to_user.pk:
            raise refuse("to_user_id", MSG_ALREADY_OWNER.format(name=to_user, id=case.pk))
    still_open = set(
        open_concerns(Concern.objects.filter(pk__in=[c.pk for c in concerns])).values_list(
            "pk", flat=True
        )
    )
    for concern in concerns:
        if concern.pk not in still_open:
            raise refuse("concern_ids", MSG_CONCERN_NOT_OPEN.format(id=concern.pk))
        if concern.owner_id == to_user.pk:
            raise refuse("to_user_id", MSG_ALREADY_OWNER.format(name=to_user, id=concern.pk))
    reassignment = Reassignment.objects.create(
        area_id=area_id, actor=actor, to_user=to_user, reason=reason
    )
    moved = 0
    for case in cases:
        moved += _move_case(
            case, to_user=to_user, reassignment=reassignment, actor=actor, reason=reason
        )
    for concern in concerns:
        _move_concern(
            concern, to_user=to_user, reassignment=reassignment, actor=actor, reason=reason
        )
    if moved:
        reassignment.actions_moved = moved
        reassignment.save(update_fields=["actions_moved"])
    return reassignment


def case_reassign(*, case: Case, actor: User, to_user_id: int | None, reason: str) -> Reassignment:
    """转交 one open case (and its owner's open actions in it) to another worker."""
    return handover_items(actor=actor, to_user_id=to_user_id, reason=reason, case_ids=[case.pk])


def concern_reassign(
    *, concern: Concern, actor: User, to_user_id: int | None, reason: str
) -> Reassignment:
    """转交 one open concern to another worker, who follows it up from now on."""
    return handover_items(
        actor=actor, to_user_id=to_user_id, reason=reason, concern_ids=[concern.pk]
    )


def _as_request(actor: User) -> SimpleNamespace:
    # core.signals audits patch changes with the actor of the request kept on the account;
    # a service has no request, so it lends one that names the actor (and no address).
    return SimpleNamespace(user=actor, META={})


@transaction.atomic
def handover_worker(
    *,
    actor: User,
    from_user_id: int | None,
    to_user_id: int | None,
    reason: str,
    include_patch: bool = True,
) -> Reassignment:
    """A worker leaves: all its open cases (with their open actions), its open actions in
    others' cases, its open concerns and (with `include_patch`) its patch go to one worker.
    Closed items keep their owner. All or nothing, in one transaction."""
    if not access.may_hand_over_at_all(actor):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    scope_area_ids = (
        [actor.area_id] if actor.role == Role.AREA_SECRETARY and not actor.is_superuser else None
    )
    leaving = (
        User.objects.select_for_update().filter(pk=from_user_id, role=Role.WORKER).first()
        if from_user_id is not None
        else None
    )
    if (
        leaving is None
        or leaving.area_id is None
        or (scope_area_ids is not None and leaving.area_id not in scope_area_ids)
    ):
        raise refuse("from_user_id", MSG_FROM_INVALID)
    area_id = leaving.area_id
    _require(actor, area_id)
    reason = _reason(reason)
    to_user = _target(to_user_id, area_id)
    if to_user.pk == leaving.pk:
        raise refuse("to_user_id", MSG_TARGET_SAME)
    held = selectors.holding(leaving)
    if not include_patch:
        held.compounds, held.buildings = [], []
    if held.is_empty:
        raise refuse("from_user_id", MSG_NOTHING_TO_MOVE.format(name=leaving))
    reassignment = Reassignment.objects.create(
        area_id=area_id,
        actor=actor,
        from_user=leaving,
        to_user=to_user,
        reason=reason,
        patch_places=held.patch_places,
    )
    moved = 0
    cases = list(selectors.open_cases_of(leaving).select_for_update().select_related("owner"))
    for case in cases:
        moved += _move_case(
            case, to_user=to_user, reassignment=reassignment, actor=actor, reason=reason
        )
    # Its open actions in colleagues' cases: the case stays, the action changes hands.
    others = list(selectors.open_actions_of(leaving).select_related("case").order_by("case_id"))
    for case_id in dict.fromkeys(action.case_id for action in others):
        in_case = [action for action in others if action.case_id == case_id]
        CaseAction.objects.filter(pk__in=[a.pk for a in in_case]).update(owner=to_user)
        CaseEvent.objects.create(
            case=in_case[0].case,
            kind=CaseEvent.Kind.REASSIGNED,
            actor=actor,
            text=f"{len(in_case)} 项措施的责任人 {leaving} → {to_user}；原因：{reason}",
        )
        moved += len(in_case)
    for concern in (
        selectors.open_concerns_of(leaving).select_for_update(of=("self",)).select_related("owner")
    ):
        _move_concern(
            concern, to_user=to_user, reassignment=reassignment, actor=actor, reason=reason
        )
    if held.compounds or held.buildings:
        leaving._audit_request = to_user._audit_request = _as_request(actor)  # type: ignore[attr-defined]  # read by core.signals
        to_user.patch_compounds.add(*held.compounds)
        to_user.patch_buildings.add(*held.buildings)
        leaving.patch_compounds.remove(*held.compounds)
        leaving.patch_buildings.remove(*held.buildings)
        forget_scope(leaving)
        forget_scope(to_user)
    reassignment.actions_moved = moved
    reassignment.save(update_fields=["actions_moved"])
    audit(
        actor=actor,
        action=AuditEvent.Action.REASSIGN,
        object_type="user",
        object_id=leaving.pk,
        fields=[
            f"cases:{len(cases)}",
            f"concerns:{held.concerns}",
            f"actions:{moved}",
            *(["patch_compounds"] if held.compounds else []),
            *(["patch_buildings"] if held.buildings else []),
        ],
        reason=f"{leaving.username} → {to_user.username}：{reason}",
        area_id=area_id,
    )
    return reassignment
