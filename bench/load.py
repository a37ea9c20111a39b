"""Load test: 50 community workers and anonymous readers against `jinlin serve` (gunicorn).

The server runs as in production: `jinlin serve` (gunicorn with a process a core and one more,
of one thread each, as it ships; DEBUG off) on the demo data with a year of fieldwork, behind
one trusted proxy (JINLIN_TRUSTED_PROXIES=1), so that each simulated person has its own client
address for the login lockout and the report rate limit. The load comes from locust
(`pip install -e '.[load]'`) in one process on the same machine; the people it simulates are
in bench/_load_users.py:

- workers log in through the login form, then open their today page, a resident of their
  patch, a search, and record visits through the visit form (weights 3:3:2:1);
- readers post woodpecker error reports to /api/v1/woodpecker/reports.

After the logins and 15 s of warm-up (the think mix, not reported), three phases: *think*
(workers pause 1–4 s between clicks, readers 5–15 s: the latency figures and the aim),
*saturate* (the same mix without pauses: the throughput the server can carry) and *trivial*
(the same users polling /healthz without pauses: the baseline). A meter samples who used the
cores in each phase: the server, its PostgreSQL backends, locust, and other work on the
machine. Afterwards every acknowledged write — each visit whose redirect named its id, each
report whose receipt came back — is looked up in the database.

    createdb -h 127.0.0.1 -U postgres jinlin_bench_load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_load python bench/load.py
    python bench/load.py --quick      # small demo on SQLite in a temporary directory, 10 s phases

The demo data is built on the first run and reused afterwards (--rebuild builds it again);
the writes of earlier runs stay in the database and are told apart by id. The script exits
non-zero when a request failed or an acknowledged write is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from _common import database_label, free_port, percentile, setup_django, start_jinlin

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
MIX = {"today": 3, "resident": 3, "search": 2, "visit": 1}
PAGES_PER_WORKER = 200  # households and residents each simulated worker picks from


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small demo, 10 workers, 10 s phases")
    parser.add_argument("--users", type=int, default=50, help="simulated community workers")
    parser.add_argument("--readers", type=int, default=10, help="simulated anonymous readers")
    parser.add_argument(
        "--pause",
        type=float,
        nargs=2,
        default=[1, 4],
        metavar=("LOW", "HIGH"),
        help="seconds a worker pauses between clicks in the think phase",
    )
    parser.add_argument("--warm", type=float, default=15, help="seconds of warm-up (not reported)")
    parser.add_argument("--think", type=float, default=120, help="seconds of the think phase")
    parser.add_argument("--saturate", type=float, default=45, help="seconds of the saturate phase")
    parser.add_argument("--trivial", type=float, default=30, help="seconds of the trivial phase")
    # As `jinlin serve` ships: a process a core and one more, one thread each (threads of a process
    # wait for each other's turns on the interpreter; docs/performance.md).
    parser.add_argument("--workers", type=int, default=None, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn process")
    parser.add_argument(
        "--scale", default=None, help="demo scale (default: district; quick: small)"
    )
    parser.add_argument("--rebuild", action="store_true", help="build the demo data again")
    parser.add_argument("--var", default=os.path.join(tempfile.gettempdir(), "jinlin-bench-load"))
    args = parser.parse_args()
    if args.quick:
        args.users, args.readers = min(args.users, 10), min(args.readers, 2)
        args.warm, args.think, args.saturate, args.trivial = 3, 10, 5, 5
        args.var = tempfile.mkdtemp(prefix="jinlin-bench-load-quick-")
    args.scale = args.scale or ("small" if args.quick else "district")
    if args.workers is None:
        from jinlin.console.workers import default_workers

        args.workers = default_workers()
    return args


def choose_database(args: argparse.Namespace) -> None:
    """The quick run uses SQLite in its own directory; the full run PostgreSQL (created if missing)."""
    if args.quick:
        os.environ.pop("DATABASE_URL", None)
        return
    url = os.environ.setdefault(
        "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jinlin_bench_load"
    )
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if args.rebuild:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')


def prepare_data(args: argparse.Namespace) -> None:
    """Demo data with a year of fieldwork, built once."""
    from django.core.management import call_command
    from django.db import connection

    from jinlin.demo.fieldwork import generate_fieldwork
    from jinlin.demo.generator import generate
    from jinlin.places.models import Subdistrict

    call_command("migrate", verbosity=0)
    if Subdistrict.objects.exists():
        return
    started = time.perf_counter()
    generate(scale=args.scale, seed=2026)
    generate_fieldwork(seed=2026, days=365)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"demo data ({args.scale}, a year of fieldwork) built in {time.perf_counter() - started:.0f} s"
    )


def choose_workers(count: int) -> list[object]:
    """`count` workers with a patch: the demo's own first, then new ones on the largest compounds."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from jinlin.core.models import Role, User
    from jinlin.demo.generator import DEMO_PASSWORD
    from jinlin.places.models import Compound

    workers = list(
        User.objects.filter(role=Role.WORKER, is_active=True, patch_compounds__isnull=False)
        .distinct()
        .order_by("id")[:count]
    )
    compounds = list(
        Compound.objects.annotate(n=Count("buildings__households")).order_by("-n", "id")
    )
    for index in range(len(workers), count):
        compound = compounds[index % len(compounds)]
        worker, _ = User.objects.update_or_create(
            username=f"load-worker-{index + 1:02d}",
            defaults={"role": Role.WORKER, "area_id": compound.area_id, "is_active": True},
        )
        worker.patch_compounds.set([compound])
        workers.append(worker)
    # One hash for all (Argon2 costs ~0.4 s a hash); then the login form works for each.
    User.objects.filter(pk__in=[w.pk for w in workers]).update(
        password=make_password(DEMO_PASSWORD)
    )
    return workers


def worker_plan(worker: object, index: int, rng: random.Random) -> dict[str, object]:
    """What one simulated worker visits: households, residents and searches of its patch."""
    from jinlin.people.models import LifeStatus, Resident
    from jinlin.places.models import Household

    compounds = list(worker.patch_compounds.values_list("id", flat=True))  # type: ignore[attr-defined]
    households = list(
        Household.objects.filter(compound_id__in=compounds).values_list("id", flat=True)
    )
    residents = list(
        Resident.objects.filter(compound_id__in=compounds, status=LifeStatus.CURRENT)
        .select_related("household__building")
        .order_by("?")[:PAGES_PER_WORKER]
    )
    searches = []
    for resident in residents[:40]:
        searches += [
            resident.name,
            resident.name[1:] if len(resident.name) > 2 else resident.name,
            resident.name_initials,
            resident.phone_tail,
            f"{resident.household.building.number}号楼{resident.household.room}",
        ]
    return {
        "username": worker.username,  # type: ignore[attr-defined]
        "address": f"198.19.255.{index + 1}",
        "households": rng.sample(households, min(PAGES_PER_WORKER, len(households))),
        "residents": [r.pk for r in residents],
        "searches": [s for s in searches if s],
    }


def report_plan(rng: random.Random) -> list[dict[str, object]]:
    """Reports readers may send now: articles of issues out already whose round is still open."""
    from django.utils import timezone

    from jinlin.woodpecker.models import Article

    now = timezone.now()
    articles = [
        article
        for article in Article.objects.select_related("page__issue__round").filter(
            page__issue__published_on__lte=timezone.localdate()
        )
        if article.page.issue.round.is_open_at(now) and len(article.text) > 40
    ]
    if not articles:
        sys.exit("no issue is open for reports in the demo data (see demo/newspaper.py)")
    reports = []
    for article in rng.sample(articles, min(30, len(articles))):
        start = rng.randrange(0, len(article.text) - 20)
        quoted = article.text[start : start + rng.randint(6, 14)].strip() or article.text[:10]
        reports.append(
            {
                "issue_id": article.page.issue_id,
                "page": article.page.number,
                "article_id": article.pk,
                "quoted": quoted,
                "correction": quoted[:-1] + ("的" if quoted[-1] != "的" else "地"),
            }
        )
    return reports


def start_server(args: argparse.Namespace, port: int) -> subprocess.Popen[bytes]:
    return start_jinlin(
        port,
        os.environ["JINLIN_VAR"],
        ["--workers", str(args.workers), "--threads", str(args.threads)],
        {"JINLIN_TRUSTED_PROXIES": "1"},
        "server.log",
    )


class CpuMeter(threading.Thread):
    """Samples, every second, the CPU seconds used by the whole machine, the server (gunicorn),
    the PostgreSQL backends of the bench's database and locust: who had the two cores."""

    def __init__(self, server_pid: int, database: str) -> None:
        super().__init__(daemon=True)
        import psutil  # comes with locust

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.database = database
        self.locust: object | None = None
        self.samples: list[tuple[float, float, float, float, float]] = []
        self.used: dict[str, dict[int, float]] = {"server": {}, "database": {}, "locust": {}}
        self.stopped = threading.Event()

    def add(self, kind: str, process: object, times: object) -> None:
        # Per process, its latest total: a backend or worker that exits keeps what it used.
        self.used[kind][process.pid] = times.user + times.system  # type: ignore[attr-defined]

    def measure(self) -> tuple[float, float, float]:
        for kind, root in (("server", self.server), ("locust", self.locust)):
            if root is None:
                continue
            try:
                family = [root, *root.children(recursive=True)]  # type: ignore[attr-defined]
            except self.psutil.Error:
                family = []
            for process in family:
                try:
                    self.add(kind, process, process.cpu_times())
                except self.psutil.Error:
                    continue
        if self.database:
            for process in self.psutil.process_iter(["name", "cmdline", "cpu_times"]):
                cmdline = " ".join(process.info["cmdline"] or [])
                if process.info["name"] == "postgres" and f" {self.database} " in cmdline:
                    self.add("database", process, process.info["cpu_times"])
        return tuple(sum(self.used[kind].values()) for kind in ("server", "database", "locust"))  # type: ignore[return-value]

    def run(self) -> None:
        while not self.stopped.wait(1.0):
            machine = self.psutil.cpu_times()
            busy = sum(machine) - machine.idle - getattr(machine, "iowait", 0.0)
            self.samples.append((time.time(), busy, *self.measure()))

    def share(self, start: float, end: float, requests: int) -> str:
        """Who used the cores between two moments (percent of all cores), and the server's and
        its database's CPU per request: the figures other work on the machine does not blur."""
        inside = [s for s in self.samples if start <= s[0] <= end]
        if len(inside) < 2:
            return "CPU: too few samples"
        first, last = inside[0], inside[-1]
        capacity = (last[0] - first[0]) * (os.cpu_count() or 1) / 100
        busy, server, database, locust = (last[i] - first[i] for i in range(1, 5))
        other = busy - server - database - locust
        per_request = requests * (last[0] - first[0]) / (end - start) / 1000
        if not self.database:  # SQLite: the database works inside the server's processes
            return (
                f"CPU of {os.cpu_count()} cores: {busy / capacity:.0f}% busy — server with SQLite "
                f"{server / capacity:.0f}%, locust {locust / capacity:.0f}%, other work on the "
                f"machine {max(0.0, other) / capacity:.0f}%\n"
                f"  CPU per request: server with SQLite {server / per_request:.1f} ms"
            )
        return (
            f"CPU of {os.cpu_count()} cores: {busy / capacity:.0f}% busy — server {server / capacity:.0f}%, "
            f"its PostgreSQL {database / capacity:.0f}%, locust {locust / capacity:.0f}%, "
            f"other work on the machine {max(0.0, other) / capacity:.0f}%\n"
            f"  CPU per request: server {server / per_request:.1f} ms, "
            f"PostgreSQL {database / per_request:.1f} ms"
        )


def run_locust(
    args: argparse.Namespace, port: int, plan: dict[str, object], meter: CpuMeter
) -> dict:  # type: ignore[type-arg]
    var = Path(os.environ["JINLIN_VAR"])
    plan_path = var / "load-plan.json"
    plan_path.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    users = args.users + args.readers
    # A hard stop well after the phases (the logins come first and take their time).
    budget = args.warm + args.think + args.saturate + args.trivial + 300
    with open(var / "locust.log", "wb") as log:
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                "-f",
                str(HERE / "_load_users.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--host",
                f"http://127.0.0.1:{port}",
                "--run-time",
                f"{int(budget)}s",
                "--stop-timeout",
                "30",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "JINLIN_LOAD_PLAN": str(plan_path)},
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=HERE,
        )
        meter.locust = meter.psutil.Process(locust.pid)
        returncode = locust.wait()
    output = Path(plan["output"])  # type: ignore[arg-type]
    if not output.exists():
        sys.exit(f"locust wrote no results (exit {returncode}); see {var / 'locust.log'}")
    return json.loads(output.read_text(encoding="utf-8"))


def print_phase(
    title: str, rows: list[list[object]], seconds: float | None, cpu: str = ""
) -> tuple[float, float]:
    """One table per phase; returns the phase's overall requests/second and p95."""
    by_name: dict[str, list[list[object]]] = defaultdict(list)
    for row in rows:
        by_name[str(row[0])].append(row)
    print(f"\n{title}")
    print(f"  {'request':<26} {'n':>6} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'errors':>7}")
    overall = (0.0, 0.0)
    for name, group in [*sorted(by_name.items()), ("overall", rows)]:
        times = [float(r[3]) for r in group]  # type: ignore[arg-type]
        errors = sum(1 for r in group if not r[4])
        rate = len(group) / seconds if seconds else 0.0
        rate_text = f"{rate:7.1f}" if seconds else " " * 7
        p95 = percentile(times, 0.95)
        print(
            f"  {name:<26} {len(group):6d} {rate_text} {percentile(times, 0.5):6.0f}ms "
            f"{p95:6.0f}ms {percentile(times, 0.99):6.0f}ms {100 * errors / len(group):6.2f}%"
        )
        overall = (rate, p95)
    if cpu:
        print(f"  {cpu}")
    return overall


def main() -> None:
    args = parse_args()
    if not (BIN / "locust").exists():
        sys.exit("locust is not installed: pip install -e '.[load]'")
    os.environ["JINLIN_VAR"] = args.var
    Path(args.var).mkdir(parents=True, exist_ok=True)
    choose_database(args)
    setup_django(args.var)
    from django.db import connection
    from django.utils import timezone

    from jinlin.demo.generator import DEMO_PASSWORD
    from jinlin.fieldwork.models import Visit
    from jinlin.people.models import Resident
    from jinlin.woodpecker.models import Report

    prepare_data(args)
    rng = random.Random(7)
    workers = choose_workers(args.users)
    plan = {
        "workers_count": args.users,
        "readers_count": args.readers,
        "workers": [worker_plan(w, i, rng) for i, w in enumerate(workers)],
        "reports": report_plan(rng),
        "password": DEMO_PASSWORD,
        "today": str(timezone.localdate()),
        "mix": list(MIX.values()),
        "worker_think": args.pause,
        "reader_think": [5, 15],
        "phases": [
            ["warm", args.warm],
            ["think", args.think],
            ["saturate", args.saturate],
            ["trivial", args.trivial],
        ],
        "output": str(Path(args.var) / "load-results.json"),
    }
    last_visit = Visit.objects.order_by("-id").values_list("id", flat=True).first() or 0
    last_report = Report.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(
        f"database: {database_label()}; {Resident.objects.count():,} residents, "
        f"{Visit.objects.count():,} visits; server: jinlin serve (gunicorn, {args.workers} workers "
        f"× {args.threads} threads); load: locust, {args.users} workers + {args.readers} readers, same machine "
        f"({os.cpu_count()} cores)"
    )
    connection.close()
    port = free_port()
    server = start_server(args, port)
    url = os.environ.get("DATABASE_URL", "")
    meter = CpuMeter(server.pid, url.rsplit("/", 1)[1] if url.startswith("postgres") else "")
    meter.start()
    try:
        results = run_locust(args, port, plan, meter)
    finally:
        meter.stopped.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)

    samples = results["samples"]
    logins = [s for s in samples if s[1] == "wait"]
    if logins:
        print_phase("logins (login page and form, all workers at once; Argon2)", logins, None)
    figures = {}
    start = results["t0"] + args.warm
    for name, seconds in plan["phases"][1:]:
        rows = [s for s in samples if s[1] == name]
        if not rows:
            sys.exit(f"no request was recorded in the {name} phase; see {args.var}/locust.log")
        label = {
            "think": f"think: workers pause {args.pause[0]:g}–{args.pause[1]:g} s between clicks, "
            "readers 5–15 s",
            "saturate": "saturate: the same mix without pauses",
            "trivial": "trivial: the same users polling /healthz without pauses (baseline)",
        }[name]
        cpu = meter.share(start, start + seconds, len(rows))
        figures[name] = print_phase(f"{label} — {seconds:.0f} s", rows, seconds, cpu)
        start += seconds
    trivial = sum(1 for s in samples if s[1] == "trivial" and s[0] == "healthz (trivial)")
    trivial_rate = trivial / args.trivial
    print(
        f"\nthroughput of the mix / trivial view (both without pauses): {figures['saturate'][0]:.1f} / "
        f"{trivial_rate:.1f} req/s = {figures['saturate'][0] / trivial_rate:.2f}"
    )
    errors = sum(1 for s in samples if not s[4])
    aim_met = figures["think"][1] < 250 and not errors
    print(
        f"aim (no errors, p95 under 250 ms in the think phase): {'met' if aim_met else 'NOT met'}"
        f" ({errors} errors in all phases)"
    )

    visits, receipts = results["visits"], results["receipts"]
    stored_visits = Visit.objects.filter(pk__in=visits).count()
    new_visits = Visit.objects.filter(pk__gt=last_visit).count()
    stored_reports = Report.objects.filter(receipt__in=receipts).count()
    new_reports = Report.objects.filter(pk__gt=last_report).count()
    print(
        f"writes acknowledged → in the database: visits {len(visits)} → {stored_visits} "
        f"(new rows {new_visits}), reports {len(receipts)} → {stored_reports} (new rows {new_reports})"
    )
    lost = len(visits) - stored_visits + len(receipts) - stored_reports
    print(f"lost acknowledged writes: {lost}")
    if lost or errors:
        sys.exit(1)
    if args.quick:  # a smoke test leaves nothing behind when it passes
        shutil.rmtree(args.var, ignore_errors=True)


if __name__ == "__main__":
    main()
