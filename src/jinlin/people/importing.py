"""Importing residents, households and Party members from .xlsx into one area.

SPEC "Data in and out": report every bad row (row number, column, reason); all or nothing
unless "valid rows only"; the same file twice changes nothing. Rows are read as a stream and
written in chunks inside one transaction: residents matched by ID number, households by
building and room; missing compounds and buildings of the area are created. Every change is
kept in the records' history, derived groups are refreshed, and one audit event (counts
only, no personal data) records the import.
"""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.people import sheet
from jinlin.people.models import LifeStatus, PoliticalStatus, Resident
from jinlin.people.searchkeys import search_keys
from jinlin.people.services import refresh_derived_groups
from jinlin.people.sheet import CleanRow, Header, Problem, RowCleaner
from jinlin.people.workbook import Limits, SheetRows, WorkbookRefused
from jinlin.places.models import Area, Building, Compound, Household

MSG_NO_SHEET = "文件中没有找到可导入的工作表"
MSG_COMPOUND_NEEDED = "本居民区有多个小区（或还没有小区），请填写小区"
MSG_STAIRWELL_NEEDED = "该楼有多个门洞，请填写门洞"
MSG_OTHER_AREA = "该身份证号已登记在其他居民区，不能在本居民区导入（请先办理迁出）"
MSG_JOINED_NOT_MEMBER = "填写了入党时间，但政治面貌不是中共党员或预备党员"
MSG_CONFLICT = "导入时数据被他人同时修改，请重新导入"
MSG_NO_PARTY_RECORDS = "no app has registered the import's Party records (party.apps)"
CHANGE_REASON = "Excel 导入"

_CHUNK = 1000
RESIDENT_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "id_number",
    "phone",
    "relation_to_head",
    "residence_status",
    "employer",
    "occupation",
    "is_retired",
    "health",
    "health_notes",
    "hobbies",
    "political_status",
    "status",
    "status_date",
    "notes",
)


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    rows: int = 0
    new_compounds: list[str] = field(default_factory=list)
    new_buildings: list[str] = field(default_factory=list)
    new_households: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    header_row: int = 0
    written: bool = False
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        """Exactly the document the issue names: counts and errors."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [
                {"row": p.row, "column": p.column, "message": p.message} for p in self.errors
            ],
        }

    def summary(self) -> str:
        label = sheet.KIND_LABELS[self.kind]
        if self.dry_run:
            head = "试导入（未写入）："
        elif self.written:
            head = "已导入："
        else:
            head = "有错误，未写入任何数据："
        text = f"{head}新建{label} {self.created}，更新 {self.updated}，未变 {self.unchanged}，错误 {len(self.errors)} 处"
        extras = []
        if self.new_compounds:
            extras.append("新建小区：" + "、".join(self.new_compounds))
        if self.new_buildings:
            extras.append(f"新建楼组 {len(self.new_buildings)} 个")
        if self.new_households and self.kind != sheet.KIND_HOUSEHOLDS:
            extras.append(f"新建户 {self.new_households}")
        if self.ignored_columns:
            extras.append("未识别的列（已忽略）：" + "、".join(self.ignored_columns))
        return "；".join([text, *extras])


class _Rollback(Exception):
    pass


@dataclass(frozen=True)
class Person:
    """What a Party record needs of its resident."""

    pk: int
    household_id: int
    political_status: str


@dataclass(frozen=True)
class PartyRecords:
    """The writers of Party records, registered by the party app (people cannot import it).

    `sheet_chunk(writer, chunk)` writes a chunk of the 党员 sheet, counting each row in
    `writer.report`. `joined(writer, rows)` runs once a chunk of the residents sheet is
    written, with its rows that carry 入党时间 and their residents (`Person`), and returns
    the ids of the residents whose Party record it created or changed (counted as updated).
    Both report problems through `writer.problem` and add to `writer.touched_households`."""

    sheet_chunk: Callable[[Writer, list[CleanRow]], None]
    joined: Callable[[Writer, list[tuple[CleanRow, Person]]], set[int]]


_party_records: PartyRecords | None = None


def register_party_records(records: PartyRecords) -> None:
    """Called once by the party app (PartyConfig.ready): how Party records are written.

    Party records belong to the party app, which sits above people in the app graph
    (pyproject.toml): one registration point rather than a hook per event, because the
    importer needs exactly two things of it (the 党员 sheet's chunks, the 入党时间 of
    residents once a chunk of them is written) and calls both inside its own transaction,
    on its own chunks, reporting through its own writer."""
    global _party_records  # noqa: PLW0603 - the one registration point, filled at startup
    _party_records = records


class _Flat(NamedTuple):
    """A household as the import needs it: where its residents are filed."""

    pk: int
    building_id: int
    compound_id: int
    area_id: int


COMPARED_FIELDS = ("id", "area_id", "household_id", *RESIDENT_FIELDS)


def resident_defaults() -> dict[str, Any]:
    """Each field's default for a new resident (the sheet's values go over these)."""
    return {
        f.attname: f.get_default()
        for f in Resident._meta.concrete_fields
        if not f.primary_key
        and not f.generated
        and f.attname not in ("household_id", "building_id", "compound_id", "area_id")
    }


def _json_text(encoder: type[json.JSONEncoder] | None) -> Callable[[Any], str]:
    """A JSON value as the text both databases take (COPY parses it into jsonb); lists of
    a few tags repeat down a sheet, so each is encoded once."""

    @functools.lru_cache(maxsize=4096)
    def of_items(items: tuple[Any, ...]) -> str:
        return json.dumps(list(items), cls=encoder)

    def text(value: Any) -> str:
        if type(value) is list and all(type(item) is str for item in value):
            return of_items(tuple(value))
        return json.dumps(value, cls=encoder)

    return text


def fast_insert(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Write many rows given as {attname: value} (other keys are ignored) without building a
    model instance or compiling a query per row, which is where the ORM's bulk_create spends
    most of an import: COPY on PostgreSQL, one prepared INSERT run for every row on SQLite.
    Values are adapted once per field type, as the ORM would for this database; the primary
    key is written when the rows carry it (`reserve_ids`)."""
    if not rows:
        return
    ops = connection.ops
    first = rows[0]
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.generated and (not f.primary_key or f.attname in first)
    ]
    adapters: list[Any] = []
    for f in fields:
        kind = f.get_internal_type()
        if kind == "DateField":
            adapters.append(ops.adapt_datefield_value)
        elif kind == "DateTimeField":  # the same `now` on every row of a run
            adapters.append(functools.lru_cache(maxsize=16)(ops.adapt_datetimefield_value))
        elif kind == "JSONField":
            adapters.append(_json_text(f.encoder))  # type: ignore[attr-defined]
        else:
            adapters.append(None)
    take = operator.itemgetter(*[f.attname for f in fields])
    adapted = [(index, adapt) for index, adapt in enumerate(adapters) if adapt is not None]

    def params(row: dict[str, Any]) -> list[Any]:
        values = list(take(row))
        for index, adapt in adapted:
            if values[index] is not None:
                values[index] = adapt(values[index])
        return values

    quote = ops.quote_name
    # Names come from the model; every value is a parameter (or COPY data).
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(params(row))
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                [params(row) for row in rows],
            )


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
    column = model._meta.pk.column
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


def stored_residents(numbers: list[str]) -> dict[str, dict[str, Any]]:
    """The residents with these ID numbers, keyed by ID number, as {attname: value} of
    COMPARED_FIELDS: one plain query, without the ORM's work per item of a long IN list and
    per value of each row (an import compares every row of the sheet)."""
    if not numbers:
        return {}
    fields = [Resident._meta.get_field(name) for name in COMPARED_FIELDS]
    decoders = [
        (index, f) for index, f in enumerate(fields) if f.get_internal_type() == "JSONField"
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(Resident._meta.db_table)
    key = quote(Resident._meta.get_field("id_number").column)
    if connection.vendor == "postgresql":
        where, params = f"{key} = ANY(%s)", [numbers]
    else:
        where, params = f"{key} IN ({', '.join(['%s'] * len(numbers))})", numbers
    names = [f.attname for f in fields]
    found: dict[str, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} WHERE {where}", params)  # noqa: S608
        for values in cursor.fetchall():
            values = list(values)
            for index, f in decoders:
                values[index] = f.from_db_value(values[index], None, connection)
            resident = dict(zip(names, values, strict=True))
            found[resident["id_number"]] = resident
    return found


def import_limits() -> Limits:
    """The reader's limits from the settings (JINLIN_UPLOAD_*, JINLIN_IMPORT_MAX_ROWS);
    `JINLIN["IMPORT_LIMITS"]` may set any field of `Limits` (tests do)."""
    jinlin = getattr(settings, "JINLIN", {})
    defaults = Limits()
    configured = {
        "max_unzipped_bytes": jinlin.get(
            "UPLOAD_MAX_UNZIPPED_MB", defaults.max_unzipped_bytes // 2**20
        )
        * 2**20,
        "max_ratio": jinlin.get("UPLOAD_MAX_RATIO", defaults.max_ratio),
        "max_members": jinlin.get("UPLOAD_MAX_ENTRIES", defaults.max_members),
        "max_rows": jinlin.get("IMPORT_MAX_ROWS", defaults.max_rows),
    }
    return Limits(**{**configured, **jinlin.get("IMPORT_LIMITS", {})})


def import_sheet(
    *,
    source: str | Path | bytes | IO[bytes],
    kind: str,
    area: Area,
    actor: User | None,
    valid_only: bool = False,
    dry_run: bool = False,
    limits: Limits | None = None,
    actor_name: str = "",
) -> ImportReport:
    """Read the sheet and write it into the area (or, dry, only say what would happen)."""
    if kind not in sheet.KINDS:
        raise ValueError(kind)
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        with SheetRows(source, limits or import_limits()) as book:
            found = _find_sheet(book, kind)
            if isinstance(found, Problem):
                report.errors.append(found)
                return report
            header, rows = found
            report.header_row = header.row
            report.ignored_columns = header.ignored
            writer = Writer(
                kind=kind,
                area=area,
                actor=actor,
                report=report,
                headings=header.headings,
                party=_party_records,
            )
            cleaner = RowCleaner(kind, header, today=timezone.localdate())
            try:
                with transaction.atomic():
                    writer.run(_clean_rows(cleaner, rows, report))
                    if dry_run or (report.errors and not valid_only):
                        raise _Rollback
                    writer.finish(actor_name=actor_name, valid_only=valid_only)
                    report.written = True
            except _Rollback:
                pass
            except IntegrityError:
                report.errors.append(Problem(0, "", MSG_CONFLICT))
    except WorkbookRefused as refused:
        report.errors.append(Problem(0, "", refused.message))
    if not report.written and not dry_run:
        report.created = report.updated = report.unchanged = 0
    report.errors.sort(key=lambda p: p.row)
    return report


def _find_sheet(
    book: SheetRows, kind: str
) -> tuple[Header, Iterator[tuple[int, list[Any]]]] | Problem:
    first_problem: Problem | None = None
    for name in book.sheet_names()[:10]:
        rows = book.rows(name)
        found = sheet.find_header(rows, kind)
        if isinstance(found, Header):
            return found, rows
        first_problem = first_problem or found
    return first_problem or Problem(0, "", MSG_NO_SHEET)


def _clean_rows(
    cleaner: RowCleaner, rows: Iterator[tuple[int, list[Any]]], report: ImportReport
) -> Iterator[CleanRow]:
    seen: dict[tuple[Any, ...], int] = {}
    what = "身份证号" if cleaner.kind != sheet.KIND_HOUSEHOLDS else "户"
    column = (
        cleaner.heading("id_number")
        if cleaner.kind != sheet.KIND_HOUSEHOLDS
        else cleaner.heading("room")
    )
    for number, cells in rows:
        row = cleaner.clean(number, cells)
        if row is None:
            continue
        report.rows += 1
        key = sheet.duplicate_key(cleaner.kind, row.values)
        if key is not None:
            if key in seen:
                row.problems.append(
                    Problem(
                        number, column, sheet.MSG_DUPLICATE_ROW.format(row=seen[key], what=what)
                    )
                )
            else:
                seen[key] = number
        report.errors.extend(row.problems)
        yield row


def _chunks(rows: Iterator[CleanRow]) -> Iterator[list[CleanRow]]:
    chunk: list[CleanRow] = []
    for row in rows:
        if row.is_valid:
            chunk.append(row)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Writer:
    def __init__(
        self,
        *,
        kind: str,
        area: Area,
        actor: User | None,
        report: ImportReport,
        headings: dict[str, str],
        party: PartyRecords | None,
    ) -> None:
        self.kind = kind
        self.party = party
        self.headings = headings
        self.fresh_households: set[int] = set()
        self.defaults = resident_defaults()
        self.area = area
        self.actor = actor
        self.report = report
        self.touched_households: set[int] = set()
        self.compounds = {c.name: c for c in Compound.objects.filter(area=area)}
        self.buildings: dict[tuple[int, str, str], Building] = {
            (b.compound_id, b.number, b.stairwell): b
            for b in Building.objects.filter(compound__area=area)
        }
        # Building id → room → household: loaded once per building (_load_rooms).
        self.rooms: dict[int, dict[str, _Flat]] = {}
        self.now = timezone.now()

    def problem(self, row: CleanRow, key: str, message: str) -> None:
        problem = Problem(row.row, self.headings.get(key) or sheet.heading_of(key), message)
        row.problems.append(problem)
        self.report.errors.append(problem)

    def run(self, rows: Iterator[CleanRow]) -> None:
        for chunk in _chunks(rows):
            if self.kind == sheet.KIND_PARTY:
                self._party_records().sheet_chunk(self, chunk)
            else:
                households = self._households(chunk)
                if self.kind == sheet.KIND_HOUSEHOLDS:
                    self._household_notes(chunk, households)
                else:
                    self._resident_chunk(chunk, households)

    def _party_records(self) -> PartyRecords:
        if self.party is None:
            raise RuntimeError(MSG_NO_PARTY_RECORDS)
        return self.party

    def finish(self, *, actor_name: str, valid_only: bool) -> None:
        if self.touched_households:
            refresh_derived_groups(self.touched_households)
        report = self.report
        audit(
            actor=self.actor,
            action=AuditEvent.Action.IMPORT,
            object_type="area",
            object_id=self.area.pk,
            fields=[
                f"kind:{self.kind}",
                f"rows:{report.rows}",
                f"created:{report.created}",
                f"updated:{report.updated}",
                f"unchanged:{report.unchanged}",
                f"errors:{len(report.errors)}",
                *(["valid_only"] if valid_only else []),
            ],
            reason=CHANGE_REASON,
            area_id=self.area.pk,
            actor_name=actor_name,
        )

    # --- places -----------------------------------------------------------------------------

    def _compound(self, row: CleanRow) -> Compound | None:
        name = row.values.get("compound", "")
        if not name:
            if len(self.compounds) == 1:
                return next(iter(self.compounds.values()))
            self.problem(row, "compound", MSG_COMPOUND_NEEDED)
            return None
        for candidate in (name, name.removesuffix("小区"), name + "小区"):
            if candidate in self.compounds:
                return self.compounds[candidate]
        compound = Compound.objects.create(area=self.area, name=name)
        self.compounds[name] = compound
        self.report.new_compounds.append(name)
        return compound

    def _building(self, row: CleanRow, compound: Compound) -> Building | None:
        number = row.values["building"]
        stair = row.values.get("stairwell", "")
        key = (compound.id, number, stair)
        if key in self.buildings:
            return self.buildings[key]
        if not stair and any(k[0] == compound.id and k[1] == number for k in self.buildings):
            self.problem(row, "stairwell", MSG_STAIRWELL_NEEDED)
            return None
        building = Building(compound=compound, number=number, stairwell=stair)
        building.save()
        self.buildings[key] = building
        self.rooms[building.pk] = {}
        self.report.new_buildings.append(f"{compound.name}{building.label}")
        return building

    def _households(self, chunk: list[CleanRow]) -> dict[int, _Flat]:
        """The household of each row (by row number), created when missing."""
        wanted: dict[int, tuple[int, str]] = {}
        compound_of: dict[int, int] = {}
        for row in chunk:
            compound = self._compound(row)
            building = self._building(row, compound) if compound is not None else None
            if building is not None:
                wanted[row.row] = (building.id, row.values["room"])
                compound_of[building.id] = building.compound_id
        self._load_rooms(set(compound_of))
        rooms = self.rooms
        area_id = self.area.id
        missing: dict[tuple[int, str], dict[str, Any]] = {}
        for place in wanted.values():
            building_id, room = place
            if room not in rooms[building_id] and place not in missing:
                missing[place] = {
                    "building_id": building_id,
                    "room": room,
                    "compound_id": compound_of[building_id],
                    "area_id": area_id,
                    "notes": "",
                }
        self.fresh_households = set()
        if missing:
            created = list(missing.values())
            for household, pk in zip(created, reserve_ids(Household, len(created)), strict=True):
                household["id"] = pk
                rooms[household["building_id"]][household["room"]] = _Flat(
                    pk, household["building_id"], household["compound_id"], area_id
                )
            fast_insert(Household, created)
            fast_insert(Household.history.model, [self._history_row(h) for h in created])
            self.fresh_households = {h["id"] for h in created}
            self.report.new_households += len(created)
            if self.kind == sheet.KIND_HOUSEHOLDS:
                self.report.created += len(created)
        return {number: rooms[building_id][room] for number, (building_id, room) in wanted.items()}

    def _load_rooms(self, building_ids: set[int]) -> None:
        """The households of buildings not seen yet in this import, one query per chunk."""
        unknown = [pk for pk in building_ids if pk not in self.rooms]
        if not unknown:
            return
        for pk in unknown:
            self.rooms[pk] = {}
        for pk, building_id, room, compound_id, area_id in Household.objects.filter(
            building_id__in=unknown
        ).values_list("id", "building_id", "room", "compound_id", "area_id"):
            self.rooms[building_id][room] = _Flat(pk, building_id, compound_id, area_id)

    def _history_row(self, values: dict[str, Any]) -> dict[str, Any]:
        return {
            **values,
            "history_date": self.now,
            "history_change_reason": CHANGE_REASON,
            "history_type": "+",
            "history_user_id": self.actor.pk if self.actor is not None else None,
        }

    def _household_notes(self, chunk: list[CleanRow], flats: dict[int, _Flat]) -> None:
        households = Household.objects.in_bulk([flat.pk for flat in flats.values()])
        changed = []
        for row in chunk:
            flat = flats.get(row.row)
            if flat is None:
                continue
            household = households[flat.pk]
            notes = row.values.get("notes")
            if household.pk in self.fresh_households:
                if notes:
                    household.notes = notes
                    changed.append(household)
                continue
            if notes is not None and notes != household.notes:
                household.notes = notes
                changed.append(household)
                self.report.updated += 1
            else:
                self.report.unchanged += 1
        if changed:
            bulk_update_with_history(
                changed,
                Household,
                ["notes"],
                batch_size=500,
                default_user=self.actor,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )

    # --- residents -----------------------------------------------------------------------------

    def _resident_chunk(self, chunk: list[CleanRow], households: dict[int, _Flat]) -> None:
        numbers = [row.values["id_number"] for row in chunk]
        # Compared as plain values: model instances only for the rows that changed.
        existing = stored_residents(numbers)
        new: list[dict[str, Any]] = []
        updates: dict[int, tuple[dict[str, Any], _Flat]] = {}
        changed_fields: set[str] = set()
        party_rows: list[tuple[CleanRow, str]] = []
        people: dict[str, Person] = {}
        outcome: dict[int, str] = {}
        for row in chunk:
            household = households.get(row.row)
            if household is None:
                continue
            values = row.values
            resident = existing.get(values["id_number"])
            if resident is not None and resident["area_id"] != self.area.pk:
                self.problem(row, "id_number", MSG_OTHER_AREA)
                continue
            political = values.get("political_status") or (
                resident["political_status"] if resident else None
            )
            if "joined_on" in values and political not in (
                PoliticalStatus.MEMBER,
                PoliticalStatus.PROBATIONARY,
            ):
                self.problem(row, "joined_on", MSG_JOINED_NOT_MEMBER)
                continue
            wanted = {name: values[name] for name in RESIDENT_FIELDS if name in values}
            if values.get("status") == LifeStatus.CURRENT:
                wanted["status_date"] = None
            if "joined_on" in values:
                party_rows.append((row, values["id_number"]))
            if resident is None:
                new.append(self._new_resident(wanted, household))
                self.touched_households.add(household.pk)
                self.report.created += 1
                continue
            people[values["id_number"]] = Person(resident["id"], household.pk, political or "")
            fields = [name for name, value in wanted.items() if resident[name] != value]
            if resident["household_id"] != household.pk:
                self.touched_households.add(resident["household_id"])
                fields += ["household", "building", "compound", "area"]
            if fields:
                updates[resident["id"]] = (wanted, household)
                changed_fields.update(fields)
                self.touched_households.add(household.pk)
            outcome[row.row] = "updated" if fields else "unchanged"
        if new:
            for resident, pk in zip(new, reserve_ids(Resident, len(new)), strict=True):
                resident["id"] = pk
                people[resident["id_number"]] = Person(
                    pk, resident["household_id"], resident["political_status"]
                )
            fast_insert(Resident, new)
            fast_insert(Resident.history.model, [self._history_row(r) for r in new])
        if updates:
            changed = list(Resident.objects.filter(pk__in=list(updates)))
            for resident in changed:
                wanted, household = updates[resident.pk]
                for name, value in wanted.items():
                    setattr(resident, name, value)
                resident.household_id = household.pk
                resident.building_id = household.building_id
                resident.compound_id = household.compound_id
                resident.area_id = household.area_id
                resident.name_pinyin, resident.name_initials, resident.phone_tail = search_keys(
                    resident.name, resident.phone
                )
            changed_fields |= {"name_pinyin", "name_initials", "phone_tail"}
            bulk_update_with_history(
                changed,
                Resident,
                sorted(changed_fields),
                batch_size=500,
                default_user=self.actor,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )
        party_changed = (
            self._party_records().joined(
                self, [(row, people[number]) for row, number in party_rows]
            )
            if party_rows
            else set()
        )
        for row in chunk:
            state = outcome.get(row.row)
            if state is None or not row.is_valid:
                continue
            if state == "updated" or existing[row.values["id_number"]]["id"] in party_changed:
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    def _new_resident(self, wanted: dict[str, Any], household: _Flat) -> dict[str, Any]:
        resident = {**self.defaults, **wanted}
        resident["household_id"] = household.pk
        resident["building_id"] = household.building_id
        resident["compound_id"] = household.compound_id
        resident["area_id"] = household.area_id
        resident["name_pinyin"], resident["name_initials"], resident["phone_tail"] = search_keys(
            resident["name"], resident["phone"]
        )
        resident["created_at"] = self.now
        return resident
