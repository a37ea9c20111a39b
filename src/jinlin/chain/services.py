"""A network member's writes on its own households: logging a contact (记一次联系).

Every refusal is a ValidationError with a Chinese message (nothing stored); what the member was
asked to pass on becomes, in the same transaction, a concern for the worker (fieldwork).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from jinlin.chain.access import MSG_NOT_YOURS, is_network_member, member_households
from jinlin.chain.models import CONTACT_NOTE_MAX, CONTACT_PASSED_ON_MAX, CONTACT_WAYS, Contact
from jinlin.core.models import User
from jinlin.fieldwork.concerns.services import concern_passed_on
from jinlin.places.models import Household

MSG_DATE_REQUIRED = "请填写联系日期"
MSG_DATE_FUTURE = "联系日期不能晚于今天"
MSG_HOW = "联系方式应为：" + "、".join(str(way.label) for way in CONTACT_WAYS)
MSG_NOTE_LONG = f"备注最多 {CONTACT_NOTE_MAX} 个字"
MSG_PASSED_ON_LONG = f"需要转达的事最多 {CONTACT_PASSED_ON_MAX} 个字"
MSG_PASSED_ON = "已记录；转达的事已交给社工"
MSG_LOGGED = "已记录"


@transaction.atomic
def contact_log(
    *,
    actor: User,
    household: Household,
    contacted_on: date | None,
    how: str,
    note: str = "",
    passed_on: str = "",
) -> Contact:
    """Record a contact with one of the actor's households; a non-blank `passed_on` becomes a
    concern (党员转达) in the household's place, recorded by the member."""
    if (
        not is_network_member(actor)
        or not member_households(actor).filter(pk=household.pk).exists()
    ):
        raise PermissionDenied(MSG_NOT_YOURS)
    errors: dict[str, str] = {}
    if contacted_on is None:
        errors["contacted_on"] = MSG_DATE_REQUIRED
    elif contacted_on > timezone.localdate():
        errors["contacted_on"] = MSG_DATE_FUTURE
    if how not in {way.value for way in CONTACT_WAYS}:
        errors["how"] = MSG_HOW
    note = (note or "").strip()
    if len(note) > CONTACT_NOTE_MAX:
        errors["note"] = MSG_NOTE_LONG
    passed_on = (passed_on or "").strip()
    if len(passed_on) > CONTACT_PASSED_ON_MAX:
        errors["passed_on"] = MSG_PASSED_ON_LONG
    if errors or contacted_on is None:
        raise ValidationError(errors)
    concern = None
    if passed_on:
        concern = concern_passed_on(
            household=household,
            words=passed_on,
            member_name=str(actor),
            recorded_by=actor,
        )
    return Contact.objects.create(
        household=household,
        member=actor,
        contacted_on=contacted_on,
        how=how,
        note=note,
        passed_on=passed_on,
        concern=concern,
    )


def contact_message(contact: Contact) -> str:
    return MSG_PASSED_ON if contact.concern_id else MSG_LOGGED
