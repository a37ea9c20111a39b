"""Keep derived groups true whenever a resident is saved (party.signals does the same when
a Party membership is saved)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from jinlin.people.models import Resident
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
    refresh_derived_groups(households)
