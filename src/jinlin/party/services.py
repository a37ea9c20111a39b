"""Every write of the Party network: applying a proposal, household contacts, posts, contacts
between levels, meetings. Transactional; each checks who may do it; history and audit kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.party.access import can_record_meeting, can_reorganise, can_run_group
from jinlin.party.assignment import Household as PlanHousehold
from jinlin.party.assignment import Member as PlanMember
from jinlin.party.assignment import assign_households
from jinlin.party.models import (
    Attendance,
    HouseholdContact,
    Meeting,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
    Reorganisation,
)
from jinlin.party.reorganisation import CHANGE, DISSOLVE
from jinlin.party.selectors.proposal import area_proposal, branch_name_for, group_name_for
from jinlin.party.selectors.state import building_key
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.models import Area, Household

Level = PartyOrganisation.Level

MSG_STALE = "数据已有变化，方案随之更新：请重新查看调整方案后再确认"
MSG_NOTHING_TO_APPLY = "当前党组织已与方案一致，无需调整"
MSG_NOT_ALLOWED = "您无权进行此操作"
MSG_ORGANISATION_DISSOLVED = "该党组织已撤销"
MSG_MEMBER_NOT_HERE = "该党员不在本居民区居住或不参加本社区组织生活"
MSG_LEADER_NOT_IN_GROUP = "党小组长须是本党小组的党员"
MSG_COMMITTEE_NOT_IN_BRANCH = "支部委员须是本支部所辖小区的党员"
MSG_CONTACT_NOT_COMMITTEE = "联系人须是上级党组织的现任书记、副书记或委员"
MSG_CONTACT_LEVEL = "只有党支部和党小组需要指定联系人"
MSG_MEETING_FUTURE = "会议日期不能晚于今天"
MSG_MEETING_TOPICS = "请至少填写一个议题"
MSG_MEETING_MEMBER = "出席名单中有不属于本党小组的党员"
MSG_MEETING_STATUS = "出席情况只能是出席、请假或缺席"


class ProposalRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _actor_label(actor: User | None, actor_name: str) -> str:
    if actor_name:
        return actor_name
    return actor.username if actor is not None and actor.is_authenticated else ""


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
        for change in diff.groups:
            if change.planned is None:
                continue
            parent = branches[change.planned[0]]
            if change.current is None:
                group = PartyOrganisation(
                    area=area,
                    level=Level.GROUP,
                    name=group_name_for(
                        [proposal.building_of_key[key] for key in change.buildings_after]
                    ),
                    parent=parent,
                )
                _save(group, actor)
                _history_user(group, actor).buildings.set(building_ids(change.buildings_after))
            else:
                group = state.groups[change.current.id]
                name = proposal.planned_group_name(change.planned)
                if group.parent_id != parent.pk or group.name != name:
                    group.parent = parent
                    group.name = name
                    _save(group, actor, ["parent", "name"])
                if change.added or change.removed:
                    _history_user(group, actor).buildings.set(building_ids(change.buildings_after))
            groups[change.planned] = group
        # Contacts that stay move to their new group before the old one is dissolved.
        moving: dict[tuple[int, int], list[int]] = {}
        for contact, planned_group in proposal.contacts_moving:
            moving.setdefault(planned_group, []).append(contact.pk)
        for planned_group, contact_ids in moving.items():
            HouseholdContact.objects.filter(pk__in=contact_ids).update(group=groups[planned_group])
        for change in diff.groups:
            if change.change == DISSOLVE:
                _dissolve(state.groups[change.current.id], actor, now, today)  # type: ignore[union-attr]
        for change in diff.branches:
            if change.change == DISSOLVE:
                _dissolve(state.branches[change.current.id], actor, now, today)  # type: ignore[union-attr]

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
        reorganisation = Reorganisation.objects.create(
            area=area,
            applied_by=actor if actor is not None and actor.is_authenticated else None,
            applied_by_name=_actor_label(actor, actor_name),
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
        organisation._history_user = actor  # type: ignore[attr-defined]
    return organisation


def _save(
    organisation: PartyOrganisation, actor: User | None, fields: list[str] | None = None
) -> None:
    _history_user(organisation, actor)
    if fields is None:
        organisation.save()
    else:
        organisation.save(update_fields=fields)


def _dissolve(organisation: PartyOrganisation, actor: User | None, now, today: date) -> None:  # type: ignore[no-untyped-def]
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


# --- household contacts ------------------------------------------------------------------------


@dataclass(frozen=True)
class AssignmentResult:
    households: int  # lived-in households of the group's territory
    assigned: int  # of them with a contact after the assignment
    changed: int  # contacts begun or ended
    uncovered: int  # households left without (no member able to take contacts)


def group_assign_contacts(
    *,
    group: PartyOrganisation,
    actor: User | None,
    dry_run: bool = False,
    request: HttpRequest | None = None,
    check_access: bool = True,
) -> AssignmentResult:
    """Give every lived-in household of the group's territory one able member of the group
    (party/assignment.py: loads differ by at most one, most same-building pairs), keeping the
    contacts that the rule keeps and ending the others. Nothing is written with `dry_run`."""
    if check_access and (actor is None or not can_run_group(actor, group)):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not group.is_active or group.level != Level.GROUP:
        raise ValidationError(MSG_ORGANISATION_DISSOLVED)
    with transaction.atomic():
        members = list(
            PartyMember.objects.taking_part()
            .filter(group=group)
            .select_related("resident__household__building__compound")
        )
        lived_in = Resident.objects.filter(household=OuterRef("pk"), status=LifeStatus.CURRENT)
        households = list(
            Household.objects.filter(building__in=group.buildings.all())
            .filter(Exists(lived_in))
            .select_related("building__compound")
        )
        member_keys = {}
        for member in members:
            household = member.resident.household
            member_keys[member.pk] = (
                f"{_place_key(household)}/{member.resident.id_number}"  # unique, from the data
            )
        by_key = {key: pk for pk, key in member_keys.items()}
        household_keys = {h.pk: _place_key(h) for h in households}
        household_by_key = {key: pk for pk, key in household_keys.items()}
        assignment = assign_households(
            [
                PlanMember(member_keys[m.pk], _building_place(m.resident.household), m.can_contact)
                for m in members
            ],
            [PlanHousehold(household_keys[h.pk], _building_place(h)) for h in households],
        )
        wanted = {
            household_by_key[household]: by_key[member]
            for household, member in assignment.contacts.items()
        }
        territory = set(household_keys)
        current = {
            c.household_id: c
            for c in HouseholdContact.objects.filter(ended_on__isnull=True).filter(
                household_id__in=territory
            )
        }
        ending = [
            c
            for c in HouseholdContact.objects.filter(group=group, ended_on__isnull=True).exclude(
                household_id__in=territory
            )
        ]
        beginning = []
        for household_id in sorted(territory):
            contact = current.get(household_id)
            member_id = wanted.get(household_id)
            if (
                contact is not None
                and contact.member_id == member_id
                and contact.group_id == group.pk
            ):
                continue
            if contact is not None:
                ending.append(contact)
            if member_id is not None:
                beginning.append(
                    HouseholdContact(
                        household_id=household_id,
                        member_id=member_id,
                        group=group,
                        assigned_by=actor if actor is not None and actor.is_authenticated else None,
                    )
                )
        result = AssignmentResult(
            households=len(territory),
            assigned=len(wanted),
            changed=len(ending) + len(beginning),
            uncovered=len(territory) - len(wanted),
        )
        if dry_run or not result.changed:
            return result
        today = timezone.localdate()
        HouseholdContact.objects.filter(pk__in=[c.pk for c in ending]).update(ended_on=today)
        HouseholdContact.objects.bulk_create(beginning, batch_size=2000)
        audit(
            actor=actor,
            actor_name="" if actor is not None else "jinlin party",
            action=AuditEvent.Action.CHANGE,
            object_type="party_group_contacts",
            object_id=group.pk,
            reason=f"分配联系户：{result.assigned}/{result.households} 户有联系党员，变动 {result.changed} 条",
            request=request,
            area_id=group.area_id,
        )
    return result


def _building_place(household: Household) -> str:
    building = household.building
    return f"{building.compound.name}/{building_key(building)}"


def _place_key(household: Household) -> str:
    return f"{_building_place(household)}/{household.room}"


def area_assign_contacts(
    *, area: Area, actor: User | None, check_access: bool = True
) -> dict[int, AssignmentResult]:
    """Every active group of the area (the command line and the demo)."""
    return {
        group.pk: group_assign_contacts(group=group, actor=actor, check_access=check_access)
        for group in PartyOrganisation.objects.active().filter(area=area, level=Level.GROUP)
    }


# --- posts and contacts between levels ------------------------------------------------------


def _fresh(member: PartyMember) -> PartyMember:
    """The member as stored now (a caller's copy may predate a reorganisation)."""
    return PartyMember.objects.select_related("resident").get(pk=member.pk)


def _may_appoint(actor: User, organisation: PartyOrganisation, kind: str) -> bool:
    if organisation.level == Level.GROUP:
        return can_run_group(actor, organisation)
    return can_reorganise(actor, organisation.area)


def _check_member_fits(member: PartyMember, organisation: PartyOrganisation, kind: str) -> None:
    resident = member.resident
    if (
        resident.status != LifeStatus.CURRENT
        or resident.area_id != organisation.area_id
        or not member.takes_part
    ):
        raise ValidationError({"member": MSG_MEMBER_NOT_HERE})
    if organisation.level == Level.GROUP and member.group_id != organisation.pk:
        raise ValidationError({"member": MSG_LEADER_NOT_IN_GROUP})
    if (
        organisation.level == Level.BRANCH
        and not organisation.compounds.filter(pk=resident.compound_id).exists()
    ):
        raise ValidationError({"member": MSG_COMMITTEE_NOT_IN_BRANCH})


def position_appoint(
    *,
    organisation: PartyOrganisation,
    member: PartyMember,
    kind: str,
    actor: User | None,
    check_access: bool = True,
) -> Position:
    """Appoint a member; a secretary or group leader replaces the one in post, and a member
    already holding another post here changes post (the old one ends today)."""
    if check_access and (actor is None or not _may_appoint(actor, organisation, kind)):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not organisation.is_active:
        raise ValidationError(MSG_ORGANISATION_DISSOLVED)
    member = _fresh(member)
    position = Position(
        organisation=organisation,
        member=member,
        kind=kind,
        appointed_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if kind not in Position.Kind.values:
        raise ValidationError({"kind": "未知的职务"})
    position.clean()
    _check_member_fits(member, organisation, kind)
    today = timezone.localdate()
    with transaction.atomic():
        in_post = Position.objects.filter(organisation=organisation, ended_on__isnull=True)
        replaced = in_post.filter(member=member)
        if kind in (Position.Kind.SECRETARY, Position.Kind.GROUP_LEADER):
            replaced = replaced | in_post.filter(kind=kind)
        replaced.update(ended_on=today)
        position.started_on = today
        position.save()
    return position


def position_end(*, position: Position, actor: User | None, check_access: bool = True) -> None:
    if check_access and (
        actor is None or not _may_appoint(actor, position.organisation, position.kind)
    ):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if position.ended_on is None:
        position.ended_on = timezone.localdate()
        position.save(update_fields=["ended_on"])


def organisation_set_contact(
    *,
    organisation: PartyOrganisation,
    member: PartyMember,
    actor: User | None,
    check_access: bool = True,
) -> OrganisationContact:
    """委员联系支部 (a member of the area committee for a branch) or 支委联系小组 (a member of
    the branch committee for one of its groups); the previous contact ends today."""
    if organisation.level == Level.AREA:
        raise ValidationError(MSG_CONTACT_LEVEL)
    if check_access:
        allowed = (
            (
                can_reorganise(actor, organisation.area)
                if organisation.level == Level.BRANCH
                else can_run_group(actor, organisation)
            )
            if actor is not None
            else False
        )
        if not allowed:
            raise PermissionDenied(MSG_NOT_ALLOWED)
    if not organisation.is_active:
        raise ValidationError(MSG_ORGANISATION_DISSOLVED)
    member = _fresh(member)
    is_committee = Position.objects.filter(
        organisation_id=organisation.parent_id,
        member=member,
        kind__in=Position.COMMITTEE_KINDS,
        ended_on__isnull=True,
    ).exists()
    if not is_committee or member.resident.status != LifeStatus.CURRENT:
        raise ValidationError({"member": MSG_CONTACT_NOT_COMMITTEE})
    today = timezone.localdate()
    with transaction.atomic():
        OrganisationContact.objects.filter(organisation=organisation, ended_on__isnull=True).update(
            ended_on=today
        )
        return OrganisationContact.objects.create(
            organisation=organisation,
            member=member,
            started_on=today,
            set_by=actor if actor is not None and actor.is_authenticated else None,
        )


# --- meetings ------------------------------------------------------------------------------


def meeting_record(
    *,
    group: PartyOrganisation,
    actor: User,
    held_on: date,
    topics: list[str],
    attendance: Mapping[int, str],
    place: str = "",
    notes: str = "",
) -> Meeting:
    """楼组党员会议 with its topics and each member's attendance (members not named are
    recorded absent)."""
    if not can_record_meeting(actor, group):
        raise PermissionDenied(MSG_NOT_ALLOWED)
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = MSG_MEETING_FUTURE
    topics = [t.strip()[:200] for t in topics if t and t.strip()]
    if not topics:
        errors["topics"] = MSG_MEETING_TOPICS
    members = {
        m.pk for m in PartyMember.objects.filter(group=group, resident__status=LifeStatus.CURRENT)
    }
    if set(attendance) - members:
        errors["attendance"] = MSG_MEETING_MEMBER
    if any(status not in Attendance.Status.values for status in attendance.values()):
        errors["attendance"] = MSG_MEETING_STATUS
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            group=group,
            held_on=held_on,
            place=place.strip()[:100],
            topics=topics,
            notes=notes.strip(),
            recorded_by=actor,
        )
        Attendance.objects.bulk_create(
            Attendance(
                meeting=meeting,
                member_id=member_id,
                status=attendance.get(member_id, Attendance.Status.ABSENT),
            )
            for member_id in sorted(members)
        )
    return meeting
