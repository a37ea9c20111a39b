"""CPU time a request of the web path's pages costs the server, this tree against another
checkout of the project, alternating in one run (issue 18).

On a 2-core server under 16 connections, a page's CPU time a request is what sets its
throughput and so its latency (bench/web_path.py); wall-clock times move with whatever else
the machine runs, CPU time much less. Each round runs, in a fresh process for each tree, the
same requests through Django's full stack (test client, the secretary of the largest area,
the subdistrict admin) on the data of bench/fieldwork_pages.py, and reports CPU
milliseconds a request (`time.process_time`, after a warm-up); the rounds alternate between
the trees so that a busy minute falls on both.

    python bench/page_cpu.py --against /path/to/older/checkout      # e.g. a git worktree
    python bench/page_cpu.py                                        # this tree alone
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_fieldwork python bench/page_cpu.py ...

Both trees must run on the same database schema (the newer one's migrations applied; an
older tree ignores an index it does not know).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = (
    ("今日 (secretary)", "secretary", "/today/"),
    ("subdistrict overview", "admin", "/subdistrict/"),
    ("area dashboard", "secretary", "/areas/{area}/fieldwork/"),
    ("GET /api/v1/residents", "secretary", "/api/v1/residents"),
)


def child(tree: Path, var: str, requests: int) -> None:
    os.environ.setdefault("JINLIN_VAR", var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
    sys.path.insert(0, str(tree / "src"))
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from jinlin.core.models import Role, User
    from jinlin.people.models import Resident

    largest = Resident.objects.values("area_id").annotate(n=Count("id")).order_by("-n").first()
    users = {
        "secretary": User.objects.filter(area_id=largest["area_id"], role=Role.AREA_SECRETARY)
        .order_by("id")
        .first(),
        "admin": User.objects.filter(role=Role.SUBDISTRICT_ADMIN).order_by("id").first(),
    }
    result = {}
    for label, who, url in PAGES:
        client = Client()
        client.force_login(users[who])
        path = url.format(area=largest["area_id"])
        for _ in range(10):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        started = time.process_time()
        for _ in range(requests):
            client.get(path)
        result[label] = (time.process_time() - started) / requests * 1000
    print("PAGECPU " + json.dumps(result))


def measure(tree: Path, var: str, requests: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(tree), "--var", var, "--requests", str(requests)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("PAGECPU "))
    return json.loads(line.removeprefix("PAGECPU "))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--against", help="another checkout of the project (its root)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument(
        "--var", default=os.path.join(tempfile.gettempdir(), "jinlin-bench-fieldwork")
    )
    parser.add_argument("--quick", action="store_true", help="1 round of 20 requests")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.var, args.requests)
        return
    if args.quick:
        args.rounds, args.requests = 1, 20
    if "DATABASE_URL" not in os.environ and not (Path(args.var) / "jinlin.sqlite3").exists():
        if args.quick:  # `make bench` before the data exists: say so, do not fail the set
            print("page_cpu: skipped, no data yet (python bench/fieldwork_pages.py builds it)")
            return
        sys.exit("no data yet: run python bench/fieldwork_pages.py first")
    trees = {"this tree": ROOT}
    if args.against:
        trees = {"against": Path(args.against).resolve(), **trees}
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in trees}
    for _ in range(args.rounds):
        for name, tree in trees.items():
            for page, ms in measure(tree, args.var, args.requests).items():
                samples[name].setdefault(page, []).append(ms)
    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    )
    print(
        f"database: {database}; {args.rounds} round(s) of {args.requests} requests a page and "
        f"tree, CPU ms a request (median of the rounds)"
    )
    print(
        "  "
        + f"{'page':28}"
        + "".join(f"{name:>14}" for name in trees)
        + ("   ratio" if args.against else "")
    )
    for page, *_ in PAGES:
        medians = [statistics.median(samples[name][page]) for name in trees]
        ratio = f"   {medians[1] / medians[0]:.2f}x" if args.against else ""
        print("  " + f"{page:28}" + "".join(f"{m:>11.1f} ms" for m in medians) + ratio)
    if args.against:
        print(f"  (against: {trees['against']})")


if __name__ == "__main__":
    main()
