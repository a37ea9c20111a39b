"""Import of a 100,000-row residents sheet against the raw reading speed of the same file.

Baseline, measured in the same run: opening the file with python-calamine (the library the
import reads with) and iterating every row, doing nothing else. The import then runs for real
(safety checks, cleaning every cell, households, bulk inserts with history rows, derived
groups, audit) into a fresh database with the area already registered.

    python bench/import_sheet.py                 # 100,000 rows, SQLite in a temporary directory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jinlin_bench_import python bench/import_sheet.py
    python bench/import_sheet.py --rows 5000     # quick
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _common import database_label, setup_django


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_sheet(path: Path, rows: int) -> None:
    """A realistic 居民信息表: title row, 18 columns, 4 compounds, ~2.5 residents a flat."""
    from openpyxl import Workbook

    from jinlin.core.idnumber import make_id_number
    from jinlin.demo import names

    rng = random.Random(3)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("居民")
    sheet.append(["绿八居民区实有人口信息表"])
    sheet.append(
        [
            "序号",
            "姓名",
            "性别",
            "公民身份号码",
            "出生日期",
            "联系电话",
            "小区",
            "楼号",
            "门洞",
            "室号",
            "与户主关系",
            "户籍/居住状态",
            "工作单位",
            "健康状况",
            "政治面貌",
            "兴趣爱好",
            "是否退休",
            "备注",
        ]
    )
    today = date(2026, 1, 1)
    for index in range(rows):
        flat = index * 2 // 5
        gender = rng.choice("MF")
        birth = today - timedelta(days=rng.randrange(365, 95 * 365))
        chars = names.MALE_CHARS if gender == "M" else names.FEMALE_CHARS
        name = (
            rng.choice(names.SURNAMES)
            + rng.choice(chars)
            + (rng.choice(chars) if rng.random() < 0.7 else "")
        )
        region = f"{310000 + index // 100:06d}"
        sheet.append(
            [
                index + 1,
                name,
                "男" if gender == "M" else "女",
                make_id_number(region, birth, index % 100, gender),
                birth,
                rng.choice(["13", "15", "18"]) + f"{rng.randrange(10**9):09d}",
                f"绿园{'一二三四'[flat % 4]}村",
                f"{flat // 4 // 24 + 1}号楼",
                "",
                str(100 * (flat // 4 % 24 // 4 + 1) + flat // 4 % 4 + 1),
                "户主" if index % 5 in (0, 2) else rng.choice(["配偶", "子女"]),
                rng.choice(["户籍", "户籍", "常住", "人户分离"]),
                rng.choice(names.EMPLOYERS),
                rng.choice(["良好", "良好", "慢性病"]),
                rng.choice(["群众", "群众", "共青团员"]),
                "、".join(rng.sample(names.HOBBIES, k=rng.randint(0, 2))),
                "是" if birth.year < 1966 else "否",
                "",
            ]
        )
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="jinlin-bench-import-")
    setup_django(var_dir)
    from django.core.management import call_command

    from jinlin.people.importing import import_sheet
    from jinlin.people.models import Resident
    from jinlin.places.models import Area, District, Subdistrict

    path = Path(tempfile.gettempdir()) / f"jinlin-bench-import-{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        make_sheet(path, args.rows)
        print(f"(made {path.name} in {time.perf_counter() - started:.0f} s)")
    call_command("migrate", verbosity=0)
    Resident.objects.count()  # connect before measuring
    district, _ = District.objects.get_or_create(name="长宁区")
    subdistrict, _ = Subdistrict.objects.get_or_create(district=district, name="新泾镇")
    area, _ = Area.objects.get_or_create(
        subdistrict=subdistrict, code="lv8", defaults={"name": "绿八居民区"}
    )

    import python_calamine

    memory_before = peak_mb()
    started = time.perf_counter()
    count = 0
    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        for _row in workbook.get_sheet_by_index(0).iter_rows():
            count += 1
    raw_seconds = time.perf_counter() - started
    raw_memory = peak_mb()

    started = time.perf_counter()
    report = import_sheet(source=path, kind="residents", area=area, actor=None, create_places=True)
    import_seconds = time.perf_counter() - started
    assert report.errors == [], report.errors[:3]
    rows = report.rows

    started = time.perf_counter()
    again = import_sheet(source=path, kind="residents", area=area, actor=None)
    again_seconds = time.perf_counter() - started

    raw_rate = count / raw_seconds
    import_rate = rows / import_seconds
    size_mb = path.stat().st_size / 2**20
    print(f"database: {database_label()}; sheet: {rows:,} data rows, 18 columns, {size_mb:.1f} MB")
    print(
        f"baseline raw read (python-calamine, open + iterate): {raw_seconds:.2f} s, {raw_rate:,.0f} rows/s"
    )
    print(
        f"import (created {report.created:,}, {report.new_households:,} households): {import_seconds:.2f} s, {import_rate:,.0f} rows/s"
    )
    print(
        f"re-import of the same file (unchanged {again.unchanged:,}): {again_seconds:.2f} s, {rows / again_seconds:,.0f} rows/s"
    )
    print(
        f"ratio import / raw read speed: {import_rate / raw_rate:.0%}; re-import: {rows / again_seconds / raw_rate:.0%}"
    )
    print(
        f"peak memory: {memory_before:.0f} MB at start, {raw_memory:.0f} MB after the raw read, {peak_mb():.0f} MB after the imports"
    )


if __name__ == "__main__":
    main()
