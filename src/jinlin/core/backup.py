"""Backups and restores of the whole database, verified table by table.

SQLite: the online backup API (a consistent copy while Jinlin keeps running). PostgreSQL:
pg_dump's custom format taken in an exported snapshot, so that the row counts and checksums
written beside it describe exactly what was dumped; pg_restore in one transaction.

Each backup OUT gets a manifest OUT.manifest.json: the file's SHA-256, and for every table its
row count and a SHA-256 of its rows in primary-key order. A restore refuses a file whose hash
differs, and afterwards compares the database with the manifest table by table.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump and pg_restore, with argument lists)
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.utils import timezone

FORMAT = "jinlin-backup/1"
MANIFEST_SUFFIX = ".manifest.json"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class TableSum:
    rows: int
    checksum: str


@dataclass
class Comparison:
    """The database (or a copy) against a manifest, table by table."""

    expected: dict[str, TableSum]
    actual: dict[str, TableSum]
    mismatched: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mismatched = sorted(
            name
            for name in set(self.expected) | set(self.actual)
            if self.expected.get(name) != self.actual.get(name)
        )

    @property
    def ok(self) -> bool:
        return not self.mismatched

    def lines(self) -> Iterator[str]:
        width = max((len(name) for name in self.expected | self.actual), default=10)
        yield f"{'表':<{width - 1}}  {'行数':>8}  {'校验和':<16}  结果"
        for name in sorted(set(self.expected) | set(self.actual)):
            got = self.actual.get(name)
            want = self.expected.get(name)
            rows = got.rows if got else "—"
            checksum = got.checksum[:16] if got else "（缺失）"
            if got == want:
                verdict = "一致"
            elif want is None:
                verdict = "多出（备份中没有）"
            elif got is None:
                verdict = "缺失"
            else:
                verdict = f"不一致（应为 {want.rows} 行，{want.checksum[:16]}）"
            yield f"{name:<{width}}  {rows!s:>8}  {checksum:<16}  {verdict}"
        total = sum(t.rows for t in self.actual.values())
        state = "全部一致" if self.ok else f"{len(self.mismatched)} 张表不一致"
        yield f"共 {len(self.actual)} 张表，{total} 行：{state}"


# --- checksums, for either engine -----------------------------------------------------------


def _normalise(value: Any) -> Any:
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(cursor: Any, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def _columns(cursor: Any, engine: str, table: str) -> tuple[list[str], list[str]]:
    """(every column, the primary key's columns) of a table."""
    if engine == "sqlite":
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        info = cursor.fetchall()
        keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
        return [row[1] for row in info], keys
    cursor.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [table],
    )
    columns = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey, a.attnum)",
        [_quote(table)],
    )
    return columns, [row[0] for row in cursor.fetchall()]


def table_checksums(dbapi_connection: Any, engine: str) -> dict[str, TableSum]:
    """Row count and SHA-256 of the rows of every table (in primary-key order, else in the order
    of all columns), through any DB-API connection to the database."""
    cursor = dbapi_connection.cursor()
    try:
        sums: dict[str, TableSum] = {}
        for table in _tables(cursor, engine):
            columns, keys = _columns(cursor, engine, table)
            # On SQLite `+column` (a no-op) hides the declared type, so that Django's type
            # converters on its own connection give the same raw values as a plain one.
            prefix = "+" if engine == "sqlite" else ""
            selected = ", ".join(prefix + _quote(c) for c in columns)
            order = ", ".join(_quote(c) for c in keys or columns)
            cursor.execute(f"SELECT {selected} FROM {_quote(table)} ORDER BY {order}")  # noqa: S608
            digest = hashlib.sha256()
            rows = 0
            while batch := cursor.fetchmany(2000):
                for row in batch:
                    digest.update(repr(tuple(_normalise(v) for v in row)).encode())
                    digest.update(b"\n")
                rows += len(batch)
            sums[table] = TableSum(rows, digest.hexdigest())
        return sums
    finally:
        cursor.close()


def live_checksums() -> dict[str, TableSum]:
    """Checksums of Jinlin's own database, through Django's connection."""
    connection.ensure_connection()
    return table_checksums(connection.connection, _engine())


# --- manifests -----------------------------------------------------------------------------


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"不支持的数据库：{vendor}")
    return vendor


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + MANIFEST_SUFFIX)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_manifest(path: Path, engine: str, sums: dict[str, TableSum]) -> None:
    manifest = {
        "format": FORMAT,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "file_sha256": file_sha256(path),
        "tables": {name: {"rows": s.rows, "checksum": s.checksum} for name, s in sums.items()},
    }
    manifest_path(path).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def read_manifest(path: Path) -> tuple[str, str, dict[str, TableSum]]:
    """(engine, file hash, tables) of the manifest beside a backup."""
    where = manifest_path(path)
    try:
        manifest = json.loads(where.read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise ValueError(manifest.get("format"))
        tables = {
            name: TableSum(int(entry["rows"]), str(entry["checksum"]))
            for name, entry in manifest["tables"].items()
        }
        return str(manifest["engine"]), str(manifest["file_sha256"]), tables
    except FileNotFoundError:
        raise BackupError(f"缺少校验清单 {where}，无法确认备份完整") from None
    except (ValueError, KeyError, TypeError):
        raise BackupError(f"校验清单 {where} 无法读取") from None


def check_file(path: Path) -> tuple[str, dict[str, TableSum]]:
    """The backup file is whole (its hash is the manifest's) and of this database's engine."""
    if not path.is_file():
        raise BackupError(f"没有找到备份文件 {path}")
    engine, expected_hash, tables = read_manifest(path)
    if file_sha256(path) != expected_hash:
        raise BackupError(f"备份文件 {path} 已损坏：文件校验和与清单不符")
    if engine != _engine():
        raise BackupError(f"这是 {engine} 的备份，当前数据库是 {_engine()}")
    return engine, tables


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_backup(out: Path) -> dict[str, TableSum]:
    connection.ensure_connection()
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        sums = table_checksums(target, "sqlite")
    finally:
        target.close()
    os.replace(partial, out)
    return sums


def _sqlite_verify_copy(path: Path) -> dict[str, TableSum]:
    """Restore the copy into a scratch in-memory database and read it back."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    scratch = sqlite3.connect(":memory:")
    try:
        (result,) = source.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"备份文件 {path} 未通过 SQLite 完整性检查：{result}")
        source.backup(scratch)
        return table_checksums(scratch, "sqlite")
    finally:
        source.close()
        scratch.close()


def _sqlite_restore(path: Path) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        (result,) = source.execute("PRAGMA integrity_check").fetchone()
        if result != "ok":
            raise BackupError(f"备份文件 {path} 未通过 SQLite 完整性检查：{result}")
        connection.ensure_connection()
        # Page by page into the live database, under its write lock: readers see old or new.
        source.backup(connection.connection)
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"找不到 {name}：请安装 PostgreSQL 客户端（apt-get install postgresql-client）"
        )
    return tool


def _pg_arguments(database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment (password, TLS) for pg_dump and pg_restore."""
    settings = connection.settings_dict
    _args, env = connection.client.settings_to_cmd_args_env(settings, [])
    arguments = []
    if settings.get("HOST"):
        arguments += ["-h", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["-U", str(settings["USER"])]
    arguments += ["-d", database or str(settings["NAME"])]
    return arguments, {**os.environ, **(env or {})}


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupError(
            f"{tool} 失败（退出码 {result.returncode}）：{result.stderr.strip()[:500]}"
        )


def _pg_backup(out: Path) -> dict[str, TableSum]:
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    arguments, env = _pg_arguments()
    pg_dump = _pg_tool("pg_dump")
    if connection.in_atomic_block:
        raise BackupError("不能在事务中备份")
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
            # The checksums and the dump read the same snapshot: the manifest is exact.
            sums = table_checksums(connection.connection, "postgresql")
            dump = [pg_dump, "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(partial)]
            _run([*dump, *arguments], env)
        finally:
            cursor.execute("ROLLBACK")
    os.replace(partial, out)
    return sums


def _pg_scratch_database() -> str:
    return f"{connection.settings_dict['NAME']}_verify_{secrets.token_hex(4)}"


def _pg_verify_copy(path: Path) -> dict[str, TableSum]:
    """pg_restore the dump into a scratch database, read it back, drop the scratch database."""
    import psycopg

    scratch = _pg_scratch_database()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {_quote(scratch)}")
    try:
        arguments, env = _pg_arguments(scratch)
        _run([_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *arguments, str(path)], env)
        params = connection.get_connection_params()
        params["dbname"] = scratch
        with psycopg.connect(**params) as copy:
            return table_checksums(copy, "postgresql")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(scratch)} WITH (FORCE)")


def _pg_restore(path: Path) -> None:
    arguments, env = _pg_arguments()
    connections.close_all()  # our own sessions would hold locks on the tables being replaced
    _run(
        [
            _pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *arguments,
            str(path),
        ],
        env,
    )


# --- the two commands' work -----------------------------------------------------------------


@dataclass
class BackupReport:
    path: Path
    engine: str
    tables: dict[str, TableSum]
    verification: Comparison | None = None


def backup_database(out: Path, *, verify: bool = False) -> BackupReport:
    """Write OUT and OUT.manifest.json; with `verify`, restore the copy elsewhere and compare."""
    engine = _engine()
    out = out.resolve()
    if out.is_dir():
        raise BackupError(f"{out} 是一个目录，请给出备份文件名")
    out.parent.mkdir(parents=True, exist_ok=True)
    sums = _sqlite_backup(out) if engine == "sqlite" else _pg_backup(out)
    _write_manifest(out, engine, sums)
    report = BackupReport(out, engine, sums)
    if verify:
        report.verification = verify_backup(out)
    return report


def verify_backup(path: Path) -> Comparison:
    """Restore a backup into a scratch database and compare it with its manifest."""
    engine, expected = check_file(path)
    copy = _sqlite_verify_copy(path) if engine == "sqlite" else _pg_verify_copy(path)
    return Comparison(expected, copy)


def restore_database(path: Path) -> Comparison:
    """Replace the database with a backup whose file hash matches its manifest, then compare
    every table with the manifest. Tables added by later migrations are left as they are."""
    path = path.resolve()
    engine, expected = check_file(path)
    if engine == "sqlite":
        _sqlite_restore(path)
    else:
        _pg_restore(path)
    actual = live_checksums()
    # Tables the backup does not know (from a later migration, on PostgreSQL) are not compared.
    return Comparison(expected, {name: sums for name, sums in actual.items() if name in expected})
