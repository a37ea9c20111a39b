"""Party members written by the Excel import of people (people.importing).

Two sheets carry Party records: the 党员 sheet (kind `party-members`), whose rows name
residents already registered in the area, and the residents sheet, whose members may carry
入党时间. people sits below party in the app graph and never imports PartyMember: its
importer reaches these writers through the `PartyRecords` that `PartyConfig.ready()`
registers with `people.importing.register_party_records`. They run inside the importer's
transaction, on its chunks, and report through its `Writer` (problems, counts, touched
households), so the import reads and reports as it did when this code lived in people.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from jinlin.party.models import PartyMember
from jinlin.people.importwriter import CHANGE_REASON, PartyRecords, Writer
from jinlin.people.models import PoliticalStatus, Resident
from jinlin.people.sheet import CleanRow

MSG_NOT_REGISTERED = "本居民区没有登记该身份证号的居民，请先导入居民"
MSG_NAME_DIFFERS = "姓名与本居民区登记的该身份证号居民不一致"

PARTY_FIELDS = (
    "joined_on",
    "full_member_on",
    "is_in_service",
    "is_dual_registered",
    "home_organisation",
    "can_contact",
    "cannot_contact_reason",
    "phone_consent",
)


def full_member_on(
    values: dict[str, Any], political: str | None, existing: PartyMember | None
) -> date | None:
    """转正时间 when the sheet does not say: a 中共党员 is taken to have served the one-year
    probation of the Party constitution (art. 7); a 预备党员 has not."""
    if "full_member_on" in values:
        return values["full_member_on"]
    if existing is not None:
        return existing.full_member_on
    if political == PoliticalStatus.PROBATIONARY:
        return None
    joined: date = values["joined_on"]
    try:
        return joined.replace(year=joined.year + 1)
    except ValueError:
        return joined + timedelta(days=365)


def _members_of(resident_ids: list[int]) -> dict[int, PartyMember]:
    return {m.resident_id: m for m in PartyMember.objects.filter(resident_id__in=resident_ids)}


def write_members(
    writer: Writer, rows: list[tuple[CleanRow, Any]], members: dict[int, PartyMember]
) -> set[int]:
    """Create or update Party members from rows with 入党时间; the residents changed.

    Each row comes with its resident: anything with `pk`, `household_id` and
    `political_status` (a Resident, or the importer's `Person`)."""
    new: list[PartyMember] = []
    changed: list[PartyMember] = []
    fields: set[str] = set()
    for row, resident in rows:
        values = row.values
        member = members.get(resident.pk)
        wanted = {name: values[name] for name in PARTY_FIELDS if name in values}
        wanted["full_member_on"] = full_member_on(values, resident.political_status, member)
        if member is None:
            new.append(PartyMember(resident_id=resident.pk, **wanted))
            writer.touched_households.add(resident.household_id)
            continue
        differing = [name for name, value in wanted.items() if getattr(member, name) != value]
        if differing:
            for name in differing:
                setattr(member, name, wanted[name])
            changed.append(member)
            fields.update(differing)
            writer.touched_households.add(resident.household_id)
    if new:
        bulk_create_with_history(
            new,
            PartyMember,
            batch_size=500,
            default_user=writer.actor,
            default_change_reason=CHANGE_REASON,
            default_date=writer.now,
        )
    if changed:
        bulk_update_with_history(
            changed,
            PartyMember,
            sorted(fields),
            batch_size=500,
            default_user=writer.actor,
            default_change_reason=CHANGE_REASON,
            default_date=writer.now,
        )
    return {m.resident_id for m in new} | {m.resident_id for m in changed}


def write_joined(writer: Writer, rows: list[tuple[CleanRow, Any]]) -> set[int]:
    """入党时间 on the residents sheet, once the chunk's residents are written: the Party
    members of these residents created or updated; the residents whose record changed."""
    members = _members_of([resident.pk for _, resident in rows])
    return write_members(writer, rows, members)


def write_sheet_chunk(writer: Writer, chunk: list[CleanRow]) -> None:
    """A chunk of the 党员 sheet: each row's resident must be registered in the area under
    that name; its Party record is written and its 政治面貌 follows 转正时间."""
    numbers = [row.values["id_number"] for row in chunk]
    residents = {
        r.id_number: r for r in Resident.objects.filter(id_number__in=numbers, area=writer.area)
    }
    members = {
        m.resident_id: m for m in PartyMember.objects.filter(resident__in=residents.values())
    }
    rows: list[tuple[CleanRow, Resident]] = []
    for row in chunk:
        resident = residents.get(row.values["id_number"])
        if resident is None:
            writer.problem(row, "id_number", MSG_NOT_REGISTERED)
            continue
        if row.values.get("name") and row.values["name"] != resident.name:
            writer.problem(row, "name", MSG_NAME_DIFFERS)
            continue
        rows.append((row, resident))
    existed = {resident.pk for _, resident in rows if resident.pk in members}
    changed = write_members(writer, rows, members)
    political_changes = []
    today = timezone.localdate()
    report = writer.report
    for row, resident in rows:
        member_on = full_member_on(row.values, resident.political_status, members.get(resident.pk))
        political = (
            PoliticalStatus.MEMBER
            if member_on is not None and member_on <= today
            else PoliticalStatus.PROBATIONARY
        )
        if resident.political_status != political:
            resident.political_status = political
            political_changes.append(resident)
        if resident.pk not in existed:
            report.created += 1
        elif resident.pk in changed or resident in political_changes:
            report.updated += 1
        else:
            report.unchanged += 1
    if political_changes:
        bulk_update_with_history(
            political_changes,
            Resident,
            ["political_status"],
            batch_size=500,
            default_user=writer.actor,
            default_change_reason=CHANGE_REASON,
            default_date=writer.now,
        )


RECORDS = PartyRecords(sheet_chunk=write_sheet_chunk, joined=write_joined)
