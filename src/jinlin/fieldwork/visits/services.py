"""Writes of visits: intervals, visits, proposed record updates; each one transactional.

Views, API and commands call these; none of them writes visit models directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from jinlin.core.audit import update_audited
from jinlin.core.idnumber import normalise_phone
from jinlin.core.models import AuditEvent, Role, User
from jinlin.fieldwork.common.services import (
    MSG_CATEGORY_UNKNOWN,
    MSG_RESIDENT_GONE,
    not_future,
    refuse,
    require_writer,
    visible_household,
    visible_resident,
)
from jinlin.fieldwork.visits.models import (
    Condition,
    ProposalField,
    ProposalStatus,
    RecordProposal,
    Visit,
    VisitInterval,
    VisitMode,
)
from jinlin.fieldwork.visits.selectors import can_decide_proposal, default_intervals
from jinlin.people.catalogue import scope_q
from jinlin.people.models import GroupDefinition, Health, LifeStatus, ResidenceStatus, Resident

MSG_NOT_SECRETARY = "只有本居民区书记/主任可以修改走访周期"
MSG_VISIT_IN_FUTURE = "走访日期不能晚于今天"
MSG_RESIDENT_NOT_IN_HOUSEHOLD = "该居民不属于这一户"
MSG_INTERVAL_RANGE = "走访周期应在 1 到 365 天之间"
MSG_GROUP_NOT_VISITED = "该群体没有走访周期"
MSG_PROPOSAL_FIELD = "该字段不能通过走访建议修改"
MSG_PROPOSAL_VALUE = "建议值不符合该字段的要求"
MSG_PROPOSAL_DECIDED = "该建议已审核过"
MSG_PROPOSAL_NOT_DECIDER = "您不能审核这条建议（须由可修改该档案的其他人审核）"
MSG_REJECT_REASON = "请说明不采纳的理由"


@transaction.atomic
def visit_interval_set(*, area_id: int, actor: User, group: str, days: int) -> VisitInterval:
    """SPEC "问": defaults 独居老人 7, 失独/大病重病 14, 困难家庭 30 days; configurable per area."""
    if not (actor.is_superuser or (actor.role == Role.AREA_SECRETARY and actor.area_id == area_id)):
        raise PermissionDenied(MSG_NOT_SECRETARY)
    if group not in default_intervals() and not (
        GroupDefinition.objects.filter(scope_q(area_id), code=group)
        .filter(visit_days__isnull=False, retired_at__isnull=True)
        .exists()
    ):
        raise refuse("group", MSG_GROUP_NOT_VISITED)
    if not 1 <= int(days) <= 365:
        raise refuse("days", MSG_INTERVAL_RANGE)
    interval, _ = VisitInterval.objects.update_or_create(
        area_id=area_id,
        group=group,
        defaults={"days": int(days), "set_by": actor, "set_at": timezone.now()},
    )
    return interval


@dataclass(frozen=True)
class VisitInput:
    household_id: int
    visited_on: date
    mode: str = VisitMode.IN_PERSON
    condition: str = Condition.GOOD
    resident_id: int | None = None
    family_situation: str = ""
    health: str = ""
    living_habits: str = ""
    needs: str = ""


@transaction.atomic
def visit_record(*, actor: User, data: VisitInput) -> Visit:
    """Log a visit; it satisfies every due visit of the household (SPEC "问")."""
    require_writer(actor)
    household = visible_household(actor, data.household_id)
    not_future(data.visited_on, "visited_on", MSG_VISIT_IN_FUTURE)
    if data.mode not in VisitMode.values:
        raise refuse("mode", MSG_CATEGORY_UNKNOWN)
    if data.condition not in Condition.values:
        raise refuse("condition", MSG_CATEGORY_UNKNOWN)
    resident = None
    if data.resident_id is not None:
        resident = Resident.objects.filter(pk=data.resident_id).first()
        if resident is None or resident.household_id != household.pk:
            raise refuse("resident_id", MSG_RESIDENT_NOT_IN_HOUSEHOLD)
    return Visit.objects.create(
        household=household,
        area_id=household.area_id,
        compound_id=household.compound_id,
        building_id=household.building_id,
        resident=resident,
        visited_on=data.visited_on,
        worker=actor,
        mode=data.mode,
        condition=data.condition,
        family_situation=data.family_situation.strip(),
        health=data.health.strip(),
        living_habits=data.living_habits.strip(),
        needs=data.needs.strip(),
    )


def _proposal_value(field: str, value: Any) -> Any:
    """The value in the form the resident's record stores, or ValidationError."""
    if field == ProposalField.IS_RETIRED:
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in {"true", "1", "是", "yes"}:
            return True
        if str(value).strip().lower() in {"false", "0", "否", "no"}:
            return False
        raise refuse("value", MSG_PROPOSAL_VALUE)
    if field == ProposalField.HOBBIES:
        items = (
            value
            if isinstance(value, list)
            else str(value).replace("，", ",").replace("、", ",").split(",")
        )
        tags = [str(item).strip() for item in items if str(item).strip()]
        if len(tags) > 30 or any(len(tag) > 20 for tag in tags):
            raise refuse("value", MSG_PROPOSAL_VALUE)
        return tags
    text = str(value if value is not None else "").strip()
    if field == ProposalField.PHONE:
        try:
            return normalise_phone(text)
        except ValueError:
            raise refuse("value", MSG_PROPOSAL_VALUE) from None
    if field == ProposalField.HEALTH and text not in Health.values:
        raise refuse("value", MSG_PROPOSAL_VALUE)
    if field == ProposalField.RESIDENCE_STATUS and text not in ResidenceStatus.values:
        raise refuse("value", MSG_PROPOSAL_VALUE)
    limits: dict[str, int] = {ProposalField.EMPLOYER: 100, ProposalField.OCCUPATION: 50}
    if len(text) > limits.get(field, 2000):
        raise refuse("value", MSG_PROPOSAL_VALUE)
    return text


@transaction.atomic
def proposal_create(
    *, visit: Visit, actor: User, resident_id: int, field: str, value: Any, reason: str = ""
) -> RecordProposal:
    require_writer(actor)
    if field not in ProposalField.values:
        raise refuse("field", MSG_PROPOSAL_FIELD)
    resident = visible_resident(actor, resident_id)
    if resident.household_id != visit.household_id:
        raise refuse("resident_id", MSG_RESIDENT_NOT_IN_HOUSEHOLD)
    if resident.status != LifeStatus.CURRENT:
        raise refuse("resident_id", MSG_RESIDENT_GONE)
    return RecordProposal.objects.create(
        visit=visit,
        resident=resident,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        building_id=resident.building_id,
        field=field,
        value=_proposal_value(field, value),
        reason=(reason or "").strip()[:200],
        proposed_by=actor,
    )


def _decidable(proposal: RecordProposal, actor: User) -> None:
    if proposal.status != ProposalStatus.PENDING:
        raise refuse("status", MSG_PROPOSAL_DECIDED)
    if not can_decide_proposal(actor, proposal):
        raise PermissionDenied(MSG_PROPOSAL_NOT_DECIDER)


@transaction.atomic
def proposal_accept(*, proposal: RecordProposal, actor: User, note: str = "") -> RecordProposal:
    """Apply the change through people.services.resident_update, so the record's history has it."""
    from jinlin.people.services import resident_update

    proposal = RecordProposal.objects.select_for_update().get(pk=proposal.pk)
    _decidable(proposal, actor)
    resident = Resident.objects.get(pk=proposal.resident_id)
    if resident.status != LifeStatus.CURRENT:
        raise refuse("resident_id", MSG_RESIDENT_GONE)
    resident_update(resident=resident, actor=actor, **{proposal.field: proposal.value})
    update_audited(
        proposal,
        {
            "status": ProposalStatus.ACCEPTED,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_note": (note or "").strip()[:200],
        },
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="resident",
        object_id=resident.pk,
        fields=[proposal.field],
        reason=f"采纳走访建议 #{proposal.pk}",
        area_id=resident.area_id,
    )
    return proposal


@transaction.atomic
def proposal_reject(*, proposal: RecordProposal, actor: User, note: str) -> RecordProposal:
    proposal = RecordProposal.objects.select_for_update().get(pk=proposal.pk)
    _decidable(proposal, actor)
    note = (note or "").strip()
    if not note:
        raise refuse("note", MSG_REJECT_REASON)
    proposal.status = ProposalStatus.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.decision_note = note[:200]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return proposal
