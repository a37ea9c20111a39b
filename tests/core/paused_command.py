"""`python -m tests.core.paused_command ARGS…` runs `jinlin ARGS…`, stopping it inside its work.

JINLIN_PAUSE_AFTER="module:attribute:N" wraps that function (or Class.method): when its N-th
call returns, the process prints `PAUSED <JINLIN_PAUSE_REPORT's answer> <in a transaction?>`
and sleeps, still inside the command's transaction, until the test kills it. Without this a
test could only guess when a kill lands "halfway through the writing".
"""

from __future__ import annotations

import importlib
import os
import sys
import time
from typing import Any


def _pause_after(target: str) -> None:
    module_name, attribute, count = target.split(":")
    *path, name = attribute.split(".")
    owner: Any = importlib.import_module(module_name)
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    calls = 0

    def paused(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = original(*args, **kwargs)
        calls += 1
        if calls == int(count):
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(os.environ.get("JINLIN_PAUSE_REPORT", "SELECT 0"))
                (seen,) = cursor.fetchone()
            print("PAUSED", seen, connection.in_atomic_block, flush=True)
            time.sleep(300)
        return result

    setattr(owner, name, paused)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
    import django

    django.setup()
    _pause_after(os.environ["JINLIN_PAUSE_AFTER"])
    from jinlin.cli import main as jinlin

    jinlin(sys.argv[1:])


if __name__ == "__main__":
    main()
