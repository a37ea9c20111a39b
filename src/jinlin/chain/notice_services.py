"""Changing notices: publishing, withdrawing, marking how a household was told.

Every refusal is a ValidationError with a Chinese message (nothing stored); who may act on which
notice is decided by the callers' gates (notice_selectors), and checked here again for writes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from jinlin.chain.models import Notice, Reach
from jinlin.chain.notice_selectors import led_branch, may_publish, may_withdraw
from jinlin.core.access import can_manage_area
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.party.models import PartyOrganisation
from jinlin.places.models import Area, Building, Compound, Household

TITLE_MAX = 60
BODY_MAX = 2000
MSG_TITLE_REQUIRED = "请填写标题"
MSG_TITLE_LONG = f"标题最多 {TITLE_MAX} 个字"
MSG_BODY_REQUIRED = "请填写内容"
MSG_BODY_LONG = f"内容最多 {BODY_MAX} 个字"
MSG_COMPOUND_OUTSIDE = "所选小区不属于本居民区"
MSG_BUILDING_OUTSIDE = "所选楼组不属于本居民区"
MSG_GROUP_OUTSIDE = "所选党小组不属于本居民区"
MSG_BRANCH_ONLY = "支部书记只能向本支部的小区、楼组或党小组发通知"
MSG_BRANCH_CHOOSE = "请选择本支部的小区、楼组或党小组（支部书记不能向全居民区发通知）"
MSG_MAY_NOT_PUBLISH = "无权在该居民区发通知"
MSG_MAY_NOT_WITHDRAW = "只有发布人或居民区书记可以撤回通知"
MSG_ALREADY_WITHDRAWN = "该通知已撤回"
MSG_WITHDRAWN_NO_MARK = "该通知已撤回，不能再登记传达"
MSG_BAD_HOW = "传达方式应为：" + "、".join(str(label) for label in Reach.How.labels)


def _ids(values: Iterable[int] | None) -> set[int]:
    return {int(v) for v in values or ()}


def notice_publish(
    *,
    area: Area,
    actor: User,
    title: str,
    body: str,
    compound_ids: Iterable[int] = (),
    building_ids: Iterable[int] = (),
    group_ids: Iterable[int] = (),
    is_public: bool = False,
    request: HttpRequest | None = None,
) -> Notice:
    """Post a notice to the whole area (nothing chosen) or to compounds, buildings, groups.

    The area secretary posts anywhere in its area; a branch secretary to its branch's
    compounds, their buildings and its groups only."""
    if not may_publish(actor, area):
        raise PermissionDenied(MSG_MAY_NOT_PUBLISH)
    title, body = (title or "").strip(), (body or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = MSG_TITLE_REQUIRED
    elif len(title) > TITLE_MAX:
        errors["title"] = MSG_TITLE_LONG
    if not body:
        errors["body"] = MSG_BODY_REQUIRED
    elif len(body) > BODY_MAX:
        errors["body"] = MSG_BODY_LONG

    wanted_compounds, wanted_buildings, wanted_groups = (
        _ids(compound_ids),
        _ids(building_ids),
        _ids(group_ids),
    )
    compounds = list(Compound.objects.filter(area=area, pk__in=wanted_compounds))
    buildings = list(Building.objects.filter(compound__area=area, pk__in=wanted_buildings))
    groups = list(
        PartyOrganisation.objects.active().filter(
            area=area, level=PartyOrganisation.Level.GROUP, pk__in=wanted_groups
        )
    )
    if len(compounds) != len(wanted_compounds):
        errors["compounds"] = MSG_COMPOUND_OUTSIDE
    if len(buildings) != len(wanted_buildings):
        errors["buildings"] = MSG_BUILDING_OUTSIDE
    if len(groups) != len(wanted_groups):
        errors["groups"] = MSG_GROUP_OUTSIDE

    if not can_manage_area(actor, area.pk):
        branch = led_branch(actor, area.pk)
        assert branch is not None  # may_publish let only the secretary or such a branch in
        own_compounds = set(branch.compounds.values_list("id", flat=True))
        if not (wanted_compounds or wanted_buildings or wanted_groups):
            errors.setdefault("compounds", MSG_BRANCH_CHOOSE)
        elif (
            any(c.pk not in own_compounds for c in compounds)
            or any(b.compound_id not in own_compounds for b in buildings)
            or any(g.parent_id != branch.pk for g in groups)
        ):
            errors["__all__"] = MSG_BRANCH_ONLY
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        notice = Notice.objects.create(
            area=area, title=title, body=body, is_public=bool(is_public), created_by=actor
        )
        notice.compounds.set(compounds)
        notice.buildings.set(buildings)
        notice.groups.set(groups)
        audit(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            object_type="notice",
            object_id=notice.pk,
            reason=f"发布通知：{title}",
            request=request,
            area_id=area.pk,
        )
    return notice


def notice_withdraw(*, notice: Notice, actor: User, request: HttpRequest | None = None) -> Notice:
    """撤回: by its sender or the area secretary; the marks stay."""
    if notice.withdrawn_at is not None:
        raise ValidationError(MSG_ALREADY_WITHDRAWN)
    if not may_withdraw(actor, notice):
        raise PermissionDenied(MSG_MAY_NOT_WITHDRAW)
    with transaction.atomic():
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["withdrawn_at"])
        audit(
            actor=actor,
            action=AuditEvent.Action.CHANGE,
            object_type="notice",
            object_id=notice.pk,
            reason=f"撤回通知：{notice.title}",
            request=request,
            area_id=notice.area_id,
        )
    return notice


def reach_mark(*, notice: Notice, household: Household, how: str, actor: User) -> Reach:
    """How a household was told (marking again changes the way). The caller has checked that
    the household is the actor's to mark (notice_selectors.*_notice_household)."""
    if how not in Reach.How.values:
        raise ValidationError({"how": MSG_BAD_HOW})
    if notice.withdrawn_at is not None:
        raise ValidationError(MSG_WITHDRAWN_NO_MARK)
    reach, _ = Reach.objects.update_or_create(
        notice=notice,
        household=household,
        defaults={"how": how, "marked_by": actor, "marked_at": timezone.now()},
    )
    return reach
