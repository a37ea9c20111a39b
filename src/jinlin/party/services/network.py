"""Applying an area's proposal: the organisations, members' groups and household contacts as
the proposal shows them, in one transaction and only with the fingerprint it was read with."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.party.access import can_reorganise
from jinlin.party.models import (
    HouseholdContact,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
    Reorganisation,
)
from jinlin.party.reorganisation import CHANGE, DISSOLVE
from jinlin.party.selectors.proposal import area_proposal, branch_name_for, group_name_for
from jinlin.party.services.common import MSG_NOT_ALLOWED, actor_label
from jinlin.places.figures import bump_areas
from jinlin.places.models import Area

Level = PartyOrganisation.Level


MSG_STALE = "数据已有变化，方案随之更新：请重新查看调整方案后再确认"
MSG_NOTHING_TO_APPLY = "当前党组织已与方案一致，无需调整"


class ProposalRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- applying a proposal ---------------------------------------------------------------------


def network_apply_proposal(
    *,
    area: Area,
    actor: User | None,
    fingerprint: str,
    request: HttpRequest | None = None,
    actor_name: str = "",
    check_access: bool = True,
) -> Reorganisation:
    """Apply the area's proposal exactly as it was shown (same fingerprint), in one transaction:
    branches and groups created, changed or dissolved, members placed in the group of their
    building, household contacts that no longer fit ended; one audit event and history.

    `check_access=False` is for the command line and the demo, which act as the operator.
    """
    if check_access and (actor is None or not can_reorganise(actor, area)):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    with transaction.atomic():
        Area.objects.select_for_update().filter(pk=area.pk).first()
        proposal = area_proposal(area)
        if proposal.fingerprint != fingerprint:
            raise ProposalRefused(MSG_STALE)
        if proposal.is_empty:
            raise ProposalRefused(MSG_NOTHING_TO_APPLY)
        state, plan, diff = proposal.state, proposal.plan, proposal.diff
        now = timezone.now()
        today = timezone.localdate()
        compound_ids = {c.name: c.pk for c in state.compounds.values()}

        def building_ids(keys: Iterable[tuple[str, str]]) -> list[int]:
            return [proposal.building_of_key[key].pk for key in keys]

        area_organisation = state.area_organisation
        if area_organisation is None:
            area_organisation = PartyOrganisation(
                area=area, level=Level.AREA, name=f"{area.name}党总支"
            )
            _save(area_organisation, actor)
        branches: dict[int, PartyOrganisation] = {}
        for change in diff.branches:
            if change.planned is None:
                continue
            planned = plan.branches[change.planned]
            if change.current is None:
                branch = PartyOrganisation(
                    area=area,
                    level=Level.BRANCH,
                    name=branch_name_for(planned.compounds),
                    parent=area_organisation,
                    is_joint=planned.is_joint,
                )
                _save(branch, actor)
                _history_user(branch, actor).compounds.set(
                    [compound_ids[c] for c in planned.compounds]
                )
            else:
                branch = state.branches[change.current.id]
                name = proposal.planned_branch_name(change.planned)
                if (
                    branch.is_joint != planned.is_joint
                    or branch.parent_id != area_organisation.pk
                    or branch.name != name
                ):
                    branch.is_joint = planned.is_joint
                    branch.parent = area_organisation
                    branch.name = name
                    _save(branch, actor, ["is_joint", "parent", "name"])
                if change.change == CHANGE:
                    _history_user(branch, actor).compounds.set(
                        [compound_ids[c] for c in planned.compounds]
                    )
            branches[change.planned] = branch
        groups: dict[tuple[int, int], PartyOrganisation] = {}
        for group_change in diff.groups:
            if group_change.planned is None:
                continue
            parent = branches[group_change.planned[0]]
            if group_change.current is None:
                group = PartyOrganisation(
                    area=area,
                    level=Level.GROUP,
                    name=group_name_for(
                        [proposal.building_of_key[key] for key in group_change.buildings_after]
                    ),
                    parent=parent,
                )
                _save(group, actor)
                _history_user(group, actor).buildings.set(
                    building_ids(group_change.buildings_after)
                )
            else:
                group = state.groups[group_change.current.id]
                name = proposal.planned_group_name(group_change.planned)
                if group.parent_id != parent.pk or group.name != name:
                    group.parent = parent
                    group.name = name
                    _save(group, actor, ["parent", "name"])
                if group_change.added or group_change.removed:
                    _history_user(group, actor).buildings.set(
                        building_ids(group_change.buildings_after)
                    )
            groups[group_change.planned] = group
        # Contacts that stay move to their new group before the old one is dissolved.
        moving: dict[tuple[int, int], list[int]] = {}
        for contact, planned_group in proposal.contacts_moving:
            moving.setdefault(planned_group, []).append(contact.pk)
        for planned_group, contact_ids in moving.items():
            HouseholdContact.objects.filter(pk__in=contact_ids).update(group=groups[planned_group])
        for group_change in diff.groups:
            if group_change.change == DISSOLVE:
                _dissolve(state.groups[group_change.current.id], actor, now, today)  # type: ignore[union-attr]  # a change that ends or keeps has a current one
        for change in diff.branches:
            if change.change == DISSOLVE:
                _dissolve(state.branches[change.current.id], actor, now, today)  # type: ignore[union-attr]  # a change that ends or keeps has a current one

        moved = []
        for member_change in proposal.member_changes:
            member = member_change.member
            member.group = groups[member_change.after] if member_change.after else None
            moved.append(member)
        if moved:
            bulk_update_with_history(
                moved,
                PartyMember,
                ["group"],
                default_user=actor,
                default_change_reason="党组织调整",
            )
        if proposal.contacts_ending:
            HouseholdContact.objects.filter(
                pk__in=[c.pk for c in proposal.contacts_ending], ended_on__isnull=True
            ).update(ended_on=today)

        summary = proposal.summary()[:200]
        diff_json = proposal.as_json()
        diff_json["counts"] = diff.counts()
        diff_json["new_names"] = {
            "branches": {str(i): b.name for i, b in branches.items()},
            "groups": {f"{b}-{g}": group.name for (b, g), group in groups.items()},
        }
        # Contacts moved and ended in bulk (no signal): the area's coverage moved.
        bump_areas([area.pk])
        reorganisation = Reorganisation.objects.create(
            area=area,
            applied_by=actor if actor is not None and actor.is_authenticated else None,
            applied_by_name=actor_label(actor, actor_name),
            applied_at=now,
            summary=summary,
            diff=diff_json,
        )
        audit(
            actor=actor,
            actor_name=actor_name,
            action=AuditEvent.Action.REORGANISE,
            object_type="party_reorganisation",
            object_id=reorganisation.pk,
            reason=summary,
            request=request,
            area_id=area.pk,
        )
    return reorganisation


def _history_user(organisation: PartyOrganisation, actor: User | None) -> PartyOrganisation:
    if actor is not None and actor.is_authenticated:
        organisation._history_user = actor  # type: ignore[attr-defined]  # simple-history reads the actor here
    return organisation


def _save(
    organisation: PartyOrganisation, actor: User | None, fields: list[str] | None = None
) -> None:
    _history_user(organisation, actor)
    if fields is None:
        organisation.save()
    else:
        organisation.save(update_fields=fields)


def _dissolve(organisation: PartyOrganisation, actor: User | None, now, today: date) -> None:
    """A branch or group goes: its territory is emptied (history keeps it), its posts and
    contacts end."""
    organisation.dissolved_at = now
    _save(organisation, actor, ["dissolved_at"])
    if organisation.level == Level.BRANCH:
        organisation.compounds.clear()
    else:
        organisation.buildings.clear()
    Position.objects.filter(organisation=organisation, ended_on__isnull=True).update(ended_on=today)
    OrganisationContact.objects.filter(organisation=organisation, ended_on__isnull=True).update(
        ended_on=today
    )
    HouseholdContact.objects.filter(group=organisation, ended_on__isnull=True).update(
        ended_on=today
    )
    bump_areas([organisation.area_id])
