"""Masked views of sensitive fields: what every list, export and API shows by default.

SPEC "Privacy": mask ID 310105********123X and phone 138****5678 everywhere; health,
hardship and 失独 status are sensitive too. Whole values only through `unmask` (audited).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from jinlin.core.access import UNMASKABLE_FIELDS, can_unmask
from jinlin.core.audit import audit
from jinlin.core.idnumber import mask_id_number, mask_phone
from jinlin.core.models import AuditEvent, User
from jinlin.people.catalogue import is_sensitive, label_of

HIDDEN = "已隐藏"
MSG_REASON_NEEDED = "查看完整信息须说明事由"
MSG_NOT_ALLOWED = "您的角色无权查看该信息"
MSG_UNKNOWN_FIELD = "未知的字段"


class UnmaskRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def masked_values(resident) -> dict[str, object]:
    return {
        "id_number": mask_id_number(resident.id_number),
        "phone": mask_phone(resident.phone),
        "health": HIDDEN,
        "health_notes": HIDDEN,  # on every resident alike: a note's presence tells
    }


def whole_values(resident, fields: Iterable[str]) -> dict[str, object]:
    values: dict[str, object] = {}
    for name in fields:
        if name == "id_number":
            values["id_number"] = resident.id_number
        elif name == "phone":
            values["phone"] = resident.phone
        elif name == "health":
            values["health"] = resident.get_health_display()
            values["health_notes"] = resident.health_notes
        elif name == "sensitive_groups":
            codes = {
                m.group
                for m in resident.memberships.all()
                if m.ended_on is None and is_sensitive(m.group)
            }
            values["sensitive_groups"] = sorted(label_of(code) for code in codes)
    return values


def unmask(
    *,
    user: User,
    resident,
    fields: list[str],
    reason: str,
    request: HttpRequest | None = None,
) -> dict[str, object]:
    """Whole values of the asked fields, after checking the role; writes one audit event."""
    if not fields or any(name not in UNMASKABLE_FIELDS for name in fields):
        raise UnmaskRefused(MSG_UNKNOWN_FIELD)
    if not all(can_unmask(user, name) for name in fields):
        raise UnmaskRefused(MSG_NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise UnmaskRefused(MSG_REASON_NEEDED)
    audit(
        actor=user,
        action=AuditEvent.Action.UNMASK,
        object_type="resident",
        object_id=resident.pk,
        fields=fields,
        reason=reason,
        request=request,
        area_id=resident.area_id,
    )
    return whole_values(resident, fields)


# --- emergency contacts 紧急联系人 -----------------------------------------------------------

EMERGENCY_PHONE_FIELD = "emergency_contact_phone"


def may_see_emergency_phones(user: User) -> bool:
    """A contact's phone is a phone: whoever may unmask a resident's may unmask it."""
    return can_unmask(user, "phone")


def unmask_emergency_contact(
    *, user: User, contact, reason: str, request: HttpRequest | None = None
) -> str:
    """The whole phone of one contact, after checking the role and the reason; audited on the
    resident, whose secretary sees who looked."""
    if not may_see_emergency_phones(user):
        raise UnmaskRefused(MSG_NOT_ALLOWED)
    reason = (reason or "").strip()
    if not reason:
        raise UnmaskRefused(MSG_REASON_NEEDED)
    audit(
        actor=user,
        action=AuditEvent.Action.UNMASK,
        object_type="resident",
        object_id=contact.resident_id,
        fields=[EMERGENCY_PHONE_FIELD],
        reason=reason,
        request=request,
        area_id=contact.resident.area_id,
    )
    return contact.phone


def emergency_phones_for_call(
    *, user: User, contacts: list, reason: str, request: HttpRequest | None = None
) -> dict[int, str]:
    """Phones to show whole (contact id → number) where a worker may need to call at once (a
    living-alone elder's door stays shut): for a role that may unmask phones, every one, with
    one audit event per resident; for anyone else, none (the page shows them masked)."""
    if not contacts or not may_see_emergency_phones(user):
        return {}
    residents = {contact.resident_id: contact.resident for contact in contacts}
    for resident_id, resident in residents.items():
        audit(
            actor=user,
            action=AuditEvent.Action.UNMASK,
            object_type="resident",
            object_id=resident_id,
            fields=[EMERGENCY_PHONE_FIELD],
            reason=reason,
            request=request,
            area_id=resident.area_id,
        )
    return {contact.pk: contact.phone for contact in contacts}
