"""Writes of patrols 望: collection points, patrols, findings and their photos; each transactional."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jinlin.core.audit import update_audited
from jinlin.core.models import AuditEvent, User
from jinlin.fieldwork.common.services import (
    MSG_BUILDING_NOT_IN_COMPOUND,
    MSG_CATEGORY_UNKNOWN,
    not_future,
    refuse,
    require_writer,
    visible_compound,
)
from jinlin.fieldwork.patrols.models import (
    CollectionPoint,
    FacilityState,
    Finding,
    FindingCategory,
    FindingKind,
    FindingPhoto,
    Patrol,
    Severity,
    finding_kind,
)
from jinlin.fieldwork.photos import MSG_TOO_MANY, clean_photo, max_per_finding
from jinlin.places.models import Building

MSG_PLACE_TEXT_NEEDED = "请填写位置"
MSG_HAZARD_SEVERITY = "安全隐患须注明严重程度（轻微、一般或严重）"
MSG_FACILITY_STATE = "安全设施须注明状态（完好、损坏、缺失或过期）"
MSG_FACILITY_PROBLEM_SEVERITY = "设施有问题时须注明严重程度"
MSG_GARBAGE_POINT = "垃圾分类须选择投放点"
MSG_GARBAGE_STANDARD = "请注明垃圾分类是否达标"
MSG_POINT_NOT_IN_COMPOUND = "该投放点不属于巡查的小区"
MSG_POINT_NAME_NEEDED = "请填写投放点名称"
MSG_POINT_EXISTS = "该小区已有同名投放点"
MSG_NOTHING_TO_FIX = "这项发现没有需要修复的问题（垃圾分类检查、完好的设施无须确认修复）"
MSG_ALREADY_FIXED = "这项发现已确认修复"
MSG_FIX_NOTE_NEEDED = "请写明修复情况（如：物业已更换灯泡）"
FIX_NOTE_MAX = 200


@transaction.atomic
def collection_point_create(*, actor: User, compound_id: int, name: str) -> CollectionPoint:
    require_writer(actor)
    compound = visible_compound(actor, compound_id)
    name = (name or "").strip()
    if not name:
        raise refuse("name", MSG_POINT_NAME_NEEDED)
    if CollectionPoint.objects.filter(compound=compound, name=name).exists():
        raise refuse("name", MSG_POINT_EXISTS)
    return CollectionPoint.objects.create(
        area_id=compound.area_id, compound=compound, name=name[:50]
    )


@transaction.atomic
def patrol_record(*, actor: User, compound_id: int, patrolled_on: date, notes: str = "") -> Patrol:
    require_writer(actor)
    compound = visible_compound(actor, compound_id)
    not_future(patrolled_on, "patrolled_on")
    return Patrol.objects.create(
        area_id=compound.area_id,
        compound=compound,
        patrolled_on=patrolled_on,
        worker=actor,
        notes=notes.strip(),
    )


@dataclass(frozen=True)
class FindingInput:
    category: str
    place: str
    severity: str = Severity.NONE
    building_id: int | None = None
    facility_state: str = ""
    collection_point_id: int | None = None
    is_up_to_standard: bool | None = None
    description: str = ""


def _checked_finding(patrol: Patrol, data: FindingInput) -> dict[str, Any]:
    if data.category not in FindingCategory.values:
        raise refuse("category", MSG_CATEGORY_UNKNOWN)
    kind = finding_kind(data.category)
    severity = data.severity or Severity.NONE
    if severity not in Severity.values:
        raise refuse("severity", MSG_CATEGORY_UNKNOWN)
    fields: dict[str, Any] = {
        "kind": kind,
        "category": data.category,
        "severity": severity,
        "facility_state": "",
        "collection_point": None,
        "is_up_to_standard": None,
        "building": None,
    }
    place = (data.place or "").strip()
    if data.building_id is not None:
        building = (
            Building.objects.filter(pk=data.building_id, compound_id=patrol.compound_id).first()
            if patrol.compound_id is not None
            else None
        )
        if building is None:
            raise refuse("building_id", MSG_BUILDING_NOT_IN_COMPOUND)
        fields["building"] = building
        place = place or building.label
    if kind == FindingKind.HAZARD and severity == Severity.NONE:
        raise refuse("severity", MSG_HAZARD_SEVERITY)
    if kind == FindingKind.FACILITY:
        if data.facility_state not in FacilityState.values:
            raise refuse("facility_state", MSG_FACILITY_STATE)
        if data.facility_state != FacilityState.OK and severity == Severity.NONE:
            raise refuse("severity", MSG_FACILITY_PROBLEM_SEVERITY)
        if data.facility_state == FacilityState.OK:
            fields["severity"] = Severity.NONE
        fields["facility_state"] = data.facility_state
    if kind == FindingKind.GARBAGE:
        if data.collection_point_id is None:
            raise refuse("collection_point_id", MSG_GARBAGE_POINT)
        point = CollectionPoint.objects.filter(pk=data.collection_point_id).first()
        if point is None or point.compound_id != patrol.compound_id:
            raise refuse("collection_point_id", MSG_POINT_NOT_IN_COMPOUND)
        if data.is_up_to_standard is None:
            raise refuse("is_up_to_standard", MSG_GARBAGE_STANDARD)
        fields["collection_point"] = point
        fields["is_up_to_standard"] = data.is_up_to_standard
        place = place or point.name
        if data.is_up_to_standard:
            fields["severity"] = Severity.NONE
        elif severity == Severity.NONE:
            fields["severity"] = Severity.LOW
    if not place:
        raise refuse("place", MSG_PLACE_TEXT_NEEDED)
    fields["place"] = place[:100]
    fields["description"] = (data.description or "").strip()
    return fields


@transaction.atomic
def finding_record(
    *, patrol: Patrol, actor: User, data: FindingInput, photos: Sequence[bytes] = ()
) -> Finding:
    """A finding with its photos; a bad photo refuses the whole finding."""
    require_writer(actor)
    fields = _checked_finding(patrol, data)
    if len(photos) > max_per_finding():
        raise ValidationError({"photo": MSG_TOO_MANY.format(n=max_per_finding())})
    cleaned = [clean_photo(content) for content in photos]
    finding = Finding.objects.create(
        patrol=patrol,
        area_id=patrol.area_id,
        compound_id=patrol.compound_id,
        found_on=patrol.patrolled_on,
        **fields,
    )
    for photo in cleaned:
        _save_photo(finding, actor, photo)
    return finding


def _save_photo(finding: Finding, actor: User, photo: Any) -> FindingPhoto:
    row = FindingPhoto(
        finding=finding,
        width=photo.width,
        height=photo.height,
        size=len(photo.content),
        uploaded_by=actor,
    )
    row.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(photo.content), save=False)
    row.save()
    return row


@transaction.atomic
def finding_add_photo(*, finding: Finding, actor: User, content: bytes) -> FindingPhoto:
    require_writer(actor)
    Finding.objects.select_for_update().filter(pk=finding.pk).first()  # count, then add
    if finding.photos.count() >= max_per_finding():
        raise ValidationError({"photo": MSG_TOO_MANY.format(n=max_per_finding())})
    return _save_photo(finding, actor, clean_photo(content))


def finding_mark_fixed(*, finding: Finding, actor: User, note: str) -> Finding:
    """确认已修复: the hazard or facility is mended; who confirmed it, when and how, audited."""
    require_writer(actor)
    note = (note or "").strip()
    if not finding.needs_fixing:
        raise ValidationError({"note": MSG_NOTHING_TO_FIX})
    if finding.fixed_at is not None:
        raise ValidationError({"note": MSG_ALREADY_FIXED})
    if not note:
        raise ValidationError({"note": MSG_FIX_NOTE_NEEDED})
    if len(note) > FIX_NOTE_MAX:
        raise ValidationError({"note": f"修复情况最多 {FIX_NOTE_MAX} 个字"})
    update_audited(
        finding,
        {"fixed_at": timezone.now(), "fixed_by": actor, "fixed_note": note},
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="finding",
        object_id=finding.pk,
        fields=["fixed_at"],
        reason=f"确认已修复：{note}",
        area_id=finding.area_id,
    )
    return finding
