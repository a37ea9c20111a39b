from django.apps import AppConfig


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
        from jinlin.people.models import GroupMembership, Resident
        from jinlin.places.figures import track_area_counts
        from jinlin.places.models import Household

        track_area_counts(Resident, lambda row: row.area_id, moves=True)
        for model in (GroupMembership, Household, Visit, VisitInterval, Concern, Case):
            track_area_counts(model, lambda row: row.area_id)
        track_area_counts(
            HouseholdContact,
            lambda row: (
                Household.objects.filter(pk=row.household_id)
                .values_list("area_id", flat=True)
                .first()
            ),
        )
