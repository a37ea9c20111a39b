"""How many gunicorn processes `jinlin serve` starts when none are asked for (no Django here:
the benches read it before Django is set up)."""

from __future__ import annotations

import os


def default_workers() -> int:
    """A process a core the process may use and one more, 2 to 8, one thread each: threads of
    one process take turns on one interpreter, and under load a request waits for the others'
    turns (docs/performance.md, "The web path under gunicorn"); the one more leaves the cores
    served while a process waits on a slow request (an upload's import). Two a core cost more
    CPU a request than they saved in waits where the database shares the cores (今日 on
    PostgreSQL: 97–109 requests/s with 4 on 2 cores, 107–124 with 3, in alternate runs)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(max((cores or 1) + 1, 2), 8)
