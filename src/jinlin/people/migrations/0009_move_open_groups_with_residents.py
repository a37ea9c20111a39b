# Open group memberships given by hand used to stay with the household (and area) their resident
# left; since this change they move with the resident (people/signals.py). This moves the open
# ones that already name another household than their resident's, and bumps the revisions of
# the areas they leave and join, so that kept overview figures and due visits are counted again.
# Ended memberships stay where they happened.

from django.db import migrations
from django.db.models import F


def move_open_groups(apps, schema_editor):
    GroupMembership = apps.get_model("people", "GroupMembership")
    AreaRevision = apps.get_model("places", "AreaRevision")
    moved_areas = set()
    stale = (
        GroupMembership.objects.filter(ended_on__isnull=True)
        .exclude(household_id=F("resident__household_id"))
        .select_related("resident")
    )
    for membership in stale.iterator():
        resident = membership.resident
        moved_areas |= {membership.area_id, resident.area_id}
        membership.household_id = resident.household_id
        membership.area_id = resident.area_id
        membership.compound_id = resident.compound_id
        membership.save(update_fields=["household", "area", "compound"])
    for area_id in moved_areas:
        revision, _ = AreaRevision.objects.get_or_create(area_id=area_id)
        revision.number = F("number") + 1
        revision.save(update_fields=["number"])


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_search_keys_with_area"),
        ("places", "0003_area_revision"),
    ]

    operations = [migrations.RunPython(move_open_groups, migrations.RunPython.noop)]
