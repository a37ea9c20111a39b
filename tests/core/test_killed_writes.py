"""A `jinlin` command killed (SIGKILL) halfway through its writing leaves the database exactly as
it was: every table's rows and checksum (core.backup.table_checksums) before and after.

The command runs in a subprocess against a database it shares with the test: a copy of the
test database in a file on SQLite runs, the test database itself on PostgreSQL runs. It is
stopped inside its transaction (tests/core/paused_command.py) after part of its rows are
written, which the test sees for itself (the rows counted inside the transaction; the write
lock on SQLite, an open transaction on PostgreSQL) before it kills the process. The import is
then run again to the end, as an operator would after a crash: it writes everything.
"""

from __future__ import annotations

import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from jinlin.core.backup import table_checksums
from jinlin.core.idnumber import make_id_number
from jinlin.party.models import PartyMember
from jinlin.people.models import PoliticalStatus
from tests.factories import HouseholdFactory, ResidentFactory
from tests.people.sheets import HEADINGS, xlsx

# Committed data: the command in another process must see the world, and a kill must find
# nothing of the test's own in flight.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.killed]

ROOT = Path(__file__).resolve().parents[2]
NEW_RESIDENTS = 1200  # the import writes in chunks of 1000: it is paused after the first


class Database:
    """The database the command runs on, seen from the test through a plain DB-API connection."""

    def __init__(self, tmp_path: Path) -> None:
        self.engine = "sqlite" if connection.vendor == "sqlite" else "postgresql"
        connection.ensure_connection()
        if self.engine == "sqlite":
            # The test database lives in memory: the command gets a file copy of it.
            self.path = tmp_path / "jinlin.sqlite3"
            target = sqlite3.connect(self.path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"
        else:
            settings = connection.settings_dict
            self.url = (
                f"postgres://{quote(settings['USER'] or '')}:{quote(settings['PASSWORD'] or '')}"
                f"@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
            )

    def checksums(self) -> dict[str, Any]:
        if self.engine == "sqlite":
            plain = sqlite3.connect(self.path)
            try:
                return table_checksums(plain, "sqlite")
            finally:
                plain.close()
        return table_checksums(connection.connection, "postgresql")

    def scalar(self, sql: str) -> Any:
        if self.engine == "sqlite":
            plain = sqlite3.connect(self.path)
            try:
                return plain.execute(sql).fetchone()[0]
            finally:
                plain.close()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def is_held_by_another_writer(self) -> bool:
        """SQLite: someone holds the write lock. PostgreSQL: someone has a transaction open."""
        if self.engine == "sqlite":
            plain = sqlite3.connect(self.path, timeout=0)
            try:
                plain.execute("BEGIN IMMEDIATE")
                plain.rollback()
                return False
            except sqlite3.OperationalError as error:
                return "locked" in str(error)
            finally:
                plain.close()
        return self.open_transactions() > 0

    def open_transactions(self) -> int:
        return int(
            self.scalar(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                "AND xact_start IS NOT NULL"
            )
        )

    def check_intact(self) -> None:
        if self.engine == "sqlite":
            assert self.scalar("PRAGMA integrity_check") == "ok"
        else:
            # The server rolls the killed client's transaction back when it sees it gone.
            deadline = time.monotonic() + 20
            while self.open_transactions() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert self.open_transactions() == 0
        assert not self.is_held_by_another_writer()


def jinlin(database: Database, tmp_path: Path, *args: str, pause_after: str = "", report: str = ""):
    environment = {
        **os.environ,
        "DATABASE_URL": database.url,
        "JINLIN_VAR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "jinlin.settings",
    }
    if not pause_after:
        return subprocess.run(
            [sys.executable, "-m", "jinlin.cli", *args],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
    environment.update(JINLIN_PAUSE_AFTER=pause_after, JINLIN_PAUSE_REPORT=report)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.core.paused_command", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_paused(process: subprocess.Popen, timeout: float = 90) -> list[str]:
    """The PAUSED line's fields; fails with the command's errors if it ended instead.

    The lines are read by a thread, never by select() on the pipe: a text-mode readline reads
    ahead, so when the command prints a line just before PAUSED both may land in the buffer at
    once, and a select() on the emptied pipe would then wait for a PAUSED already read."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in process.stdout:  # type: ignore[union-attr]
            lines.put(line)
        lines.put("")  # the command ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    process.reader = reader  # type: ignore[attr-defined]  # joined before the pipe is closed
    deadline = time.monotonic() + timeout
    while (left := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            break
        if line.startswith("PAUSED"):
            return line.split()[1:]
        if not line:
            break
    process.kill()
    pytest.fail(f"the command never paused:\n{process.stderr.read()}")  # type: ignore[union-attr]


def kill_halfway(database: Database, process: subprocess.Popen) -> str:
    seen, in_transaction = wait_until_paused(process)
    assert in_transaction == "True"
    assert database.is_held_by_another_writer()
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.reader.join(timeout=30)  # type: ignore[attr-defined]  # it ends at the pipe's end
    process.stdout.close()  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    return seen


def residents_sheet(world) -> bytes:
    """One change to a resident who exists, then 1 200 new residents in ten new buildings."""
    known = world.resident
    rows: list[list[Any]] = [
        HEADINGS,
        [known.name, "男", known.id_number, "", "13911112222", "绿园八村", "12", "301", "户主"],
    ]
    for index in range(NEW_RESIDENTS):
        born = date(1940, 1, 1) + timedelta(days=7 * index)
        gender = "MF"[index % 2]
        rows.append(
            [
                f"居民{index}",
                "男女"[index % 2],
                make_id_number("310105", born, index % 100, gender),
                "",
                "",
                "绿园八村",
                str(20 + index % 10),
                str(101 + index // 10),
                "户主",
            ]
        )
    return xlsx(rows)


def test_killed_import_leaves_the_database_as_it_was(world, tmp_path):
    source = tmp_path / "居民.xlsx"
    source.write_bytes(residents_sheet(world))
    database = Database(tmp_path)
    before = database.checksums()
    residents_before = before["people_resident"].rows
    phone_before = database.scalar(
        f"SELECT phone FROM people_resident WHERE id = {world.resident.pk}"
    )

    process = jinlin(
        database,
        tmp_path,
        *("import", "residents", str(source), "--area", "lv8", "--create-places"),
        pause_after="jinlin.people.importwriter:Writer._resident_chunk:1",
        report="SELECT count(*) FROM people_resident",
    )
    seen = kill_halfway(database, process)
    # Inside the transaction: the first chunk, one change and 999 new residents, was written.
    assert int(seen) == residents_before + 999

    database.check_intact()
    assert database.checksums() == before
    assert database.scalar(f"SELECT phone FROM people_resident WHERE id = {world.resident.pk}") == (
        phone_before
    )

    finished = jinlin(
        database, tmp_path, "import", "residents", str(source), "--area", "lv8", "--create-places"
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert database.checksums()["people_resident"].rows == residents_before + NEW_RESIDENTS
    assert database.scalar(f"SELECT phone FROM people_resident WHERE id = {world.resident.pk}") == (
        "13911112222"
    )


def test_killed_party_reorganisation_leaves_the_database_as_it_was(world, tmp_path):
    for room, name in (("302", "王志刚"), ("401", "赵丽华"), ("402", "陈志强")):
        member = ResidentFactory(
            household=HouseholdFactory(building=world.building_a, room=room),
            name=name,
            political_status=PoliticalStatus.MEMBER,
        )
        PartyMember.objects.create(
            resident=member, joined_on=date(1990, 7, 1), full_member_on=date(1991, 7, 1)
        )
    database = Database(tmp_path)
    before = database.checksums()
    assert before["party_partyorganisation"].rows == 0

    process = jinlin(
        database,
        tmp_path,
        *("party", "organize", "--area", "lv8", "--apply"),
        pause_after="jinlin.party.services.network:_save:2",  # the area's organisation and a branch
        report="SELECT count(*) FROM party_partyorganisation",
    )
    assert kill_halfway(database, process) == "2"  # written inside the transaction

    database.check_intact()
    assert database.checksums() == before
