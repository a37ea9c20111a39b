"""The import's writing: a chunk of clean rows of one kind into one area, inside the
transaction people.importing opens.

Residents are matched by ID number, households by building and room; missing compounds,
buildings and households of the area are created. New rows go in through the raw bulk
writer (people.bulkwrite) with their history; changed ones through simple-history's bulk
update. Party records are not people's: the 党员 sheet and the 入党时间 of members on the
residents sheet are written by the `PartyRecords` the party app registers
(people.importing.register_party_records), called on the same chunks and writer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models.functions import Substr
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.people import sheet
from jinlin.people.bulkwrite import fast_insert, reserve_ids, stored_residents
from jinlin.people.catalogue import Catalogue, group_catalogue
from jinlin.people.importreport import ImportReport
from jinlin.people.models import GroupMembership, LifeStatus, PoliticalStatus, Resident
from jinlin.people.searchkeys import search_keys
from jinlin.people.services import (
    PlacedResident,
    derive_groups_of_new_households,
    may_manage_groups,
    refresh_derived_groups,
)
from jinlin.people.sheet import CleanRow, MaskedId, Problem
from jinlin.places.figures import bump_areas
from jinlin.places.models import Area, Building, Compound, Household

MSG_COMPOUND_NEEDED = "本居民区有多个小区（或还没有小区），请填写小区"
MSG_STAIRWELL_NEEDED = "该楼有多个门洞，请填写门洞"
MSG_OTHER_AREA = "该身份证号已登记在其他居民区，不能在本居民区导入（请先办理迁出）"
MSG_NEW_COMPOUND = "本居民区没有“{compound}”小区，导入时将新建"
MSG_NEW_BUILDING = "{compound}没有{building}，导入时将新建"
MSG_PLACE_NOT_CONFIRMED = "{place}不存在：新建小区或楼组须确认（导入页勾选“新建以上小区和楼组”，命令行加 --create-places）"
MSG_MASKED_NO_MATCH = "脱敏的身份证号在本居民区找不到同名的居民：新登记的居民请填写完整的身份证号"
MSG_MASKED_AMBIGUOUS = "脱敏的身份证号对应本居民区多位同名居民，请填写完整的身份证号"
MSG_JOINED_NOT_MEMBER = "填写了入党时间，但政治面貌不是中共党员或预备党员"
MSG_NO_PARTY_RECORDS = "no app has registered the import's Party records (party.apps)"
CHANGE_REASON = "Excel 导入"
GROUP_REASON = "Excel 导入认定"
MSG_UNKNOWN_GROUP = "本居民区没有“{label}”这个群体（可填：{known}）"
MSG_GROUP_SECRETARY_ONLY = "“{label}”仅由居民区书记/主任认定"


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


@dataclass(frozen=True)
class Person:
    """What a Party record needs of its resident."""

    pk: int
    household_id: int
    political_status: str


class _Flat(NamedTuple):
    """A household as the import needs it: where its residents are filed."""

    pk: int
    building_id: int
    compound_id: int
    area_id: int


_RESIDENT_FIELD_SET = frozenset(RESIDENT_FIELDS)
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


class Writer:
    """Writes the chunks of one import (`write`), then refreshes the derived groups of the
    households it touched and records the audit event (`finish`)."""

    def __init__(
        self,
        *,
        kind: str,
        area: Area,
        actor: User | None,
        report: ImportReport,
        headings: dict[str, str],
        party: PartyRecords | None,
        create_places: bool = False,
    ) -> None:
        self.kind = kind
        # A compound or building the area lacks is created only when the user confirmed it
        # (or in a dry run, which rolls back and names each one with its first row).
        self.create_places = create_places
        self.party = party
        self.headings = headings
        self.fresh_households: set[int] = set()
        self.defaults = resident_defaults()
        self.area = area
        self.actor = actor
        self.report = report
        self.touched_households: set[int] = set()
        # Households this import created, and the new residents filed in them: their derived
        # groups follow from these rows alone (`finish`), unless a resident already
        # registered moved into one (`mixed_households`: read back like the others).
        self.created_households: set[int] = set()
        self.mixed_households: set[int] = set()
        self.placed_in_created: list[PlacedResident] = []
        self.compounds = {c.name: c for c in Compound.objects.filter(area=area)}
        self.buildings: dict[tuple[int, str, str], Building] = {
            (b.compound_id, b.number, b.stairwell): b
            for b in Building.objects.filter(compound__area=area)
        }
        self.numbered = {(compound_id, number) for compound_id, number, _ in self.buildings}
        self.unsaved_buildings: list[Building] = []
        # Building id → room → household: loaded once per building (_load_rooms).
        self.rooms: dict[int, dict[str, _Flat]] = {}
        self.now = timezone.now()
        # (holder id, holder area id) of every ID number refused as another area's: recorded
        # by the caller after the import's transaction, which may roll back.
        self.id_number_clashes: list[tuple[int, int]] = []
        self.catalogue: Catalogue | None = None  # the area's groups, read at the first named

    def _heading(self, key: str) -> str:
        return self.headings.get(key) or sheet.heading_of(key)

    def problem(self, row: CleanRow, key: str, message: str) -> None:
        problem = Problem(row.row, self._heading(key), message)
        row.problems.append(problem)
        self.report.errors.append(problem)

    def write(self, chunk: list[CleanRow]) -> None:
        """One chunk of valid rows."""
        chunk = self._unmasked(chunk)
        if self.kind == sheet.KIND_PARTY:
            self._party_records().sheet_chunk(self, chunk)
        else:
            households = self._households(chunk)
            if self.kind == sheet.KIND_HOUSEHOLDS:
                self._household_notes(chunk, households)
            else:
                self._resident_chunk(chunk, households)

    def _unmasked(self, chunk: list[CleanRow]) -> list[CleanRow]:
        """Rows of a masked export carry 310105********123X: each is the resident of this area
        with that region, those last four and the row's name, whose number it then takes (one
        query a chunk). No such resident, or two: the row is refused with a message."""
        masked = [row for row in chunk if isinstance(row.values.get("id_number"), MaskedId)]
        if not masked:
            return chunk
        heads = {row.values["id_number"].head for row in masked}
        candidates: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for number, name in (
            Resident.objects.filter(area=self.area)
            .annotate(head=Substr("id_number", 1, 6))
            .filter(head__in=heads)
            .values_list("id_number", "name")
        ):
            candidates[(number[:6], number[-4:], name)].append(number)
        for row in masked:
            key: MaskedId = row.values["id_number"]
            found = candidates.get((key.head, key.tail, row.values.get("name", "")), [])
            if len(found) == 1:
                row.values["id_number"] = found[0]
            else:
                self.problem(
                    row, "id_number", MSG_MASKED_AMBIGUOUS if found else MSG_MASKED_NO_MATCH
                )
        return [row for row in chunk if row.is_valid]

    def _party_records(self) -> PartyRecords:
        if self.party is None:
            raise RuntimeError(MSG_NO_PARTY_RECORDS)
        return self.party

    def finish(self, *, actor_name: str, valid_only: bool) -> None:
        fresh = self.created_households - self.mixed_households
        placed = [person for person in self.placed_in_created if person.household_id in fresh]
        derive_groups_of_new_households(placed, area_id=self.area.pk)
        if self.touched_households - fresh:
            refresh_derived_groups(self.touched_households - fresh)
        # The raw bulk writer sends no signal: the area's counts moved (places.figures).
        bump_areas([self.area.pk])
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
        found = self.compounds.get(name)
        if found is not None:
            return found
        if not name:
            if len(self.compounds) == 1:
                return next(iter(self.compounds.values()))
            self.problem(row, "compound", MSG_COMPOUND_NEEDED)
            return None
        for candidate in (name.removesuffix("小区"), name + "小区"):  # the name itself: above
            if candidate in self.compounds:
                return self.compounds[candidate]
        if not self.create_places:
            self.problem(row, "compound", MSG_PLACE_NOT_CONFIRMED.format(place=f"“{name}”小区"))
            return None
        compound = Compound.objects.create(area=self.area, name=name)
        self.compounds[name] = compound
        self.report.new_compounds.append(name)
        self.report.new_places.append(
            Problem(row.row, self._heading("compound"), MSG_NEW_COMPOUND.format(compound=name))
        )
        return compound

    def _building(self, row: CleanRow, compound: Compound) -> Building | None:
        number = row.values["building"]
        stair = row.values.get("stairwell", "")
        key = (compound.id, number, stair)
        if key in self.buildings:
            return self.buildings[key]
        if not stair and (compound.id, number) in self.numbered:
            self.problem(row, "stairwell", MSG_STAIRWELL_NEEDED)
            return None
        building = Building(compound=compound, number=number, stairwell=stair)
        if not self.create_places:
            place = f"{compound.name}{building.label}"
            self.problem(row, "building", MSG_PLACE_NOT_CONFIRMED.format(place=place))
            return None
        building.keep_sort_key()
        self.unsaved_buildings.append(building)  # written with the chunk's others (_households)
        self.buildings[key] = building
        self.numbered.add((compound.id, number))
        self.report.new_buildings.append(f"{compound.name}{building.label}")
        self.report.new_places.append(
            Problem(
                row.row,
                self._heading("building"),
                MSG_NEW_BUILDING.format(compound=compound.name, building=building.label),
            )
        )
        return building

    def _households(self, chunk: list[CleanRow]) -> dict[int, _Flat]:
        """The household of each row (by row number), created when missing."""
        placed: list[tuple[CleanRow, Building]] = []
        for row in chunk:
            compound = self._compound(row)
            building = self._building(row, compound) if compound is not None else None
            if building is not None:
                placed.append((row, building))
        if self.unsaved_buildings:
            Building.objects.bulk_create(self.unsaved_buildings)
            for building in self.unsaved_buildings:
                self.rooms[building.pk] = {}
            self.unsaved_buildings = []
        wanted: dict[int, tuple[int, str]] = {}
        compound_of: dict[int, int] = {}
        for row, building in placed:
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
            fast_insert(Household, created, history=(Household.history.model, self._history()))
            self.fresh_households = {h["id"] for h in created}
            self.created_households |= self.fresh_households
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

    def _history(self) -> dict[str, Any]:
        """The fields of a history row of its own: the import created the record."""
        return {
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
        existing = stored_residents(numbers, COMPARED_FIELDS)
        new: list[dict[str, Any]] = []
        updates: dict[int, tuple[dict[str, Any], _Flat]] = {}
        changed_fields: set[str] = set()
        party_rows: list[tuple[CleanRow, str]] = []
        group_rows: list[tuple[CleanRow, str, list[str], _Flat]] = []
        people: dict[str, Person] = {}
        outcome: dict[int, str] = {}
        area_id = self.area.pk
        touched = self.touched_households
        created = 0
        for row in chunk:
            household = households.get(row.row)
            if household is None:
                continue
            values = row.values
            resident = existing.get(values["id_number"])
            if resident is not None and resident["area_id"] != area_id:
                self.problem(row, "id_number", MSG_OTHER_AREA)
                self.id_number_clashes.append((resident["id"], resident["area_id"]))
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
            codes = (
                self._group_codes(row) if "groups" in values or "sensitive_groups" in values else []
            )
            if codes is None:
                continue
            if codes:
                group_rows.append((row, values["id_number"], codes, household))
            if "joined_on" in values:
                party_rows.append((row, values["id_number"]))
            current = values.get("status") == LifeStatus.CURRENT
            if resident is None:
                assert row.keys is not None  # the cleaner works out every resident row's keys
                new.append(self._new_resident(values, household, row.keys, current=current))
                touched.add(household.pk)
                created += 1
                continue
            wanted = {name: value for name, value in values.items() if name in _RESIDENT_FIELD_SET}
            if current:
                wanted["status_date"] = None
            people[values["id_number"]] = Person(resident["id"], household.pk, political or "")
            fields = [name for name, value in wanted.items() if resident[name] != value]
            if resident["household_id"] != household.pk:
                self.touched_households.add(resident["household_id"])
                fields += ["household", "building", "compound", "area"]
            if fields:
                if household.pk in self.created_households:
                    self.mixed_households.add(household.pk)
                updates[resident["id"]] = (wanted, household)
                changed_fields.update(fields)
                self.touched_households.add(household.pk)
            outcome[row.row] = "updated" if fields else "unchanged"
        self.report.created += created
        if new:
            for resident, pk in zip(new, reserve_ids(Resident, len(new)), strict=True):
                resident["id"] = pk
                people[resident["id_number"]] = Person(
                    pk, resident["household_id"], resident["political_status"]
                )
                if resident["household_id"] in self.created_households:
                    self.placed_in_created.append(
                        PlacedResident(
                            pk,
                            resident["household_id"],
                            resident["area_id"],
                            resident["compound_id"],
                            resident["birth_date"],
                            resident["status"],
                        )
                    )
            fast_insert(Resident, new, history=(Resident.history.model, self._history()))
        if updates:
            changed = list(Resident.objects.filter(pk__in=list(updates)))
            for record in changed:
                wanted, household = updates[record.pk]
                for name, value in wanted.items():
                    setattr(record, name, value)
                record.household_id = household.pk
                record.building_id = household.building_id
                record.compound_id = household.compound_id
                record.area_id = household.area_id
                record.name_pinyin, record.name_initials, record.phone_tail = search_keys(
                    record.name, record.phone
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
        grouped = self._add_groups(group_rows, people) if group_rows else set()
        for row in chunk:
            state = outcome.get(row.row)
            if state is None or not row.is_valid:
                continue
            pk = existing[row.values["id_number"]]["id"]
            if state == "updated" or pk in party_changed or pk in grouped:
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    # --- groups 群体 -------------------------------------------------------------------------

    def _group_codes(self, row: CleanRow) -> list[str] | None:
        """The codes of the groups the row names (群体, 敏感群体) in the area's catalogue; None
        when one is not there, or is kept for the secretary and the importer is not one (the
        row is refused with a message). The derived groups are rules: named, they are skipped."""
        labels = [*row.values.get("groups", []), *row.values.get("sensitive_groups", [])]
        if not labels:
            return []
        if self.catalogue is None:
            self.catalogue = group_catalogue(self.area.pk)
        codes: list[str] = []
        for label in labels:
            kind = self.catalogue.by_label(label)
            key = (
                "sensitive_groups" if label in row.values.get("sensitive_groups", []) else "groups"
            )
            if kind is None:
                known = "、".join(k.label for k in self.catalogue.kinds if not k.is_derived)
                self.problem(row, key, MSG_UNKNOWN_GROUP.format(label=label, known=known))
                return None
            if kind.is_derived:
                continue
            if kind.assignable_by == "secretary" and not self._may_assign_secretary_groups():
                self.problem(row, key, MSG_GROUP_SECRETARY_ONLY.format(label=label))
                return None
            if kind.code not in codes:
                codes.append(kind.code)
        return codes

    def _may_assign_secretary_groups(self) -> bool:
        return self.actor is None or may_manage_groups(self.actor, area_id=self.area.pk)

    def _add_groups(
        self,
        rows: list[tuple[CleanRow, str, list[str], _Flat]],
        people: dict[str, Person],
    ) -> set[int]:
        """Memberships the rows name and their residents lack, set by the importer with the
        import as their reason (none is ended: a group is left only on the resident's page,
        with a reason). The ids of the residents that gained one."""
        ids = {people[number].pk for _row, number, _codes, _flat in rows if number in people}
        held = set(
            GroupMembership.objects.filter(
                resident_id__in=ids, ended_on__isnull=True, source=GroupMembership.Source.MANUAL
            ).values_list("resident_id", "group")
        )
        today = timezone.localdate()
        new: list[GroupMembership] = []
        for row, number, codes, flat in rows:
            person = people.get(number)
            if person is None or not row.is_valid:
                continue
            for code in codes:
                if (person.pk, code) in held:
                    continue
                held.add((person.pk, code))
                new.append(
                    GroupMembership(
                        resident_id=person.pk,
                        household_id=flat.pk,
                        area_id=flat.area_id,
                        compound_id=flat.compound_id,
                        group=code,
                        source=GroupMembership.Source.MANUAL,
                        since=today,
                        reason=GROUP_REASON,
                        set_by=self.actor,
                        set_at=self.now,
                    )
                )
        if new:
            bulk_create_with_history(
                new,
                GroupMembership,
                batch_size=500,
                default_user=self.actor,
                default_change_reason=CHANGE_REASON,
                default_date=self.now,
            )
        return {membership.resident_id for membership in new}

    def _new_resident(
        self,
        values: dict[str, Any],
        household: _Flat,
        keys: tuple[str, str, str],
        *,
        current: bool,
    ) -> dict[str, Any]:
        """A new resident's values from the row's: the sheet's other keys (小区, 楼号, 群体 …)
        name no column of the resident and are not written (fast_insert takes the fields it
        writes). `keys` are the row's search keys from the cleaning, which takes a missing
        name or phone as empty, as the defaults are."""
        resident = {**self.defaults, **values}
        if current:
            resident["status_date"] = None
        resident["household_id"] = household.pk
        resident["building_id"] = household.building_id
        resident["compound_id"] = household.compound_id
        resident["area_id"] = household.area_id
        resident["name_pinyin"], resident["name_initials"], resident["phone_tail"] = keys
        resident["created_at"] = self.now
        return resident
