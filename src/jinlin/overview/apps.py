from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _group_definition_saved(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from jinlin.places.figures import bump_areas
    from jinlin.places.models import Area

    if raw:
        return
    if instance.area_id:
        bump_areas([instance.area_id])
    elif instance.subdistrict_id:
        bump_areas(
            Area.objects.filter(subdistrict_id=instance.subdistrict_id).values_list("pk", flat=True)
        )


class OverviewConfig(AppConfig):
    """Counts across the domains (registry, fieldwork, Party network) and the audit log:
    the pages of those who oversee whole areas. Above every domain app; its one table keeps
    each area's figures of the day (overview.figures)."""

    name = "jinlin.overview"
    label = "overview"
    verbose_name = "总览"

    def ready(self) -> None:
        # Every write that changes a count on the subdistrict overview bumps its area's
        # revision (places.figures); bulk paths bump on their own.
        from jinlin.fieldwork.models import Case, Concern, Visit, VisitInterval
        from jinlin.party.models import HouseholdContact
        from jinlin.people.models import GroupDefinition, GroupMembership, Resident
        from jinlin.places.figures import track_area_counts
        from jinlin.places.models import Household

        track_area_counts(Resident, lambda row: row.area_id, moves=True)
        for model in (GroupMembership, Household, Visit, VisitInterval, Concern, Case):
            track_area_counts(model, lambda row: row.area_id)
        # A group's own visit interval (or its retirement) moves the due visits of every
        # area it is defined for: its area, or each area of its subdistrict.
        post_save.connect(
            _group_definition_saved,
            sender=GroupDefinition,
            weak=False,
            dispatch_uid="jinlin.overview:group_definition",
        )
        track_area_counts(
            HouseholdContact,
            lambda row: (
                Household.objects.filter(pk=row.household_id)
                .values_list("area_id", flat=True)
                .first()
            ),
        )
