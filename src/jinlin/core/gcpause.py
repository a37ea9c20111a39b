"""Pausing Python's cyclic garbage collector around a bulk job (no Django here).

A bulk job such as the import makes hundreds of thousands of small containers (row values,
lists of problems, query results) that it keeps until it ends. Each time enough of them
are made the collector walks every young object again, and at 100,000 rows those walks
cost more than a second of a ten-second import. Reference counting still frees everything
that is not in a cycle while the collector is paused; cycles made meanwhile are collected
once it runs again.

The collector is one switch for the whole process, and a web worker may run two jobs in
two threads: pauses are counted, and the collector is switched back on when the last one
ends, and only if it was on when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic collection while the block runs (reference counting goes on)."""
    global _depth, _was_enabled  # noqa: PLW0603 - one switch for the process, counted
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
