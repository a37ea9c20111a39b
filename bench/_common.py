"""Helpers shared by the benchmarks: Django set-up on a chosen database, timing summaries."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def setup_django(var_dir: str) -> None:
    """Use a benchmark database of its own (SQLite under var_dir unless DATABASE_URL is set)."""
    os.environ.setdefault("JINLIN_VAR", var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def time_calls(call: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(label: str, samples: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms, "
        f"n={len(samples)}"
    )


def database_label() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return "PostgreSQL" if engine.startswith("postgres") else "SQLite"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_jinlin(
    port: int, var: str, options: list[str], environment: dict[str, str], log_name: str
) -> subprocess.Popen[bytes]:
    """`jinlin serve` as a deployment runs it (DEBUG off) on the bench's data, its output in
    var/log_name; returns once /healthz answers (or exits after 120 s)."""
    env = {**os.environ, **environment, "JINLIN_VAR": var, "DEBUG": "0"}
    log = open(Path(var) / log_name, "wb")  # noqa: SIM115 - the server's lifetime
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jinlin"), "serve", "--port", str(port), *options],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"the server did not answer within 120 s; see {log.name}")
