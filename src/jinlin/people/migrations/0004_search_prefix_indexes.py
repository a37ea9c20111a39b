# Prefix searches on PostgreSQL: ranges on `field COLLATE "C"` (people/search.py) mean
# "starts with" under any database collation and, unlike LIKE on varchar_pattern_ops, also give
# the key order, so a search stops reading at its LIMIT. SQLite needs nothing: its plain
# indexes are binary. (A first version of 0002 made varchar_pattern_ops indexes: dropped here.)

from django.db import migrations

FIELDS = ("name", "given_name", "name_pinyin", "name_initials", "id_number")


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "resident_name_prefix"')
    schema_editor.execute('DROP INDEX IF EXISTS "resident_given_prefix"')
    for field in FIELDS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "resident_{field}_c" ON "people_resident" ("{field}" COLLATE "C")'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for field in FIELDS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "resident_{field}_c"')


class Migration(migrations.Migration):
    dependencies = [("people", "0003_resident_fewer_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
