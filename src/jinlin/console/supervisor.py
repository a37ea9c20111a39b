"""`jinlin serve --supervise`: keep gunicorn running, and tell systemd it is alive.

gunicorn's master is a single process: when it dies (kill -9, an OOM kill), its workers notice
their parent is gone and leave, and the service is down until someone restarts it (issue 20).
The supervisor starts gunicorn in a process group of its own and

- restarts it when it exits, after killing whatever is left of its group (orphaned workers
  would otherwise hold the port);
- watches `/healthz`: after `failures` checks in a row without any answer it restarts gunicorn
  too (a master that is alive but hangs; a 503 while the database is down is an answer);
- speaks systemd's notify protocol when `NOTIFY_SOCKET` is set: READY=1 once `/healthz`
  answers, WATCHDOG=1 after every answer, so that `WatchdogSec=` in the unit restarts the
  supervisor itself if it stops checking (deploy/jinlin.service).

SIGTERM or SIGINT stops gunicorn gracefully (SIGTERM to its master) and then the supervisor.
No Django here: it only runs a command and reads a URL.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Watch:
    url: str
    interval: float = 2.0  # seconds between two checks
    timeout: float = 3.0  # seconds one check may take
    failures: int = 3  # checks in a row without an answer before a restart
    grace: float = 60.0  # seconds a fresh gunicorn has to answer for the first time


def healthy(url: str, timeout: float) -> bool:
    """gunicorn answers at all. A 503 (the database is down) or a 400 (a host not allowed)
    is an answer too: restarting gunicorn would not help, and would drop its requests."""
    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310  (our own http URL)
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def notify(message: str) -> None:
    """One datagram to systemd (sd_notify); nothing when not run by systemd."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return
    if address.startswith("@"):
        address = "\0" + address[1:]  # an abstract socket
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        try:
            sock.sendto(message.encode(), address)
        except OSError:
            return


def _kill_group(process: subprocess.Popen[bytes], sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        return


class Supervisor:
    def __init__(
        self,
        argv: Sequence[str],
        watch: Watch,
        say: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
    ) -> None:
        self.argv = list(argv)
        self.watch = watch
        self.say = say
        self.stopping = False
        self.restarts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        # A group of its own: a restart can clear orphaned workers with one signal. gunicorn
        # would speak to systemd too (READY=1 on every boot): only the supervisor does.
        env = {name: value for name, value in os.environ.items() if name != "NOTIFY_SOCKET"}
        return subprocess.Popen(self.argv, start_new_session=True, env=env)  # noqa: S603  (our gunicorn)

    def _stop(self, *_: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        ready_sent = False
        while not self.stopping:
            process = self._start()
            started = time.monotonic()
            answered = False
            misses = 0
            while not self.stopping:
                if process.poll() is not None:
                    self.say(f"gunicorn 已退出（{process.returncode}），正在重启")
                    break
                if healthy(self.watch.url, self.watch.timeout):
                    answered, misses = True, 0
                    if not ready_sent:
                        notify("READY=1")
                        ready_sent = True
                    notify("WATCHDOG=1")
                elif answered or time.monotonic() - started > self.watch.grace:
                    misses += 1
                    if misses >= self.watch.failures:
                        self.say(f"{self.watch.url} 连续 {misses} 次无应答，正在重启 gunicorn")
                        break
                self._sleep(self.watch.interval if answered else 0.2)
            if self.stopping:
                notify("STOPPING=1")
                _kill_group(process, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    _kill_group(process, signal.SIGKILL)
                _kill_group(process, signal.SIGKILL)  # workers a dead master left behind
                return 0
            _kill_group(process, signal.SIGKILL)
            process.wait()
            self.restarts += 1
        return 0

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < end:
            time.sleep(min(0.1, end - time.monotonic()))
