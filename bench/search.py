"""Search latency over 1,000,000 residents: median and p95 per kind of query and user.

Kinds: full name, two-character given name, pinyin initials, phone tail (last four digits),
address (12号楼301). Users: the area secretary (one area of about 4,000 residents) and a
superuser who sees all million. Each call is `people.search.search_residents` as the page and
the API call it (ranked, access-filtered, 20 results with their addresses).
Peers, measured in the same run on the same database with names of random residents: a raw
indexed lookup (`SELECT id, name … WHERE name = ? LIMIT 20` on a cursor) and a plain ORM
equality lookup (`Resident.objects.filter(name=…)` with the address, first 20): what a search
box costs at the least. Each kind prints its ratio to the ORM lookup (median to median, p95 to
p95) and whether it meets the aim of issue 18: p95 < 10 ms and at most 3× the ORM lookup.

    JINLIN_VAR=/tmp/jinlin-bench-search python bench/search_data.py     # once: 1M residents
    JINLIN_VAR=/tmp/jinlin-bench-search python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_search python bench/search_data.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_search python bench/search.py
    python bench/search.py --quick      # 20,000 residents in a fresh temporary database (CI smoke)

Every figure is taken over --samples calls (200 by default, also with --quick).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import database_label, percentile, setup_django, time_calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    if args.quick:
        os.environ["JINLIN_VAR"] = tempfile.mkdtemp(prefix="jinlin-bench-search-quick-")
        os.environ.pop("DATABASE_URL", None)
        here = Path(__file__).resolve().parent
        subprocess.run(
            [sys.executable, str(here / "search_data.py"), "--residents", "20000"],
            check=True,
            cwd=here,
        )
    setup_django(os.environ.get("JINLIN_VAR", "/tmp/jinlin-bench-search"))
    from django.db import connection

    from jinlin.core.models import Role, User
    from jinlin.people.models import Resident
    from jinlin.people.search import search_residents

    total = Resident.objects.count()
    if total == 0:
        sys.exit("no residents: run bench/search_data.py first (see the docstring)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rng = random.Random(11)
    max_id = Resident.objects.order_by("-id").values_list("id", flat=True).first()
    area = Resident.objects.get(
        pk=Resident.objects.filter(id__gte=max_id // 2).values_list("id", flat=True).first()
    ).area
    secretary, _ = User.objects.update_or_create(
        username="bench_secretary", defaults={"role": Role.AREA_SECRETARY, "area": area}
    )
    superuser, _ = User.objects.update_or_create(
        username="bench_superuser", defaults={"is_superuser": True}
    )

    def sample(queryset, n):  # type: ignore[no-untyped-def]
        ids = list(queryset.values_list("id", flat=True))
        picked = rng.sample(ids, min(n, len(ids)))
        return list(Resident.objects.filter(id__in=picked).select_related("household__building"))

    def random_residents(n):  # type: ignore[no-untyped-def]
        found = []
        while len(found) < n:
            ids = [rng.randrange(1, max_id + 1) for _ in range(n)]
            found += list(Resident.objects.filter(id__in=ids).select_related("household__building"))
        return found[:n]

    kinds = {
        "name (张建国)": lambda r: r.name,
        "given name (建国)": lambda r: r.name[1:] if len(r.name) > 2 else r.name,
        "initials (zjg)": lambda r: r.name_initials,
        "phone tail (5678)": lambda r: r.phone_tail,
        "address (12号楼301)": lambda r: f"{r.household.building.number}号楼{r.household.room}",
    }
    print(
        f"database: {database_label()}; {total:,} residents; secretary's area {area.name}: "
        f"{Resident.objects.filter(area=area).count():,} residents"
    )

    pool = random_residents(args.samples)
    names = iter([r.name for r in pool] * 3)

    def raw_lookup() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, name FROM people_resident WHERE name = %s LIMIT 20", [next(names)]
            )
            cursor.fetchall()

    def orm_lookup() -> None:
        list(
            Resident.objects.filter(name=next(names)).select_related(
                "household__building__compound"
            )[:20]
        )

    time_calls(orm_lookup, 20)  # warm the caches the peers and the searches share
    peers = {
        "raw indexed lookup (name = ?)": time_calls(raw_lookup, args.samples),
        "ORM lookup (name = …, address)": time_calls(orm_lookup, args.samples),
    }
    for label, samples in peers.items():
        print(
            f"peer: {label:<31} median {statistics.median(samples):6.2f} ms  "
            f"p95 {percentile(samples, 0.95):6.2f} ms  ({len(samples)} samples)"
        )
    orm = peers["ORM lookup (name = …, address)"]
    orm_median, orm_p95 = statistics.median(orm), percentile(orm, 0.95)
    misses = 0
    for user, label, residents in (
        (
            secretary,
            "secretary, one area",
            sample(Resident.objects.filter(area=area), args.samples),
        ),
        (superuser, "superuser, all residents", pool),
    ):
        print(f"-- {label}")
        search_residents(user, "预热")
        for kind, make_query in kinds.items():
            queries = iter([make_query(r) for r in residents] * 2)
            found = []

            def call(user=user, queries=queries, found=found) -> None:  # type: ignore[no-untyped-def]
                found.append(len(search_residents(user, next(queries), limit=20)))

            samples = time_calls(call, len(residents))
            median, p95 = statistics.median(samples), percentile(samples, 0.95)
            ratio = max(median / orm_median, p95 / orm_p95)
            met = p95 < 10 and ratio <= 3
            misses += not met
            print(
                f"{kind:<20} median {median:6.2f} ms  p95 {p95:6.2f} ms  × ORM lookup "
                f"{median / orm_median:4.1f} / {p95 / orm_p95:4.1f}  "
                f"{'met' if met else 'MISSED'}  ({len(samples)} samples, results per query: "
                f"median {statistics.median(found):.0f})"
            )
    print(
        f"aim (p95 < 10 ms, ≤ 3× the ORM lookup): {'met by every kind' if not misses else f'missed by {misses} kinds'}"
    )


if __name__ == "__main__":
    main()
