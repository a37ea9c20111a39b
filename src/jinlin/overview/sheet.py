"""一户一档 打印页: one household on one sheet of paper, for a worker's folder or a visit.

Address, current residents (age, the groups the viewer may see, never a sensitive one; ID and
phone masked), 紧急联系人 (phones masked), the Party contact member, the care-visit schedule
(sensitive groups as "重点关爱对象", as on 今日) and the last visits. Printing is a sensitive look:
each print, HTML or PDF, is audited like an export (SPEC "Privacy": exports carry who and when).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from jinlin.core.audit import audit
from jinlin.core.idnumber import mask_id_number, mask_phone
from jinlin.core.models import AuditEvent, User
from jinlin.fieldwork.due import Membership, due_visits
from jinlin.fieldwork.visits.selectors import (
    group_reason,
    intervals_by_area,
    visible_visits,
    visiting_intervals,
)
from jinlin.party.models import HouseholdContact
from jinlin.people.catalogue import is_sensitive, label_of
from jinlin.people.models import EmergencyContact, GroupMembership, LifeStatus, Resident
from jinlin.people.selectors import resident_age
from jinlin.places.models import Household

LAST_VISITS = 5
# Far enough ahead that a household just visited still shows its next due day.
SCHEDULE_HORIZON_DAYS = 3660
PRINT_REASON = "打印一户一档"


@dataclass(frozen=True)
class SheetResident:
    name: str
    gender: str
    age: int
    relation: str
    groups: list[str]
    id_number: str
    phone: str


@dataclass(frozen=True)
class SheetContact:
    resident: str
    name: str
    relation: str
    phone: str
    holds_key: bool
    note: str


@dataclass(frozen=True)
class SheetVisit:
    visited_on: date
    mode: str
    condition: str
    worker: str


@dataclass(frozen=True)
class Schedule:
    reason: str
    last_visit: date | None
    due_on: date
    days_overdue: int


@dataclass
class HouseholdSheet:
    household: Household
    residents: list[SheetResident]
    contacts: list[SheetContact]
    party_contact: str
    schedule: Schedule | None
    visits: list[SheetVisit]
    printed_by: str
    printed_at: datetime
    gone: int = 0


def household_sheet(user: User, household: Household, on: date | None = None) -> HouseholdSheet:
    """The sheet as this user may see it (the caller has reached `household` through
    places.access)."""
    today = on or timezone.localdate()
    everyone = list(Resident.objects.filter(household=household).order_by("id"))
    current = [r for r in everyone if r.status == LifeStatus.CURRENT]
    memberships = list(
        GroupMembership.objects.filter(
            resident__in=current, ended_on__isnull=True, since__lte=today
        ).order_by("group")
    )
    shown_groups: dict[int, list[str]] = {}
    for membership in memberships:
        if is_sensitive(membership.group):
            continue  # never on paper: it leaves the office in a folder
        label = label_of(membership.group)
        shown_groups.setdefault(membership.resident_id, []).append(label)
    residents = [
        SheetResident(
            name=r.name,
            gender=r.get_gender_display(),
            age=resident_age(r, today),
            relation=r.get_relation_to_head_display(),
            groups=shown_groups.get(r.pk, []),
            id_number=mask_id_number(r.id_number),
            phone=mask_phone(r.phone),
        )
        for r in current
    ]
    names = {r.pk: r.name for r in current}
    contacts = [
        SheetContact(
            resident=names[c.resident_id],
            name=c.name,
            relation=c.get_relation_display(),
            phone=mask_phone(c.phone),
            holds_key=c.holds_key,
            note=c.note,
        )
        for c in EmergencyContact.objects.active()
        .filter(resident__in=current)
        .order_by("-holds_key", "resident_id", "id")
    ]
    party = (
        HouseholdContact.objects.filter(household=household, ended_on__isnull=True)
        .select_related("member__resident")
        .first()
    )
    visits = list(
        visible_visits(user)
        .filter(household=household)
        .select_related("worker")
        .order_by("-visited_on", "-id")
    )
    return HouseholdSheet(
        household=household,
        residents=residents,
        contacts=contacts,
        party_contact=party.member.resident.name if party else "",
        schedule=_schedule(household, memberships, visits, today),
        visits=[
            SheetVisit(
                visited_on=v.visited_on,
                mode=v.get_mode_display(),
                condition=v.get_condition_display(),
                worker=str(v.worker),
            )
            for v in visits[:LAST_VISITS]
        ],
        printed_by=user.display_name or user.username,
        printed_at=timezone.localtime(),
        gone=len(everyone) - len(current),
    )


def _schedule(
    household: Household, memberships: list[GroupMembership], visits: list, today: date
) -> Schedule | None:
    """The household's next care visit by the area's intervals (fieldwork.due)."""
    intervals = visiting_intervals(intervals_by_area({household.area_id})[household.area_id])
    due = due_visits(
        memberships=[
            Membership(
                household_id=household.pk,
                resident_id=m.resident_id,
                group=m.group,
                since=m.since,
                ended_on=m.ended_on,
            )
            for m in memberships
        ],
        visits=[(household.pk, v.visited_on) for v in visits],
        intervals=intervals,
        on=today,
        horizon_days=SCHEDULE_HORIZON_DAYS,
    )
    if not due:
        return None
    first = due[0]
    return Schedule(
        reason=group_reason(first.reason_group, first.interval_days),
        last_visit=first.last_visit,
        due_on=first.due_on,
        days_overdue=max(first.days_overdue, 0),
    )


def sheet_printed(*, user: User, household: Household, form: str, request: HttpRequest) -> None:
    """Each print is an export of personal data: who, which household, when, in which form."""
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="household_sheet",
        object_id=household.pk,
        fields=["name", "masked", f"via:{form}"],
        reason=PRINT_REASON,
        request=request,
        area_id=household.area_id,
    )


def sheet_pdf(sheet: HouseholdSheet) -> bytes:
    from weasyprint import HTML  # imported late: it loads pango, which only printing needs

    html = render_to_string("overview/sheet.html", {"sheet": sheet, "for_pdf": True})
    return HTML(string=html).write_pdf()
