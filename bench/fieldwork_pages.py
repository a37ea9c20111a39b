"""Server time and SQL queries of the fieldwork pages on district-scale data, at two data sizes.

District demo (40 areas, ~100,000 residents) plus generated fieldwork, in two steps: first the
last 36 days (~10% of the data), then the 329 days before them (a year in all: ~500,000 visits,
50,000 cases). After each step: the worker's today page, the secretary's today page (the whole
area's due list), the area dashboard, the subdistrict overview (every area's due list at
once) and the secretary's first pages of 民声 and 个案, through Django's full stack (test client), against a baseline measured in the same run:
a trivial login-required view (session and user loading, middleware, no template). The query count of each page must not change between the two sizes.

    python bench/fieldwork_pages.py                       # SQLite under /tmp (JINLIN_VAR)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_fieldwork python bench/fieldwork_pages.py
    python bench/fieldwork_pages.py --quick               # small scale, for `make bench`

The district demo is built once per database and kept (a copy of the SQLite file, or a template
database on PostgreSQL); the fieldwork is generated afresh on every run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import types
from datetime import timedelta
from pathlib import Path

from _common import database_label, percentile, setup_django

RECENT_DAYS = 36
OLDER_DAYS = 329


def prepare_database(args: argparse.Namespace) -> Path | None:
    """Start from a kept copy of the demo (SQLite file or PostgreSQL template); None if there is none yet."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        base = f"{name}_base"
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [base]
            ).fetchone()
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(
                f'CREATE DATABASE "{name}"'
                + (f' TEMPLATE "{base}"' if exists and not args.rebuild else "")
            )
        return Path(base) if exists and not args.rebuild else None
    var = Path(os.environ["JINLIN_VAR"])
    var.mkdir(parents=True, exist_ok=True)
    base = var / "district_base.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        (var / f"jinlin.sqlite3{suffix}").unlink(missing_ok=True)
    if base.exists() and not args.rebuild:
        shutil.copyfile(base, var / "jinlin.sqlite3")
        return base
    return None


def keep_base() -> None:
    """Keep the freshly generated demo for the next run."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        name = url.rsplit("/", 1)[1]
        connection.close()
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}_base"')
            admin.execute(f'CREATE DATABASE "{name}_base" TEMPLATE "{name}"')
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    var = Path(os.environ["JINLIN_VAR"])
    shutil.copyfile(var / "jinlin.sqlite3", var / "district_base.sqlite3")


def install_baseline_urls() -> None:
    """The site's URLs plus /bench/trivial/: login required, no template, no query of its own."""
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_fieldwork_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/trivial/", login_required(lambda request: HttpResponse("ok"))),
        path("", include("jinlin.urls")),
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def count_queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection

    queries: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200
    return len(queries)


def measure(
    label: str,
    pages: list[tuple[str, object, str, int | None]],
    baseline: tuple[object, str],
    repeat: int,
) -> None:
    from jinlin.places.figures import bump_areas

    base_client, base_url = baseline
    rows = []
    for name, client, url, changed in [
        *pages,
        ("baseline (trivial view)", base_client, base_url, None),
    ]:
        # "… changed": a write in that area before each look (what the area keeps — its
        # overview figures, its due visits — computed again); the write is outside the timing.
        client.get(url)  # warm caches and connection
        if changed is not None:
            bump_areas([changed])
        queries = count_queries(client, url)
        samples = []
        for _ in range(repeat):
            if changed is not None:
                bump_areas([changed])
            started = time.perf_counter()
            client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
        rows.append((name, statistics.median(samples), percentile(samples, 0.95), queries))
    base_median = rows[-1][1]
    print(f"\n{label}")
    print(f"  {repeat} requests each")
    print(f"  {'page':<34} {'median':>8} {'p95':>8} {'× baseline':>11} {'queries':>8}")
    for name, median, p95, queries in rows:
        print(
            f"  {name:<34} {median:7.1f}ms {p95:7.1f}ms {median / base_median:10.1f}x {queries:8d}"
        )


def counts() -> str:
    from jinlin.fieldwork.models import Case, Concern, Finding, Visit
    from jinlin.people.models import Resident

    return (
        f"{Resident.objects.count()} residents, {Visit.objects.count()} visits, {Concern.objects.count()} concerns, "
        f"{Case.objects.count()} cases, {Finding.objects.count()} patrol findings"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small scale, few repetitions")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true", help="build the district demo again")
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the data left by the last run, generate nothing",
    )
    parser.add_argument(
        "--var", default=os.path.join(tempfile.gettempdir(), "jinlin-bench-fieldwork")
    )
    args = parser.parse_args()
    scale = "small" if args.quick else "district"
    repeat = args.repeat  # 200 by default, --quick too: a p95 needs 200 samples
    os.environ.setdefault("JINLIN_VAR", args.var + ("-quick" if args.quick else ""))
    kept = Path("reused") if args.measure_only else prepare_database(args)
    setup_django(os.environ["JINLIN_VAR"])
    from django.core.management import call_command
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from jinlin.core.models import Role, User
    from jinlin.demo.fieldwork import generate_fieldwork
    from jinlin.demo.generator import generate
    from jinlin.people.models import Resident
    from jinlin.places.models import Area

    call_command("migrate", verbosity=0)
    if kept is None:
        started = time.perf_counter()
        generate(scale=scale, seed=2026)
        print(
            f"district demo built in {time.perf_counter() - started:.0f} s (kept for the next run)"
        )
        keep_base()
    install_baseline_urls()
    today = timezone.localdate()
    worker = User.objects.get(username="shegong")
    largest = Resident.objects.values("area_id").annotate(n=Count("id")).order_by("-n").first()

    def client_for(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def pages() -> list[tuple[str, object, str, int | None]]:
        """(row, client, url, area written to before each look, or None)."""
        secretary = (
            User.objects.filter(area_id=largest["area_id"], role=Role.AREA_SECRETARY)
            .order_by("id")
            .first()
        )
        jiedao = client_for(User.objects.get(username="jiedao"))
        first_area = Area.objects.order_by("id").values_list("pk", flat=True).first()
        dashboard = f"/areas/{largest['area_id']}/fieldwork/"
        return [
            ("today (worker, one compound)", client_for(worker), "/today/", None),
            ("today (secretary, whole area)", client_for(secretary), "/today/", None),
            (
                "today (secretary), area changed",
                client_for(secretary),
                "/today/",
                largest["area_id"],
            ),
            ("area dashboard (largest area)", client_for(secretary), dashboard, None),
            ("area dashboard, area changed", client_for(secretary), dashboard, largest["area_id"]),
            ("subdistrict (every area)", jiedao, "/subdistrict/", None),
            ("subdistrict, one area changed", jiedao, "/subdistrict/", first_area),
            ("民声 list (secretary)", client_for(secretary), "/concerns/", None),
            ("个案 list (secretary)", client_for(secretary), "/cases/", None),
        ]

    print(f"database: {database_label()}; scale: {scale}")
    if args.measure_only:
        measure(
            f"data of the last run — {counts()}",
            pages(),
            (client_for(worker), "/bench/trivial/"),
            repeat,
        )
        return
    started = time.perf_counter()
    generate_fieldwork(seed=1, days=RECENT_DAYS, today=today)
    print(
        f"fieldwork of the last {RECENT_DAYS} days generated in {time.perf_counter() - started:.0f} s"
    )
    analyse()
    measure(f"size 1 — {counts()}", pages(), (client_for(worker), "/bench/trivial/"), repeat)
    started = time.perf_counter()
    generate_fieldwork(seed=2, days=OLDER_DAYS, today=today - timedelta(days=RECENT_DAYS + 1))
    print(
        f"\nfieldwork of the {OLDER_DAYS} days before generated in {time.perf_counter() - started:.0f} s"
    )
    analyse()
    measure(f"size 2 — {counts()}", pages(), (client_for(worker), "/bench/trivial/"), repeat)


if __name__ == "__main__":
    main()
