"""Backups: back up, damage, restore, compare, on the database the suite runs on (SQLite's online
backup API in the SQLite run, pg_dump/pg_restore in the PostgreSQL run)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jinlin.core.backup import live_checksums, manifest_path
from jinlin.core.models import AuditEvent
from jinlin.people.models import Resident

# transactional_db: pg_dump reads committed data only, and a restore replaces whole tables.
pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite run only")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL run only")


def damage() -> None:
    """Lose rows, change values, lose a whole table."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent")
        cursor.execute("UPDATE people_resident SET phone = '13000000000', name = '被篡改'")
        cursor.execute("DROP TABLE places_buildingadjacency")


def run(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def back_up_damage_restore(world, tmp_path: Path, name: str) -> str:
    out = tmp_path / name
    report = run("backup", str(out), "--verify")
    assert "全部一致" in report
    before = live_checksums()
    assert before["people_resident"].rows == Resident.objects.count() == 3
    damage()
    damaged = live_checksums()
    assert damaged["core_auditevent"].rows == 0
    assert damaged["people_resident"] != before["people_resident"]
    assert "places_buildingadjacency" not in damaged

    restored = run("restore", str(out), "--yes")

    after = live_checksums()
    # The audit log is as in the copy (without the backup's own event, written after it)
    # plus the restore's event.
    assert [e.actor_name for e in AuditEvent.objects.all()] == ["jinlin restore"]
    del after["core_auditevent"], before["core_auditevent"]
    assert after == before
    assert Resident.objects.get(pk=world.resident.pk).name == "张建国"
    return restored


@on_sqlite
def test_sqlite_back_up_damage_restore_compare(world, tmp_path):
    restored = back_up_damage_restore(world, tmp_path, "jinlin.sqlite3")
    assert "people_resident" in restored and "全部一致" in restored


@on_postgresql
def test_postgresql_back_up_damage_restore_compare(world, tmp_path):
    restored = back_up_damage_restore(world, tmp_path, "jinlin.dump")
    assert "people_resident" in restored and "全部一致" in restored
    assert (tmp_path / "jinlin.dump").read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format


def test_manifest_lists_every_table_with_rows_and_checksum(world, tmp_path):
    out = tmp_path / "backup.db"
    run("backup", str(out))
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["engine"] == connection.vendor
    resident_sums = manifest["tables"]["people_resident"]
    assert resident_sums["rows"] == 3 and len(resident_sums["checksum"]) == 64
    assert manifest["tables"].keys() >= {"core_user", "core_auditevent", "places_household"}


def test_verify_only_changes_nothing(world, tmp_path):
    out = tmp_path / "backup.db"
    run("backup", str(out))
    Resident.objects.filter(pk=world.resident.pk).update(name="之后改的")
    report = run("restore", str(out), "--verify-only")
    assert "全部一致" in report
    assert Resident.objects.get(pk=world.resident.pk).name == "之后改的"


def test_corrupted_backup_is_refused_and_the_database_left_alone(world, tmp_path):
    out = tmp_path / "backup.db"
    run("backup", str(out))
    data = bytearray(out.read_bytes())
    data[len(data) // 2] ^= 0xFF
    out.write_bytes(bytes(data))
    before = live_checksums()
    with pytest.raises(CommandError, match="已损坏"):
        run("restore", str(out), "--yes")
    assert live_checksums() == before


def test_backup_without_its_manifest_is_refused(world, tmp_path):
    out = tmp_path / "backup.db"
    run("backup", str(out))
    manifest_path(out).unlink()
    with pytest.raises(CommandError, match="缺少校验清单"):
        run("restore", str(out), "--yes")


def test_restore_asks_for_confirmation_when_not_interactive(world, tmp_path):
    out = tmp_path / "backup.db"
    run("backup", str(out))
    with pytest.raises(CommandError, match="--yes"):
        run("restore", str(out))
