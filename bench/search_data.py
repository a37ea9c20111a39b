"""Fill a benchmark database with N residents (default 1,000,000) for bench/search.py.

Bulk inserts with precomputed search keys, no history rows or groups: only what search reads.
Idempotent: does nothing when the database already holds N residents or more.

    JINLIN_VAR=/tmp/jinlin-bench-search python bench/search_data.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_search python bench/search_data.py
"""

from __future__ import annotations

import argparse
import os
import random
import time
from datetime import date, timedelta

from _common import setup_django

PER_AREA = 4_000  # residents of one area, about what a Shanghai 居民区 holds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="`make bench`: nothing to do here (search.py --quick makes its own 20,000)",
    )
    args = parser.parse_args()
    if args.quick:
        print("search_data: the data step of bench/search.py, whose --quick builds its own data")
        return
    setup_django(os.environ.get("JINLIN_VAR", "/tmp/jinlin-bench-search"))
    from django.core.management import call_command
    from django.db import transaction

    from jinlin.core.idnumber import make_id_number
    from jinlin.demo import names
    from jinlin.people.models import Resident
    from jinlin.people.searchkeys import search_keys
    from jinlin.places.models import Area, Building, Compound, District, Household, Subdistrict

    call_command("migrate", verbosity=0)
    have = Resident.objects.count()
    if have >= args.residents:
        print(f"already {have} residents")
        return
    rng = random.Random(args.seed)
    started = time.perf_counter()
    district, _ = District.objects.get_or_create(name="基准区")
    subdistrict = Subdistrict.objects.create(
        district=district, name=f"基准街道{rng.randrange(10**6)}"
    )
    made = have
    area_index = Area.objects.count()
    today = date(2026, 1, 1)
    serial = 0
    while made < args.residents:
        area_index += 1
        with transaction.atomic():
            area = Area.objects.create(
                subdistrict=subdistrict, name=f"基准{area_index}居民区", code=f"bench-{area_index}"
            )
            compounds = Compound.objects.bulk_create(
                [
                    Compound(area=area, name=f"{rng.choice(names.AREA_NAMES)}{i + 1}村")
                    for i in range(4)
                ]
            )
            buildings = Building.objects.bulk_create(
                [
                    Building(compound=c, number=str(n), sort_key=n)
                    for c in compounds
                    for n in range(1, 31)
                ]
            )
            households = Household.objects.bulk_create(
                [
                    Household(
                        building=b, room=f"{floor}{door:02d}", compound_id=b.compound_id, area=area
                    )
                    for b in buildings
                    for floor in range(1, 7)
                    for door in range(1, 3)
                ],
                batch_size=2000,
            )
            residents = []
            for index in range(min(PER_AREA, args.residents - made)):
                household = households[index % len(households)]
                gender = rng.choice("MF")
                chars = names.MALE_CHARS if gender == "M" else names.FEMALE_CHARS
                surname = (
                    rng.choice(names.HEAVY_SURNAMES)
                    if rng.random() < 0.45
                    else rng.choice(names.SURNAMES)
                )
                name = (
                    surname + rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
                )
                birth = today - timedelta(days=rng.randrange(1, 95 * 365))
                serial += 1
                region = f"{310000 + serial // 1000:06d}"
                phone = rng.choice(["13", "15", "18", "17", "19"]) + f"{rng.randrange(10**9):09d}"
                pinyin, initials, tail = search_keys(name, phone)
                residents.append(
                    Resident(
                        household=household,
                        building_id=household.building_id,
                        compound_id=household.compound_id,
                        area=area,
                        name=name,
                        gender=gender,
                        birth_date=birth,
                        id_number=make_id_number(region, birth, serial % 100, gender)[:18],
                        phone=phone,
                        name_pinyin=pinyin,
                        name_initials=initials,
                        phone_tail=tail,
                    )
                )
            Resident.objects.bulk_create(residents, batch_size=2000, ignore_conflicts=True)
            made += len(residents)
        if area_index % 25 == 0:
            print(f"{made} residents, {time.perf_counter() - started:.0f} s", flush=True)
    print(f"{Resident.objects.count()} residents in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
