"""How long `jinlin demo --scale district` takes, against a raw bulk insert of as many rows.

Baseline: inserting the same number of bare rows (one table, no indexes, one transaction)
with the database driver directly, in the same run: the floor any generator sits on.
The process's resident memory is sampled after every area: with `--scale city` (millions
of residents) it must stay flat while the residents grow (the generator streams).

    python bench/demo_generation.py                 # district scale (~100,000 residents)
    python bench/demo_generation.py --scale city    # ~1.7 million residents, memory trace
    python bench/demo_generation.py --quick         # small scale, for CI
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time

from _common import database_label, setup_django


def rss_mb() -> float:
    """The process's resident set now (not its peak), from /proc."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", choices=["small", "district", "city"], default="district")
    args = parser.parse_args()
    scale = "small" if args.quick else args.scale
    var_dir = tempfile.mkdtemp(prefix="jinlin-bench-demo-")
    setup_django(var_dir)
    from django.core.management import call_command
    from django.db import connection, transaction

    from jinlin.demo.generator import Report, generate
    from jinlin.people.models import Resident

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    trace: list[tuple[int, float, float]] = []  # residents, seconds, resident memory (MB)

    def sample(running: Report) -> None:
        trace.append((running.residents, time.perf_counter() - started, rss_mb()))

    report = generate(scale=scale, seed=2026, after_area=sample)
    demo_seconds = time.perf_counter() - started
    residents = Resident.objects.count()

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_rows (id integer primary key, name varchar(50), born date, code varchar(18))"
        )
        rows = [(i, "张三", "1950-01-01", f"{i:018d}") for i in range(residents)]
        cursor.executemany("INSERT INTO bench_rows VALUES (%s, %s, %s, %s)", rows)
        cursor.execute("DROP TABLE bench_rows")
    raw_seconds = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {database_label()}, scale: {scale}")
    print(
        f"demo data: {report.areas} areas, {report.compounds} compounds, {report.buildings} buildings, "
        f"{report.households} households, {residents} residents, {report.party_members} Party members"
    )
    print(
        f"demo generation: {demo_seconds:.1f} s ({residents / demo_seconds:,.0f} residents/s), peak memory {peak_mb:.0f} MB"
    )
    print(f"baseline raw insert of {residents} bare rows: {raw_seconds:.2f} s")
    print(f"ratio demo / raw insert: {demo_seconds / raw_seconds:.1f}x")
    print("memory while generating (resident set after the area that passed each mark):")
    marks = [len(trace) * k // 8 - 1 for k in range(1, 9)]
    for index in sorted({m for m in marks if m >= 0}):
        residents_so_far, seconds, mb = trace[index]
        print(f"  {residents_so_far:>9,} residents  {seconds:7.1f} s  {mb:6.0f} MB")
    shutil.rmtree(var_dir, ignore_errors=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
