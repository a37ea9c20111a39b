# Fewer indexes for every resident an import writes (docs/performance.md, "Import of a
# 100,000-row sheet"); search is answered from the same indexes as before.
#
# - name_pinyin, name_initials, phone_tail: indexed in Meta instead of with db_index, which on
#   PostgreSQL also made varchar_pattern_ops twins (`…_like`) that search never uses (its
#   prefixes are ranges on COLLATE "C", migration 0004). The plain indexes are kept (renamed on
#   PostgreSQL, rebuilt under their new names on SQLite, which cannot rename an index), so no
#   table is rebuilt.
# - id_number keeps its unique index; its `_like` twin on PostgreSQL goes too (prefix searches
#   use resident_id_number_c).
# - History rows are read by resident id only: no index on their ID number or household.

import django.db.models.deletion
from django.db import migrations, models

RENAMED = {
    "name_pinyin": "people_resident_name_pinyin_8a123977",
    "name_initials": "people_resident_name_initials_26689c90",
    "phone_tail": "people_resident_phone_tail_bcf9368d",
}
PATTERN_TWINS = [f"{old}_like" for old in RENAMED.values()] + [
    "people_resident_id_number_5cfda1e4_like"
]
HISTORY = {
    "id_number": "people_historicalresident_id_number_e2c4ca98",
    "household_id": "people_historicalresident_household_id_22bf366b",
}


def forwards(apps, schema_editor):
    run = schema_editor.execute
    postgres = schema_editor.connection.vendor == "postgresql"
    for field, old in RENAMED.items():
        if postgres:
            run(f'ALTER INDEX IF EXISTS "{old}" RENAME TO "resident_{field}"')
        else:
            run(f'DROP INDEX IF EXISTS "{old}"')
            run(f'CREATE INDEX "resident_{field}" ON "people_resident" ("{field}")')
    if postgres:
        for twin in [*PATTERN_TWINS, "people_historicalresident_id_number_e2c4ca98_like"]:
            run(f'DROP INDEX IF EXISTS "{twin}"')
    for old in HISTORY.values():
        run(f'DROP INDEX IF EXISTS "{old}"')


def backwards(apps, schema_editor):
    run = schema_editor.execute
    postgres = schema_editor.connection.vendor == "postgresql"
    for field, old in RENAMED.items():
        if postgres:
            run(f'ALTER INDEX IF EXISTS "resident_{field}" RENAME TO "{old}"')
            run(
                f'CREATE INDEX IF NOT EXISTS "{old}_like" ON "people_resident" '
                f'("{field}" varchar_pattern_ops)'
            )
        else:
            run(f'DROP INDEX IF EXISTS "resident_{field}"')
            run(f'CREATE INDEX IF NOT EXISTS "{old}" ON "people_resident" ("{field}")')
    for column, old in HISTORY.items():
        run(f'CREATE INDEX IF NOT EXISTS "{old}" ON "people_historicalresident" ("{column}")')
    if postgres:
        run(
            'CREATE INDEX IF NOT EXISTS "people_resident_id_number_5cfda1e4_like" '
            'ON "people_resident" ("id_number" varchar_pattern_ops)'
        )
        run(
            'CREATE INDEX IF NOT EXISTS "people_historicalresident_id_number_e2c4ca98_like" '
            'ON "people_historicalresident" ("id_number" varchar_pattern_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_search_prefix_indexes"),
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalresident",
                    name="household",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="places.household",
                        verbose_name="户",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalresident",
                    name="id_number",
                    field=models.CharField(max_length=18, verbose_name="身份证号"),
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="name_initials",
                    field=models.CharField(blank=True, editable=False, max_length=20),
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="name_pinyin",
                    field=models.CharField(blank=True, editable=False, max_length=200),
                ),
                migrations.AlterField(
                    model_name="resident",
                    name="phone_tail",
                    field=models.CharField(blank=True, editable=False, max_length=4),
                ),
                migrations.AddIndex(
                    model_name="resident",
                    index=models.Index(fields=["name_pinyin"], name="resident_name_pinyin"),
                ),
                migrations.AddIndex(
                    model_name="resident",
                    index=models.Index(fields=["name_initials"], name="resident_name_initials"),
                ),
                migrations.AddIndex(
                    model_name="resident",
                    index=models.Index(fields=["phone_tail"], name="resident_phone_tail"),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        )
    ]
