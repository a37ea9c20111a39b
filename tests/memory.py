"""How much a call raised the process's memory at its peak: Python's allocations (tracemalloc)
and the native ones it cannot see (python-calamine, Pillow, zlib), from the kernel's
high-water mark of the resident set, reset before the call (Linux: /proc/self/clear_refs)."""

from __future__ import annotations

import re
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

MB = 2**20
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Growth:
    python_bytes: int = 0
    resident_bytes: int = 0

    @property
    def peak_bytes(self) -> int:
        return max(self.python_bytes, self.resident_bytes)


def _status_kb(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    return int(found.group(1)) if found else 0


def _reset_high_water_mark() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@contextmanager
def peak_growth() -> Iterator[Growth]:
    """The peak, above what was in use when the block began, of the block's allocations."""
    growth = Growth()
    resident = _STATUS.exists() and _reset_high_water_mark()
    start_kb = _status_kb("VmRSS") if resident else 0
    tracemalloc.start()
    try:
        yield growth
    finally:
        growth.python_bytes = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if resident:
            growth.resident_bytes = (_status_kb("VmHWM") - start_kb) * 1024
