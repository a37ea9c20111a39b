"""Import of a residents sheet against bare inserts of the same rows, measured in the same run.

Each run starts from an empty database that the bench checks (no resident, household or
history row before), imports the sheet for real (safety checks, cleaning every cell,
households, history rows, derived groups, audit), then checks that what the report says was
created is in the database: the count of residents, households and history rows, and a
sample of the sheet's ID numbers with their names. Peers, on the same sheet in the same run:

(a) python-calamine reading the sheet + a bare `executemany` INSERT (sqlite3, the app's
    PRAGMAs, one transaction) into a copy of the same four tables with the same indexes
    (people_resident and its 10 indexes, its history table, places_household and its
    history table): one household a flat, one history row a resident and a household — the
    same writes the import must make, read included, without any check or cleaning;
(b) pandas `read_excel` (calamine engine) + `to_sql` of the residents into the same
    people_resident schema and indexes (skipped with a note if pandas is not installed:
    `pip install pandas`, in the `load` extra).

Every measurement runs in a fresh process with a fresh temporary directory; the runs are
interleaved (import, peer a, peer b, import, ...) so that other work on the machine falls
on all of them alike. Printed: workload, min / median of the runs, ratios import / peer.

    python bench/import_sheet.py                    # 100,000 rows, 3 runs
    python bench/import_sheet.py --rows 20000       # 20,000 rows, 3 runs
    python bench/import_sheet.py --quick            # 5,000 rows, 1 run
    JINLIN_BENCH_PROFILE=/tmp/import.prof python bench/import_sheet.py --rows 20000 --repeat 1
    DATABASE_URL=postgres://... python bench/import_sheet.py   # import only: the database is
        # flushed and checked empty before each run; the peers are SQLite's (a ratio is printed
        # only on SQLite)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import ROOT, database_label, setup_django

PEER_TABLES = (
    "places_household",
    "places_historicalhousehold",
    "people_resident",
    "people_historicalresident",
)
SAMPLE = 200


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


def sheet_rows(path: Path) -> list[list[Any]]:
    """The sheet's data rows as python-calamine reads them (title and heading rows skipped)."""
    import python_calamine

    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        return list(workbook.get_sheet_by_index(0).iter_rows())[2:]


# --- the children: one measurement each, in a fresh process ---------------------------------


def child_import(path: Path, rows: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    from jinlin.core.models import AuditEvent
    from jinlin.people.importing import import_sheet
    from jinlin.people.models import Resident
    from jinlin.places.models import Area, District, Household, Subdistrict

    if database_label() == "PostgreSQL":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    history = Resident.history.model
    household_history = Household.history.model
    before = {
        "residents": Resident.objects.count(),
        "households": Household.objects.count(),
        "resident history": history.objects.count(),
        "household history": household_history.objects.count(),
    }
    assert not any(before.values()), f"the database is not empty before the import: {before}"
    district = District.objects.create(name="长宁区")
    subdistrict = Subdistrict.objects.create(district=district, name="新泾镇")
    area = Area.objects.create(subdistrict=subdistrict, code="lv8", name="绿八居民区")
    audits_before = AuditEvent.objects.count()

    profile_to = os.environ.get("JINLIN_BENCH_PROFILE")
    profiler = None
    if profile_to:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    report = import_sheet(source=path, kind="residents", area=area, actor=None, create_places=True)
    seconds = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile_to)
    assert report.errors == [], report.errors[:3]
    assert report.written
    assert report.rows == rows, (report.rows, rows)
    assert report.created == rows, (report.created, rows)

    # What the report says was created is in the database.
    assert Resident.objects.filter(area=area).count() == report.created
    assert history.objects.filter(history_type="+").count() == report.created
    assert Household.objects.filter(area=area).count() == report.new_households
    assert household_history.objects.count() == report.new_households
    assert AuditEvent.objects.count() > audits_before, "no audit event for the import"
    sample = random.Random(5).sample(sheet_rows(path), min(SAMPLE, rows))
    stored = dict(
        Resident.objects.filter(id_number__in=[str(r[3]) for r in sample]).values_list(
            "id_number", "name"
        )
    )
    assert stored == {str(r[3]): r[1] for r in sample}, "sampled ID numbers missing or wrong"

    started = time.perf_counter()
    again = import_sheet(source=path, kind="residents", area=area, actor=None)
    again_seconds = time.perf_counter() - started
    assert again.errors == [] and again.unchanged == rows, (again.errors[:3], again.unchanged)
    assert Resident.objects.count() == rows
    connection.close()
    return {
        "seconds": seconds,
        "again_seconds": again_seconds,
        "created": report.created,
        "households": report.new_households,
        "peak_mb": peak_mb(),
    }


def _peer_connection(var_dir: str) -> sqlite3.Connection:
    """A bare sqlite3 connection to a copy of the import's four tables and their indexes
    (taken from the migrated schema), with the app's PRAGMAs (jinlin.settings)."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(PEER_TABLES))
        cursor.execute(
            f"SELECT sql FROM sqlite_master WHERE tbl_name IN ({marks}) AND sql IS NOT NULL"  # noqa: S608
            " ORDER BY type DESC",  # tables before their indexes
            list(PEER_TABLES),
        )
        schema = [sql for (sql,) in cursor.fetchall()]
    connection.close()
    peer = sqlite3.connect(Path(var_dir) / "peer.sqlite3", isolation_level=None)
    peer.executescript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
    )
    for sql in schema:
        peer.execute(sql)
    (count,) = peer.execute("SELECT count(*) FROM people_resident").fetchone()
    assert count == 0
    return peer


def child_peer_bare(path: Path, rows: int, var_dir: str) -> dict[str, Any]:
    import python_calamine

    peer = _peer_connection(var_dir)
    now = datetime.now().isoformat(sep=" ")
    resident_sql = (
        "INSERT INTO people_resident (id, name, gender, birth_date, id_number, phone,"
        " relation_to_head, residence_status, employer, occupation, is_retired, health,"
        " health_notes, hobbies, political_status, status, status_date, notes, name_pinyin,"
        " name_initials, phone_tail, created_at, area_id, compound_id, household_id,"
        " building_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, ?, 'current', NULL,"
        " ?, '', '', ?, ?, 1, ?, ?, ?)"
    )
    history_sql = (
        "INSERT INTO people_historicalresident (id, name, gender, birth_date, id_number, phone,"
        " relation_to_head, residence_status, employer, occupation, is_retired, health,"
        " health_notes, hobbies, political_status, status, status_date, notes, created_at,"
        " household_id, history_date, history_change_reason, history_type, history_user_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', ?, ?, 'current', NULL, ?, ?, ?, ?,"
        " 'Excel 导入', '+', NULL)"
    )
    household_sql = (
        "INSERT INTO places_household (id, room, notes, area_id, building_id, compound_id)"
        " VALUES (?, ?, '', 1, ?, ?)"
    )
    household_history_sql = (
        "INSERT INTO places_historicalhousehold (id, room, notes, building_id, history_date,"
        " history_change_reason, history_type, history_user_id)"
        " VALUES (?, ?, '', ?, ?, 'Excel 导入', '+', NULL)"
    )
    started = time.perf_counter()
    compounds: dict[str, int] = {}
    buildings: dict[tuple[int, str, str], int] = {}
    flats: dict[tuple[int, str], int] = {}
    residents: list[tuple[Any, ...]] = []
    history: list[tuple[Any, ...]] = []
    households: list[tuple[Any, ...]] = []
    household_history: list[tuple[Any, ...]] = []

    def flush() -> None:
        peer.executemany(household_sql, households)
        peer.executemany(household_history_sql, household_history)
        peer.executemany(resident_sql, residents)
        peer.executemany(history_sql, history)
        for batch in (residents, history, households, household_history):
            batch.clear()

    peer.execute("BEGIN IMMEDIATE")
    with python_calamine.CalamineWorkbook.from_path(str(path)) as workbook:
        for number, cells in enumerate(workbook.get_sheet_by_index(0).iter_rows()):
            if number < 2:
                continue
            compound = compounds.setdefault(cells[6], len(compounds) + 1)
            building = buildings.setdefault((compound, cells[7], cells[8]), len(buildings) + 1)
            room = str(cells[9])
            household = flats.get((building, room))
            if household is None:
                household = flats[(building, room)] = len(flats) + 1
                households.append((household, room, building, compound))
                household_history.append((household, room, building, now))
            pk = number - 1
            birth = cells[4].isoformat() if isinstance(cells[4], date) else str(cells[4])
            hobbies = json.dumps(cells[15].split("、") if cells[15] else [], ensure_ascii=False)
            common = (
                pk,
                cells[1],
                "M" if cells[2] == "男" else "F",
                birth,
                str(cells[3]),
                str(cells[5]),
                cells[10],
                cells[11],
                cells[12],
                cells[16] == "是",
                cells[13],
                hobbies,
                cells[14],
                cells[17],
            )
            residents.append((*common, str(cells[5])[-4:], now, compound, household, building))
            history.append((*common, now, household, now))
            if len(residents) >= 1000:
                flush()
    flush()
    peer.execute("COMMIT")
    seconds = time.perf_counter() - started
    (count,) = peer.execute("SELECT count(*) FROM people_resident").fetchone()
    assert count == rows, (count, rows)
    peer.close()
    return {"seconds": seconds, "households": len(flats)}


def child_peer_pandas(path: Path, rows: int, var_dir: str) -> dict[str, Any]:
    try:
        import pandas as pd
    except ImportError:
        return {"skipped": "pandas is not installed (pip install pandas)"}
    peer = _peer_connection(var_dir)
    now = datetime.now().isoformat(sep=" ")
    started = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine", skiprows=1, dtype=str)
    residents = pd.DataFrame(
        {
            "id": range(1, len(frame) + 1),
            "name": frame["姓名"],
            "gender": frame["性别"].map({"男": "M", "女": "F"}),
            "birth_date": frame["出生日期"].str.slice(0, 10),
            "id_number": frame["公民身份号码"],
            "phone": frame["联系电话"],
            "relation_to_head": frame["与户主关系"],
            "residence_status": frame["户籍/居住状态"],
            "employer": frame["工作单位"],
            "occupation": "",
            "is_retired": frame["是否退休"] == "是",
            "health": frame["健康状况"],
            "health_notes": "",
            "hobbies": "[]",
            "political_status": frame["政治面貌"],
            "status": "current",
            "notes": "",
            "name_pinyin": "",
            "name_initials": "",
            "phone_tail": frame["联系电话"].str.slice(-4),
            "created_at": now,
            "area_id": 1,
            "compound_id": 1,
            "household_id": 1,
            "building_id": 1,
        }
    )
    # to_sql runs its inserts in one transaction of its own.
    residents.to_sql("people_resident", peer, if_exists="append", index=False, chunksize=1000)
    seconds = time.perf_counter() - started
    (count,) = peer.execute("SELECT count(*) FROM people_resident").fetchone()
    assert count == rows, (count, rows)
    peer.close()
    return {"seconds": seconds}


def child(kind: str, path: Path, rows: int) -> None:
    var_dir = tempfile.mkdtemp(prefix="jinlin-bench-import-")
    os.environ["JINLIN_VAR"] = var_dir  # never a directory inherited from the parent
    setup_django(var_dir)
    try:
        if kind == "import":
            result = child_import(path, rows)
        elif kind == "bare":
            result = child_peer_bare(path, rows, var_dir)
        else:
            result = child_peer_pandas(path, rows, var_dir)
        result["database"] = database_label()
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)  # up to ~150 MB a run at 100,000 rows
    print(json.dumps(result))


# --- the parent: the sheet, the interleaved runs, the summary -------------------------------


def measure(kind: str, path: Path, rows: int) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - this script, with our own arguments
        [sys.executable, __file__, "--child", kind, "--sheet", str(path), "--rows", str(rows)],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode:
        sys.exit(f"the {kind} run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def line(label: str, samples: list[float]) -> str:
    return f"{label}: min {min(samples):.2f} s, median {statistics.median(samples):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="5,000 rows, one run")
    parser.add_argument("--child", choices=["import", "bare", "pandas"])
    parser.add_argument("--sheet", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sheet, args.rows)
        return
    if args.quick:
        args.rows, args.repeat = 5000, 1
    sys.path.insert(0, str(ROOT / "src"))
    path = Path(tempfile.gettempdir()) / f"jinlin-bench-import-{args.rows}.xlsx"
    if not path.exists():
        setup_django(tempfile.mkdtemp(prefix="jinlin-bench-import-"))
        started = time.perf_counter()
        make_sheet(path, args.rows)
        print(f"(made {path.name} in {time.perf_counter() - started:.0f} s)")
    size_mb = path.stat().st_size / 2**20
    print(
        f"workload: {args.rows:,} data rows, 18 columns, {size_mb:.1f} MB ({path.name}); "
        f"{args.repeat} run(s), each in a fresh process and an empty database"
    )
    imports: list[dict[str, Any]] = []
    bare: list[float] = []
    pandas: list[float] = []
    skipped = ""
    for _ in range(args.repeat):
        imports.append(measure("import", path, args.rows))
        on_sqlite = imports[-1]["database"] == "SQLite"
        if on_sqlite:
            bare.append(measure("bare", path, args.rows)["seconds"])
            result = measure("pandas", path, args.rows)
            if "skipped" in result:
                skipped = result["skipped"]
            else:
                pandas.append(result["seconds"])
    first = imports[0]
    print(
        f"database: {first['database']}; checked empty before each run; after each import "
        f"{first['created']:,} residents, {first['households']:,} households and their history "
        f"rows found in the database, {min(SAMPLE, args.rows)} sampled ID numbers with their names"
    )
    import_seconds = [r["seconds"] for r in imports]
    print(line("import", import_seconds) + f" ({args.rows / min(import_seconds):,.0f} rows/s)")
    print(line("re-import of the same file (all unchanged)", [r["again_seconds"] for r in imports]))
    if bare:
        print(
            line(
                "peer (a) calamine read + bare executemany into the same 4 tables and indexes",
                bare,
            )
        )
    if pandas:
        print(line("peer (b) pandas read_excel + to_sql into people_resident", pandas))
    elif skipped:
        print(f"peer (b) skipped: {skipped}")
    if bare:
        ratio = statistics.median(import_seconds) / statistics.median(bare)
        print(
            f"ratio import / peer (a), medians: {ratio:.2f}× (min/min "
            f"{min(import_seconds) / min(bare):.2f}×; expected ≤ 1.5×)"
        )
    if pandas:
        ratio = statistics.median(import_seconds) / statistics.median(pandas)
        print(f"ratio import / peer (b), medians: {ratio:.2f}×")
    if not bare:
        print("(the peers run on SQLite only: no ratio on this database)")
    print(f"peak memory of an import process: {max(r['peak_mb'] for r in imports):.0f} MB")


if __name__ == "__main__":
    main()
