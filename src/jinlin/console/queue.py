"""The task queue's consumer beside the web server: `jinlin serve` starts `run_huey` as a child
that dies with it (Linux: the kernel sends it SIGTERM when its parent, gunicorn after exec or the
supervisor, exits)."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Runs in the child between fork and exec."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's stop still ends it
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(0)


def start_consumer() -> subprocess.Popen[bytes]:
    parent = os.getpid()
    env = {name: value for name, value in os.environ.items() if name != "NOTIFY_SOCKET"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
    return subprocess.Popen(  # noqa: S603  (our own interpreter running our consumer)
        [sys.executable, "-m", "django", "run_huey"],
        env=env,
        preexec_fn=lambda: _die_with_parent(parent),  # noqa: PLW1509  (only prctl, no locks)
    )


def stop_consumer(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
