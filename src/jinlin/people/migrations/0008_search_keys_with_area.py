# Prefix search keys indexed with the area (issue 18, docs/performance.md "Search over
# 1,000,000 residents"): a secretary's search for a short prefix (建, zm) walked thousands of
# index entries of the whole city and read each row to check its area; with the area in the
# index the walk stays in the index. SQLite searches the plain indexes (Meta); PostgreSQL its
# `COLLATE "C"` twins of migration 0004, rebuilt here with the area as well.

from django.db import migrations, models

PREFIX_FIELDS = ("name", "given_name", "name_pinyin", "name_initials")


def collated_twins_with_area(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in PREFIX_FIELDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{field}_c"')
        schema_editor.execute(
            f'CREATE INDEX "resident_{field}_c" ON "people_resident" ("{field}" COLLATE "C", "area_id")'
        )


def collated_twins_alone(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in PREFIX_FIELDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{field}_c"')
        schema_editor.execute(
            f'CREATE INDEX "resident_{field}_c" ON "people_resident" ("{field}" COLLATE "C")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_group_definitions"),
        ("places", "0003_area_revision"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="resident",
            name="people_resi_name_87bd0e_idx",
        ),
        migrations.RemoveIndex(
            model_name="resident",
            name="resident_given_name",
        ),
        migrations.RemoveIndex(
            model_name="resident",
            name="resident_name_pinyin",
        ),
        migrations.RemoveIndex(
            model_name="resident",
            name="resident_name_initials",
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["name", "area"], name="resident_name_area"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["given_name", "area"], name="resident_given_name_area"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["name_pinyin", "area"], name="resident_name_pinyin_area"),
        ),
        migrations.AddIndex(
            model_name="resident",
            index=models.Index(fields=["name_initials", "area"], name="resident_initials_area"),
        ),
        migrations.RunPython(collated_twins_with_area, collated_twins_alone),
    ]
