"""Which residents and group memberships a user may see: querysets and the 404 gate.

Built on core.access.personal_scope, like places.access for the places they live in.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jinlin.core.access import personal_scope
from jinlin.core.models import User
from jinlin.people.models import EmergencyContact, GroupMembership, Resident


def visible_residents(user: User) -> QuerySet[Resident]:
    return Resident.objects.filter(personal_scope(user).q())


def visible_memberships(user: User) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(
        personal_scope(user).q(building_field="resident__building_id")
    )


def access_resident(user: User, resident_id: int) -> Resident:
    try:
        return (
            visible_residents(user)
            .select_related("household__building__compound__area")
            .get(pk=resident_id)
        )
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该居民") from None


def visible_emergency_contacts(user: User) -> QuerySet[EmergencyContact]:
    """Contacts of the residents the user may see (removed ones included: history)."""
    return EmergencyContact.objects.filter(resident__in=visible_residents(user))


def access_emergency_contact(user: User, resident: Resident, contact_id: int) -> EmergencyContact:
    """One contact of a resident the caller already reached through `access_resident`."""
    try:
        return EmergencyContact.objects.get(pk=contact_id, resident=resident)
    except (EmergencyContact.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该紧急联系人") from None
