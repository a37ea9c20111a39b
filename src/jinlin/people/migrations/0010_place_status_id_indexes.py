"""The residents' (area, status) and (building, status) indexes gain the id, and a compound
one is added: the current residents of a place a page at a time in id order walk one of
them, where PostgreSQL walked the primary key (docs/performance.md, "The web path under
gunicorn"). Each new index is added before the one it replaces is dropped."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0009_move_open_groups_with_residents"),
        ("places", "0003_area_revision"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["area", "status", "id"], name="resident_area_status_id"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["compound", "status", "id"], name="resident_compound_status_id"
            ),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(
                fields=["building", "status", "id"], name="resident_building_status_id"
            ),
        ),
        migrations.RemoveIndex(model_name="resident", name="people_resi_area_id_33222f_idx"),
        migrations.RemoveIndex(model_name="resident", name="people_resi_buildin_4ee371_idx"),
    ]
