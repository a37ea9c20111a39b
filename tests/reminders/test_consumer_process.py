"""`jinlin serve` starts the queue's consumer as a child that dies with the server
(console.queue), even when the server dies without cleaning up."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state not in {"Z", "X"}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_consumer_dies_with_the_server(tmp_path):
    server = textwrap.dedent(
        """
        import os, time
        from jinlin.console.queue import start_consumer
        print(start_consumer().pid, flush=True)
        time.sleep(3)
        os._exit(0)  # killed: no clean-up of its children
        """
    )
    env = {
        **os.environ,
        "JINLIN_QUEUE_IMMEDIATE": "0",
        "JINLIN_QUEUE_FILE": str(tmp_path / "queue.sqlite3"),
        "JINLIN_VAR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "jinlin.settings",
    }
    process = subprocess.Popen(  # noqa: S603  (our interpreter, our script)
        [sys.executable, "-c", server], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    consumer = int(process.stdout.readline())
    time.sleep(1)
    assert _alive(consumer), "the consumer runs beside the server"
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(consumer) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(consumer), "the consumer outlived the server"


def test_serve_has_a_no_queue_switch():
    from jinlin.console.management.commands.serve import Command

    parser = Command().create_parser("jinlin", "serve")
    assert parser.parse_args(["--no-queue"]).no_queue


def test_the_command_runs_reminders_once(db, world, worker_in):
    from django.core.management import call_command

    from jinlin.core.models import Notification

    out = io.StringIO()
    call_command("reminders", "run", "--now", "2026-09-30T09:00+08:00", stdout=out)
    assert "发出 1 条" in out.getvalue()
    assert Notification.objects.filter(user=worker_in, kind="digest").count() == 1
    call_command("reminders", "run", "--now", "2026-09-30T09:05+08:00", stdout=out)
    assert Notification.objects.filter(user=worker_in, kind="digest").count() == 1


def test_the_command_refuses_a_bad_time(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="ISO"):
        call_command("reminders", "run", "--now", "明天早上")
