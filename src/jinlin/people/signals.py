"""Keep derived groups true whenever a resident is saved (party.signals does the same when
a Party membership is saved), and a resident's open groups where the resident lives."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from jinlin.people.models import GroupMembership, Resident
from jinlin.people.services import refresh_derived_groups


@receiver(post_init, sender=Resident)
def _remember_household(sender: type, instance: Resident, **kwargs: Any) -> None:
    instance._loaded_household_id = instance.household_id  # type: ignore[attr-defined]  # kept on the instance


@receiver(post_save, sender=Resident)
def _resident_saved(sender: type, instance: Resident, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    loaded: int | None = getattr(instance, "_loaded_household_id", None)
    households = {instance.household_id} | ({loaded} if loaded is not None else set())
    instance._loaded_household_id = instance.household_id  # type: ignore[attr-defined]  # kept on the instance
    if loaded is not None and loaded != instance.household_id:
        _move_open_groups(instance)
    refresh_derived_groups(households)


def _move_open_groups(resident: Resident) -> None:
    """A resident who moved takes its open groups along, as derived ones are (people.services):
    a group given by hand (困难, 大病 …) would otherwise stay listed, sensitive as it may be,
    under the area and household the resident left, and be missing where the resident lives
    now. Ended rows stay where they were (history); each move is a history row of its own."""
    for membership in GroupMembership.objects.filter(
        resident_id=resident.pk, ended_on__isnull=True
    ).exclude(household_id=resident.household_id):
        membership.household_id = resident.household_id
        membership.area_id = resident.area_id
        membership.compound_id = resident.compound_id
        membership.save(update_fields=["household", "area", "compound"])
