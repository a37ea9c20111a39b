"""Keep the people's derived groups (老党员) true whenever a Party membership is saved."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from jinlin.party.models import PartyMember
from jinlin.people.selectors import household_of
from jinlin.people.services import refresh_derived_groups


@receiver(post_save, sender=PartyMember)
def _member_saved(sender: type, instance: PartyMember, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    household_id = household_of(instance.resident_id)
    if household_id is not None:
        refresh_derived_groups([household_id])
