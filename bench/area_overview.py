"""Server time of the area overview page on district-scale data, against a trivial page.

The page is rendered through Django's full stack (middleware, session, templates) with the
test client; the baseline is the login page served the same way in the same run.

    python bench/area_overview.py                  # SQLite, district scale (~100,000 residents)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench python bench/area_overview.py
    python bench/area_overview.py --quick          # small scale, for CI
"""

from __future__ import annotations

import argparse
import os
import tempfile

from _common import database_label, setup_django, summary, time_calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument(
        "--var", default=os.path.join(tempfile.gettempdir(), "jinlin-bench-district")
    )
    args = parser.parse_args()
    scale = "small" if args.quick else "district"
    setup_django(args.var + ("-quick" if args.quick else ""))
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from jinlin.core.models import Role, User
    from jinlin.demo.generator import generate
    from jinlin.people.models import Resident
    from jinlin.places.models import Area

    call_command("migrate", verbosity=0)
    if not Area.objects.exists():
        generate(scale=scale, seed=2026)
    biggest = Resident.objects.values("area_id").annotate(n=Count("id")).order_by("-n").first()
    area = Area.objects.get(pk=biggest["area_id"])
    user, _ = User.objects.get_or_create(
        username="bench-secretary", defaults={"role": Role.AREA_SECRETARY}
    )
    user.area = area
    user.save()
    client = Client()
    client.force_login(user)
    url = f"/areas/{area.pk}/"
    assert client.get(url).status_code == 200
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    page = time_calls(lambda: client.get(url), args.repeat)
    baseline = time_calls(lambda: Client().get("/login/"), args.repeat)
    total = Resident.objects.filter(status="current").count()
    print(
        f"database: {database_label()}; {total} current residents in all; area {area.name}: {biggest['n']} residents"
    )
    print(summary("area overview", page))
    print(summary("baseline (login page)", baseline))
    import statistics

    print(
        f"ratio overview / baseline (median): {statistics.median(page) / statistics.median(baseline):.1f}x"
    )
    print(f"SQL queries per overview page: {len(queries)}")


if __name__ == "__main__":
    main()
