"""How many gunicorn processes `jinlin serve` starts when none are asked for (no Django here:
the benches read it before Django is set up)."""

from __future__ import annotations

import os


def default_workers() -> int:
    """Two processes a core the process may use, 2 to 8, one thread each: threads of one
    process take turns on one interpreter, and under load a request waits for the others'
    turns (docs/performance.md, "The web path under gunicorn"); a second process a core
    leaves the others a process while one serves a slow request (an upload's import)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(max(2 * (cores or 1), 2), 8)
