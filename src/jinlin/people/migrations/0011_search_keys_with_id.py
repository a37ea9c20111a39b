# PostgreSQL's prefix search keys gain the id (issue 18, docs/performance.md "Search over
# 1,000,000 residents"): a prefix search orders by (key, area, id) and stops at 20, but the
# collated twins of migration 0008 ended at the area, so PostgreSQL sorted every holder of a
# common key to find the first 20 (two letters of initials such as `jj` over a million
# residents: 3,346 rows read, 15 ms). With the id the index gives the order itself (20 entries,
# 0.1 ms). SQLite's plain indexes hold the rowid (the id) already: nothing changes there.
#
# Each twin is built under a new name before the old one is dropped, so search never lacks
# an index while this runs.

from django.db import migrations

PREFIX_FIELDS = ("name", "given_name", "name_pinyin", "name_initials")


def _rebuild(schema_editor, columns: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in PREFIX_FIELDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{field}_c_new"')
        schema_editor.execute(
            f'CREATE INDEX "resident_{field}_c_new" ON "people_resident" '
            f'("{field}" COLLATE "C", {columns})'
        )
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{field}_c"')
        schema_editor.execute(f'ALTER INDEX "resident_{field}_c_new" RENAME TO "resident_{field}_c"')


def with_id(apps, schema_editor):
    _rebuild(schema_editor, '"area_id", "id"')


def with_area_only(apps, schema_editor):
    _rebuild(schema_editor, '"area_id"')


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0010_place_status_id_indexes"),
    ]

    operations = [
        migrations.RunPython(with_id, with_area_only),
    ]
