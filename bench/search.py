"""Search latency over 1,000,000 residents: median and p95 per kind of query and user.

Kinds: full name, two-character given name, pinyin initials, phone tail (last four digits),
address (12号楼301). Users: the area secretary (one area of about 4,000 residents) and a
superuser who sees all million. Each call is `people.search.search_residents` as the page and
the API call it (ranked, access-filtered, 20 results with their addresses).
Baseline, measured in the same run: fetching one resident by primary key with its address
through the same ORM and database.

    JINLIN_VAR=/tmp/jinlin-bench-search python bench/search_data.py     # once: 1M residents
    JINLIN_VAR=/tmp/jinlin-bench-search python bench/search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_search python bench/search_data.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_search python bench/search.py
    python bench/search.py --quick      # 20,000 residents in a fresh temporary database (CI smoke)
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
        args.samples = 40
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
    baseline = time_calls(
        lambda: Resident.objects.select_related("household__building__compound").get(
            pk=rng.choice(pool).pk
        ),
        args.samples,
    )
    base_median = statistics.median(baseline)
    print(
        f"baseline (one resident by primary key, with its address): median {base_median:.2f} ms, "
        f"p95 {percentile(baseline, 0.95):.2f} ms"
    )
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
            median = statistics.median(samples)
            print(
                f"{kind:<20} median {median:6.2f} ms  p95 {percentile(samples, 0.95):6.2f} ms  "
                f"ratio to baseline {median / base_median:5.1f}x  (results per query: median {statistics.median(found):.0f})"
            )


if __name__ == "__main__":
    main()
