"""Read-only pages read from a replica; everything else, and a user who just wrote, the primary.

A real server (gunicorn) runs with DATABASE_URL on the test's PostgreSQL database and
DATABASE_REPLICA_URL on a copy of it taken before a resident was added: a stale replica, as a
lagging standby is. What the pages show tells which database each read. PostgreSQL only, like
the two-server test; the router's rules are also tested without a server below.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection, transaction

from jinlin.core import replica
from tests.core.test_supervisor import free_port, wait_healthy
from tests.core.test_two_servers import GUNICORN, ROOT, _database_url, sign_in
from tests.factories import ResidentFactory

PASSWORD = "correct-horse-battery"
PIN_SECONDS = 2


def _server_url(name: str) -> str:
    return _database_url().rsplit("/", 1)[0] + "/" + quote(name)


@pytest.fixture
def stale_replica() -> Iterator[str]:
    """A copy of the test database as it is now, under another name; dropped after."""
    primary = connection.settings_dict["NAME"]
    name = f"{primary}_replica"
    # CREATE DATABASE … TEMPLATE needs the template to have no other session: this thread's is
    # closed; idle ones left by earlier tests' threads in this process are ended.
    connection.close()
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for _ in range(50):
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [primary],
            )
            try:
                admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary}"')
                break
            except psycopg.errors.ObjectInUse:
                time.sleep(0.1)  # an ended session takes a moment to leave
        else:
            pytest.fail(f"{primary} stayed in use: cannot copy it as a replica")
    yield _server_url(name)
    with psycopg.connect(_server_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(tmp_path: Path, stale_replica: str) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "jinlin.settings",
        "DATABASE_URL": _database_url(),
        "DATABASE_REPLICA_URL": stale_replica,
        "JINLIN_REPLICA_PIN_SECONDS": str(PIN_SECONDS),
        "JINLIN_QUEUE_IMMEDIATE": "1",
        "JINLIN_VAR": str(tmp_path / "var"),
        "DEBUG": "0",
    }
    argv = [GUNICORN, "jinlin.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", "1", "--threads", "2", "--chdir", str(tmp_path)]
    process = subprocess.Popen(  # noqa: S603  (the test's own gunicorn)
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(f"{url}/healthz", within=30)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a replica is a PostgreSQL standby: runs on CI's PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.two_servers
def test_read_only_pages_read_the_replica_until_the_user_writes(world, secretary, request):
    secretary.password = PBKDF2PasswordHasher().encode(PASSWORD, "replica", iterations=1000)
    secretary.save(update_fields=["password"])
    url = request.getfixturevalue("server")  # the replica is copied now, before the newcomer
    newcomer = ResidentFactory(household=world.household_a, name="钱主库")

    client, answer = sign_in(url, secretary.username, PASSWORD)
    assert answer.status_code == 302, answer.text[:300]

    def found(query: str, resident) -> bool:
        page = client.get(f"{url}/search/", params={"q": query}, timeout=10)
        assert page.status_code == 200
        return f"/residents/{resident.pk}/" in page.text

    # Just signed in (a write): every page reads the primary, the search finds the newcomer.
    assert found("钱主库", newcomer)

    time.sleep(PIN_SECONDS + 0.5)
    # The search page now reads the replica, which has everyone but the newcomer ...
    assert not found("钱主库", newcomer)
    assert found("张建国", world.resident)
    # ... while a page not marked for the replica reads the primary.
    detail = client.get(f"{url}/residents/{newcomer.pk}/", timeout=10)
    assert detail.status_code == 200 and "钱主库" in detail.text

    # Who may see what is decided on the primary: moved to another area (only on the
    # primary), the secretary no longer sees this area on a replica page either.
    secretary.area = world.other_area
    secretary.save(update_fields=["area"])
    assert not found("张建国", world.resident)


def test_the_router_sends_reads_to_the_replica_only_when_asked_and_outside_transactions(
    monkeypatch,
):
    router = replica.ReplicaRouter()
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    assert router.db_for_read(None) is None
    with replica.reading_replica():
        assert router.db_for_read(None) == replica.REPLICA
        assert router.db_for_write(None) == "default"
    assert router.db_for_read(None) is None
    assert router.allow_migrate("replica", "people") is False
    assert router.allow_migrate("default", "people") is True


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_stay_on_the_primary(monkeypatch):
    router = replica.ReplicaRouter()
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    with replica.reading_replica(), transaction.atomic():
        assert router.db_for_read(None) is None


def test_without_a_replica_nothing_is_routed():
    with replica.reading_replica():
        assert replica.ReplicaRouter().db_for_read(None) is None
