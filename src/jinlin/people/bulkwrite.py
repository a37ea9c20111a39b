"""The import's raw bulk writer: rows go to the database as plain values, without model
instances or a query compiled per row (docs/performance.md).

`fast_insert` writes rows given as {attname: value} (COPY on PostgreSQL, one prepared INSERT
on SQLite); `reserve_ids` hands out the primary keys of rows before they are written, so
the rows that point at them go in the same pass; `stored_residents` reads the residents an
import compares, as plain values. Only the importer (people.importwriter) uses them.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from jinlin.people.models import Resident


def _json_text(encoder: type[json.JSONEncoder] | None) -> Callable[[Any], str]:
    """A JSON value as the text both databases take (COPY parses it into jsonb); lists of
    a few tags repeat down a sheet, so each is encoded once."""

    @functools.lru_cache(maxsize=4096)
    def of_items(items: tuple[Any, ...]) -> str:
        return json.dumps(list(items), cls=encoder)

    def text(value: Any) -> str:
        if type(value) is list:
            if not value:
                return "[]"
            items = tuple(value)
            if all(type(item) is str for item in items):
                return of_items(items)
        return json.dumps(value, cls=encoder)

    return text


def _column(field: Field[Any, Any]) -> str:
    assert field.column is not None  # a concrete field has a column
    return field.column


def _concrete(model: type[Model], name: str) -> Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # the importer names the model's own columns
    return field


def _adapters(fields: list[Field[Any, Any]]) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, adapter) of the fields whose values the database takes adapted, as the ORM
    would adapt them for this database; the other values go as they are."""
    ops = connection.ops
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for index, f in enumerate(fields):
        kind = f.get_internal_type()
        if kind == "DateField":  # birth dates repeat (each resident's twice, with history)
            adapters.append((index, functools.lru_cache(maxsize=65_536)(ops.adapt_datefield_value)))
        elif kind == "DateTimeField":  # the same `now` on every row of a run
            adapters.append((index, functools.lru_cache(maxsize=16)(ops.adapt_datetimefield_value)))
        elif kind == "JSONField":
            adapters.append((index, _json_text(f.encoder)))  # type: ignore[attr-defined]  # a JSONField's
    return adapters


def _write(model: type[Model], fields: list[Field[Any, Any]], rows: list[Any]) -> None:
    """Rows of adapted values, in the order of `fields`, into the model's table."""
    quote = connection.ops.quote_name
    # Names come from the model; every value is a parameter (or COPY data).
    columns = ", ".join(quote(_column(f)) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )


def fast_insert(
    model: type[Model],
    rows: list[dict[str, Any]],
    *,
    history: tuple[type[Model], dict[str, Any]] | None = None,
) -> None:
    """Write many rows given as {attname: value} (other keys are ignored) without building a
    model instance or compiling a query per row, which is where the ORM's bulk_create spends
    most of an import: COPY on PostgreSQL, one prepared INSERT run for every row on SQLite.
    Values are adapted once per field type, as the ORM would for this database; the primary
    key is written when the rows carry it (`reserve_ids`).

    `history` (the model's history model, and the values of its own fields: history_date,
    history_type …) writes each row's history row too, from the values adapted once."""
    if not rows:
        return
    first = rows[0]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and (not f.primary_key or f.attname in first)
    ]
    take = operator.itemgetter(*[f.attname for f in fields])
    adapted = _adapters(fields)

    def params(row: dict[str, Any]) -> list[Any]:
        values = list(take(row))
        for index, adapt in adapted:
            if values[index] is not None:
                values[index] = adapt(values[index])
        return values

    written = [params(row) for row in rows]
    _write(model, fields, written)
    if history is None:
        return
    history_model, own = history
    names = [f.attname for f in fields]
    history_fields = [
        f for f in history_model._meta.concrete_fields if not f.generated and not f.primary_key
    ]
    copied = [f for f in history_fields if f.attname in names]
    given = [f for f in history_fields if f.attname not in names]
    constant = [own[f.attname] for f in given]
    for index, adapt in _adapters(given):
        if constant[index] is not None:
            constant[index] = adapt(constant[index])
    tail = tuple(constant)
    positions = [names.index(f.attname) for f in copied]
    if len(positions) == 1:  # itemgetter of one position gives the item, not a tuple
        _write(history_model, copied + given, [(v[positions[0]], *tail) for v in written])
        return
    pick = operator.itemgetter(*positions)
    _write(history_model, copied + given, [pick(v) + tail for v in written])


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, known before they are written so that the rows
    that point at them (history, residents of new households) go in the same pass.

    PostgreSQL: from the table's sequence. SQLite: the ids after the largest ever given
    (AUTOINCREMENT keeps it in sqlite_sequence); imports run in a transaction that holds
    SQLite's write lock (transaction_mode IMMEDIATE), so no other writer can take them, and
    if one ever did, the insert would fail on the primary key rather than overwrite."""
    if count <= 0:
        return []
    table = model._meta.db_table
    assert model._meta.pk is not None
    column = _column(model._meta.pk)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        given = "SELECT seq FROM sqlite_sequence WHERE name = %s"
        stored = f"SELECT max({quote(column)}) FROM {quote(table)}"  # noqa: S608 - model names
        cursor.execute(f"SELECT max(coalesce(({given}), 0), coalesce(({stored}), 0))", [table])
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def stored_residents(numbers: list[str], names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The residents with these ID numbers, keyed by ID number, as {attname: value} of the
    fields named (the importer's COMPARED_FIELDS): one plain query, without the ORM's work per item of a long IN list and
    per value of each row (an import compares every row of the sheet)."""
    if not numbers:
        return {}
    fields = [_concrete(Resident, name) for name in names]
    decoders = [
        (index, f) for index, f in enumerate(fields) if f.get_internal_type() == "JSONField"
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(f)) for f in fields)
    table = quote(Resident._meta.db_table)
    key = quote(_column(_concrete(Resident, "id_number")))
    params: list[Any]
    if connection.vendor == "postgresql":
        where, params = f"{key} = ANY(%s)", [numbers]
    else:
        where, params = f"{key} IN ({', '.join(['%s'] * len(numbers))})", list(numbers)
    attnames = [f.attname for f in fields]
    found: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        for stored in cursor.fetchall():
            values = list(stored)
            for index, f in decoders:
                values[index] = f.from_db_value(values[index], None, connection)  # type: ignore[attr-defined]  # JSONField has it
            resident = dict(zip(attnames, values, strict=True))
            found[resident["id_number"]] = resident
    return found
