"""Exporting residents to .xlsx in the import's own columns, masked unless the role may unmask.

SPEC "Privacy" and "Data in and out": exports obey access (a worker gets its patch, 404
elsewhere), carry who made them and when (document properties and a header line), are
audited, and neutralise cells that a spreadsheet would run as formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from jinlin.core.access import can_see_personal_data, can_unmask
from jinlin.core.audit import audit
from jinlin.core.idnumber import mask_id_number, mask_phone
from jinlin.core.models import AuditEvent, User
from jinlin.people import cells, sheet
from jinlin.people.access import visible_residents
from jinlin.people.catalogue import group_catalogue, is_sensitive, label_of
from jinlin.people.masking import HIDDEN
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.people.sensitive import may_list_group, record_group_list
from jinlin.places.access import access_area, access_building, access_compound, visible_households
from jinlin.places.models import Area, Building, Compound, Household

MSG_REASON_NEEDED = "导出完整信息须说明事由"
MSG_NOT_ALLOWED = "您的角色无权导出完整信息"
MSG_NO_GROUP = "没有这个群体"
EXPORT_FIELDS = ("id_number", "phone", "health", "sensitive_groups")
TEXT_COLUMNS = frozenset({"building", "stairwell", "room", "id_number", "phone"})
DATE_COLUMNS = frozenset({"birth_date", "joined_on", "full_member_on", "status_date"})
WIDTHS = {
    "compound": 14,
    "name": 10,
    "id_number": 21,
    "phone": 14,
    "birth_date": 12,
    "employer": 20,
    "notes": 24,
    "health_notes": 16,
    "hobbies": 16,
    "residence_status": 10,
    "relation_to_head": 10,
}


@dataclass
class Export:
    content: bytes
    filename: str
    count: int
    unmasked: list[str]


@dataclass
class Selection:
    area: Area
    compound: Compound | None = None
    building: Building | None = None
    group: str | None = None

    @property
    def label(self) -> str:
        if self.building is not None:
            return f"{self.building.compound.name}{self.building.label}"
        if self.compound is not None:
            return self.compound.name
        if self.group is not None:
            return f"{self.area.name}{label_of(self.group)}"
        return self.area.name

    def place_q(self) -> Q:
        """Rows of the chosen place, for any model keyed by area, compound and building."""
        condition = Q(area=self.area)
        if self.compound is not None:
            condition &= Q(compound=self.compound)
        if self.building is not None:
            condition &= Q(building=self.building)
        return condition

    @property
    def object(self) -> tuple[str, int | str]:
        if self.building is not None:
            return "building", self.building.pk
        if self.compound is not None:
            return "compound", self.compound.pk
        if self.group is not None:
            return "group", self.group
        return "area", self.area.pk


def select(
    user: User | None,
    *,
    area_id: int,
    compound_id: int | None = None,
    building_id: int | None = None,
    group: str | None = None,
) -> Selection:
    """What to export, each place through its gatekeeper (404 outside the user's reach)."""
    if user is None:  # the operator's command line, without --user
        area = Area.objects.get(pk=area_id)
        compound = Compound.objects.filter(area=area).get(pk=compound_id) if compound_id else None
        building = (
            Building.objects.select_related("compound")
            .filter(compound__area=area)
            .get(pk=building_id)
            if building_id
            else None
        )
    else:
        area = access_area(user, area_id)
        if not can_see_personal_data(user):
            raise Http404("没有找到")
        compound = access_compound(user, compound_id) if compound_id else None
        building = access_building(user, building_id) if building_id else None
        if compound is not None and compound.area_id != area.pk:
            raise Http404("没有找到该小区")
        if building is not None and building.compound.area_id != area.pk:
            raise Http404("没有找到该楼组")
    if group is not None:
        if group_catalogue(area.pk).get(group) is None:
            raise Http404(MSG_NO_GROUP)
        if not may_list_group(user, group):
            raise Http404("没有找到")
    return Selection(area=area, compound=compound, building=building, group=group)


def residents_for(
    user: User | None, selection: Selection, *, include_gone: bool = False
) -> QuerySet[Resident]:
    residents = Resident.objects.all() if user is None else visible_residents(user)
    residents = residents.filter(selection.place_q())
    if selection.group is not None:
        today = timezone.localdate()
        residents = residents.filter(
            memberships__group=selection.group,
            memberships__ended_on__isnull=True,
            memberships__since__lte=today,
        ).distinct()
    if not include_gone:
        residents = residents.filter(status=LifeStatus.CURRENT)
    return residents.select_related("household__building__compound", "party_member").order_by(
        "compound__name",
        "building__sort_key",
        "building__number",
        "building__stairwell",
        "household__room",
        "id",
    )


def unmasked_fields(
    user: User | None, *, unmasked: bool, reason: str, kind: str = sheet.KIND_RESIDENTS
) -> list[str]:
    if not unmasked:
        return []
    if user is None:
        raise PermissionDenied(MSG_NOT_ALLOWED)
    if not reason.strip():
        raise PermissionDenied(MSG_REASON_NEEDED)
    columns = set(sheet.KIND_COLUMNS[kind])
    fields = [name for name in EXPORT_FIELDS if name in columns and can_unmask(user, name)]
    if not fields:
        raise PermissionDenied(MSG_NOT_ALLOWED)
    return fields


def _values(resident: Resident, whole: frozenset[str]) -> dict[str, Any]:
    household = resident.household
    building = household.building
    member = getattr(resident, "party_member", None)
    masked_health = "health" not in whole
    memberships = [
        m for m in resident.memberships.all() if m.source == GroupMembership.Source.MANUAL
    ]
    return {
        "compound": building.compound.name,
        "building": building.number,
        "stairwell": building.stairwell,
        "room": household.room,
        "name": resident.name,
        "gender": resident.gender,
        "id_number": resident.id_number
        if "id_number" in whole
        else mask_id_number(resident.id_number),
        # A masked ID hides the birth date: the whole date beside it would give it back.
        "birth_date": resident.birth_date
        if "id_number" in whole
        else f"{resident.birth_date.year}年",
        "phone": resident.phone if "phone" in whole else mask_phone(resident.phone),
        "relation_to_head": resident.relation_to_head,
        "residence_status": resident.residence_status,
        "employer": resident.employer,
        "occupation": resident.occupation,
        "is_retired": resident.is_retired,
        "health": HIDDEN if masked_health else resident.health,
        # Hidden on every row alike: "已隐藏" only where a note exists would tell who is ill.
        "health_notes": HIDDEN if masked_health else resident.health_notes,
        "hobbies": resident.hobbies or [],
        "political_status": resident.political_status,
        "joined_on": member.joined_on if member is not None else None,
        "status": resident.status,
        "status_date": resident.status_date,
        "notes": resident.notes,
        # Groups set by hand (the derived ones follow the data): the sensitive ones, an area's
        # own such as 低保 too, hidden on every row alike unless the export is whole.
        "groups": [label_of(m.group) for m in memberships if not is_sensitive(m.group)],
        "sensitive_groups": HIDDEN
        if "sensitive_groups" not in whole
        else [label_of(m.group) for m in memberships if is_sensitive(m.group)],
    }


def _party_values(resident: Resident, whole: frozenset[str]) -> dict[str, Any]:
    """A Party member as the party-members sheet has it (a masked ID hides who it is only
    partly: the name is there, as on the placard)."""
    member = resident.party_member
    return {
        "name": resident.name,
        "id_number": resident.id_number
        if "id_number" in whole
        else mask_id_number(resident.id_number),
        "joined_on": member.joined_on,
        "full_member_on": member.full_member_on,
        "is_in_service": member.is_in_service,
        "is_dual_registered": member.is_dual_registered,
        "home_organisation": member.home_organisation,
        "can_contact": member.can_contact,
        "cannot_contact_reason": member.cannot_contact_reason,
        "phone_consent": member.phone_consent,
    }


def households_for(user: User | None, selection: Selection) -> QuerySet[Household]:
    """The selection's households: every flat of the place (empty ones too), or for a group,
    the flats of its members."""
    if selection.group is not None:
        households = Household.objects.filter(
            pk__in=residents_for(user, selection).values("household_id")
        )
    else:
        households = Household.objects.all() if user is None else visible_households(user)
        households = households.filter(selection.place_q())
    return households.select_related("building__compound").order_by(
        "compound__name", "building__sort_key", "building__number", "building__stairwell", "room"
    )


def _household_values(household: Household) -> dict[str, Any]:
    building = household.building
    return {
        "compound": building.compound.name,
        "building": building.number,
        "stairwell": building.stairwell,
        "room": household.room,
        "notes": household.notes,
    }


def write_workbook(
    rows: Iterator[dict[str, Any]],
    *,
    title: str,
    author: str,
    made_at: datetime,
    description: str,
    kind: str = sheet.KIND_RESIDENTS,
) -> bytes:
    """A streamed workbook: a header line naming who and when, the import's headings, rows."""
    workbook = Workbook(write_only=True)
    workbook.properties.creator = author
    workbook.properties.lastModifiedBy = author
    workbook.properties.created = made_at.replace(tzinfo=None)
    workbook.properties.modified = made_at.replace(tzinfo=None)
    workbook.properties.title = title
    workbook.properties.description = description
    worksheet = workbook.create_sheet(sheet.KIND_LABELS[kind])
    columns = sheet.columns_of(kind)
    for index, column in enumerate(columns):
        letter = _letter(index)
        worksheet.column_dimensions[letter].width = WIDTHS.get(column.key, 9)
    worksheet.freeze_panes = "A3"
    banner = WriteOnlyCell(worksheet, value=cells.neutralise(f"{title} · {description}"))
    banner.font = Font(bold=True)
    worksheet.append([banner])
    headings = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=column.heading)
        cell.font = Font(bold=True)
        headings.append(cell)
    worksheet.append(headings)
    for values in rows:
        line: list[Any] = []
        for column in columns:
            value = sheet.export_cell(column.key, values.get(column.key))
            if column.key in TEXT_COLUMNS or column.key in DATE_COLUMNS:
                cell = WriteOnlyCell(worksheet, value=value)
                cell.number_format = "@" if column.key in TEXT_COLUMNS else "yyyy-mm-dd"
                line.append(cell)
            else:
                line.append(value)
        worksheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def export_residents(
    *,
    user: User | None,
    selection: Selection,
    unmasked: bool = False,
    reason: str = "",
    include_gone: bool = False,
    request: HttpRequest | None = None,
    actor_name: str = "",
    kind: str = sheet.KIND_RESIDENTS,
) -> Export:
    """The selection as .xlsx in the columns of one import kind — residents, households or
    Party members — so that the file imports back unchanged; one audit event per export."""
    if kind not in sheet.KINDS:
        raise ValueError(kind)
    whole = unmasked_fields(user, unmasked=unmasked, reason=reason, kind=kind)
    made_at = timezone.localtime()
    who = (user.display_name or user.username) if user is not None else actor_name or "命令行"
    author = f"{who}（{user.username}）" if user is not None else who
    kind_text = "完整信息（含敏感个人信息，请妥善保管、用后删除）" if whole else "脱敏"
    description = f"导出人：{author} · 导出时间：{made_at:%Y-%m-%d %H:%M} · {kind_text}"
    count = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal count
        fields = frozenset(whole)
        if kind == sheet.KIND_HOUSEHOLDS:
            for household in households_for(user, selection).iterator(chunk_size=2000):
                count += 1
                yield _household_values(household)
            return
        residents = residents_for(user, selection, include_gone=include_gone)
        if kind == sheet.KIND_PARTY:
            residents = residents.filter(party_member__isnull=False)
        else:
            in_force = GroupMembership.objects.filter(
                ended_on__isnull=True, since__lte=timezone.localdate()
            ).order_by("set_at", "id")
            residents = residents.prefetch_related(Prefetch("memberships", queryset=in_force))
        values = _party_values if kind == sheet.KIND_PARTY else _values
        for resident in residents.iterator(chunk_size=2000):
            count += 1
            yield values(resident, fields)

    label = sheet.KIND_LABELS[kind]
    content = write_workbook(
        rows(),
        title=f"{selection.label}{label}信息",
        author=author,
        made_at=made_at,
        description=description,
        kind=kind,
    )
    object_type, object_id = selection.object
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type=object_type,
        object_id=object_id,
        fields=[
            *(whole or ["masked"]),
            *([] if kind == sheet.KIND_RESIDENTS else [f"kind:{kind}"]),
            f"count:{count}",
        ],
        reason=reason.strip() or "导出（脱敏）",
        request=request,
        area_id=selection.area.pk,
        actor_name=actor_name,
    )
    if selection.group is not None:
        record_group_list(
            user=user,
            group=selection.group,
            area_id=selection.area.pk,
            count=count,
            channel="export",
            request=request,
            actor_name=actor_name,
        )
    stamp = made_at.strftime("%Y%m%d-%H%M")
    return Export(
        content=content,
        filename=f"{selection.label}-{label}-{stamp}.xlsx",
        count=count,
        unmasked=whole,
    )


def template_workbook(kind: str) -> bytes:
    """The empty template the upload page offers: headings, text-formatted ID and phone columns,
    and a second sheet explaining each column."""
    workbook = Workbook()
    worksheet = workbook.active
    assert isinstance(worksheet, Worksheet)  # a new workbook has one worksheet
    worksheet.title = sheet.KIND_LABELS[kind]
    columns = sheet.columns_of(kind)
    worksheet.append(
        [f"{sheet.KIND_LABELS[kind]}信息导入模板：第2行为列名，请从第3行起填写（本行可保留）"]
    )
    worksheet.append([column.heading for column in columns])
    for index, column in enumerate(columns):
        letter = _letter(index)
        worksheet[f"{letter}2"].font = Font(bold=True)
        worksheet.column_dimensions[letter].width = WIDTHS.get(column.key, 10)
        if column.key in TEXT_COLUMNS:
            for row in range(3, 503):
                worksheet[f"{letter}{row}"].number_format = "@"
    worksheet.freeze_panes = "A3"
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "也可写作", "说明"])
    required = sheet.KIND_REQUIRED[kind]
    for column in columns:
        note = column.note
        if column.key in required:
            note = ("必填。" + note).rstrip("。")
        notes.append([column.heading, "、".join(column.variants), note])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["B"].width = 40
    notes.column_dimensions["C"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
