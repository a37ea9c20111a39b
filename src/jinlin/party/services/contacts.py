"""Household contacts (党员联系群众): assigning a group's households to its members."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.party.access import can_run_group
from jinlin.party.assignment import Household as PlanHousehold
from jinlin.party.assignment import Member as PlanMember
from jinlin.party.assignment import assign_households
from jinlin.party.models import HouseholdContact, PartyMember, PartyOrganisation
from jinlin.party.selectors.state import building_key
from jinlin.party.services.common import MSG_NOT_ALLOWED, MSG_ORGANISATION_DISSOLVED
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.figures import bump_areas
from jinlin.places.models import Area, Household

Level = PartyOrganisation.Level


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
        bump_areas([group.area_id])
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
