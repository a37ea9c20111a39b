"""`jinlin serve --supervise`: after kill -9 of gunicorn's master the service answers again
within 10 s, a hung gunicorn is restarted, and systemd hears READY and WATCHDOG (issue 20).

The supervisor runs in a process of its own (it owns its signals) around a real gunicorn
serving a one-page application, so these tests need no database.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from jinlin.console import supervisor as supervisor_module
from jinlin.console.supervisor import healthy

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_supervisor(port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    argv = [GUNICORN, "tests.core.probe_wsgi:application", "--bind", f"127.0.0.1:{port}"]
    argv += ["--workers", "2", "--chdir", str(ROOT)]
    code = (
        "import sys; from jinlin.console.supervisor import Supervisor, Watch; "
        f"sys.exit(Supervisor({argv!r}, Watch(url='http://127.0.0.1:{port}/healthz', "
        "interval=0.3, timeout=1.0, failures=3, grace=20)).run())"
    )
    return subprocess.Popen(  # noqa: S603  (the test's own command)
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_healthy(url: str, within: float) -> float:
    """Seconds until the URL answers; fails the test after `within`."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if healthy(url, timeout=0.5):
            return time.monotonic() - start
        time.sleep(0.1)
    pytest.fail(f"{url} did not answer within {within} s")


def gunicorn_master(supervisor: subprocess.Popen[bytes]) -> int | None:
    """The supervisor's one child, or None between a death and the restart."""
    children = Path(f"/proc/{supervisor.pid}/task/{supervisor.pid}/children").read_text().split()
    assert len(children) <= 1, children
    return int(children[0]) if children else None


def stop(supervisor: subprocess.Popen[bytes]) -> None:
    supervisor.send_signal(signal.SIGTERM)
    try:
        supervisor.wait(timeout=30)
    except subprocess.TimeoutExpired:
        supervisor.kill()


def test_after_kill_9_of_the_master_the_service_answers_again_within_10_seconds():
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    supervisor = start_supervisor(port)
    try:
        wait_healthy(url, within=30)
        master = gunicorn_master(supervisor)
        assert master is not None
        killed = time.monotonic()
        os.kill(master, signal.SIGKILL)
        # The old workers may answer for a moment before they notice; the service is back
        # when a new master runs and answers.
        while time.monotonic() - killed < 10 and gunicorn_master(supervisor) in (master, None):
            time.sleep(0.1)
        wait_healthy(url, within=10 - (time.monotonic() - killed))
        assert time.monotonic() - killed < 10
        assert gunicorn_master(supervisor) not in (master, None)
    finally:
        stop(supervisor)
    assert supervisor.returncode == 0
    assert not healthy(url, timeout=0.5), "stopping the supervisor stops gunicorn too"


def test_a_hung_gunicorn_is_restarted_when_healthz_stops_answering():
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    supervisor = start_supervisor(port)
    try:
        wait_healthy(url, within=30)
        master = gunicorn_master(supervisor)
        assert master is not None
        os.killpg(master, signal.SIGSTOP)  # master and workers hang, the port stays taken
        stopped = time.monotonic()
        # Three missed checks (1 s each), a kill and a fresh boot: well inside 30 s.
        while time.monotonic() - stopped < 30 and gunicorn_master(supervisor) in (master, None):
            time.sleep(0.1)
        wait_healthy(url, within=30 - (time.monotonic() - stopped))
        assert gunicorn_master(supervisor) not in (master, None)
    finally:
        stop(supervisor)


def test_systemd_hears_ready_then_watchdog(tmp_path):
    port = free_port()
    address = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as listener:
        listener.bind(address)
        listener.settimeout(30)
        supervisor = start_supervisor(port, env={"NOTIFY_SOCKET": address})
        try:
            heard = [listener.recv(100).decode() for _ in range(3)]
        finally:
            stop(supervisor)
    assert heard[0] == "READY=1"
    assert heard[1:] == ["WATCHDOG=1", "WATCHDOG=1"]


@pytest.mark.django_db
def test_serve_supervise_watches_its_own_address(monkeypatch):
    seen = {}

    class Recorder:
        def __init__(self, argv, watch):
            seen["argv"], seen["watch"] = argv, watch

        def run(self) -> int:
            return 0

    monkeypatch.setattr(
        "jinlin.console.management.commands.serve.Supervisor", Recorder, raising=True
    )
    monkeypatch.setattr("jinlin.console.management.commands.serve.call_command", lambda *a, **k: 0)
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("serve", supervise=True, host="0.0.0.0", port=8123, stdout=out)  # noqa: S104
    assert exit_.value.code == 0
    assert seen["watch"].url == "http://127.0.0.1:8123/healthz"
    assert "0.0.0.0:8123" in seen["argv"] and "jinlin.wsgi:application" in seen["argv"]
    assert "守护模式" in out.getvalue()
    assert supervisor_module.Watch(url="x").failures == 3
