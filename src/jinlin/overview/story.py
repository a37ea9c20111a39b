"""一户一档: a household's whole story in one timeline, newest first, from every domain.

On the top floor because it reads them all: visits, concerns and the cases they joined
(fieldwork), the Party contact member and members' contacts (party, chain), group memberships
with their provenance and record changes (people). Only what the viewer may see: the household
through places.access, each fieldwork kind through its own visibility, never a sensitive group
(the resident's page shows one on an audited look), a record change by the fields it touched
(no values).
A fixed number of queries, however long the story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from jinlin.chain.models import Contact
from jinlin.core.models import User
from jinlin.fieldwork.cases.selectors import visible_cases
from jinlin.fieldwork.concerns.selectors import visible_concerns
from jinlin.fieldwork.visits.selectors import visible_visits
from jinlin.party.models import HouseholdContact
from jinlin.people.groups import GROUPS, SENSITIVE_CODES, GroupCode
from jinlin.people.models import GroupMembership, Resident
from jinlin.places.models import Household

KINDS = {
    "visit": "走访",
    "concern": "民声",
    "case": "个案",
    "contact": "联系",
    "group": "群体",
    "change": "档案修改",
}
LIMIT = 200
# Fields a record change names (no values): those a resident's page shows.
CHANGE_FIELDS = {
    "name": "姓名",
    "phone": "联系电话",
    "id_number": "身份证号",
    "relation_to_head": "与户主关系",
    "residence_status": "居住状态",
    "employer": "工作单位",
    "occupation": "职业",
    "is_retired": "是否退休",
    "health": "健康状况",
    "health_notes": "健康备注",
    "hobbies": "兴趣爱好",
    "political_status": "政治面貌",
    "status": "状态",
    "notes": "备注",
    "household": "住址",
}


@dataclass(frozen=True)
class StoryItem:
    at: datetime
    kind: str
    title: str
    detail: str = ""
    url: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def household_story(user: User, household: Household, kind: str = "") -> list[StoryItem]:
    """The household's story as the user may see it; of one kind when `kind` names one."""
    wanted = [kind] if kind in KINDS else list(KINDS)
    items: list[StoryItem] = []
    residents = list(Resident.objects.filter(household=household).only("id", "name"))
    names = {r.pk: r.name for r in residents}
    if "visit" in wanted:
        for visit in visible_visits(user).filter(household=household).select_related("worker"):
            items.append(
                StoryItem(
                    _moment(visit.visited_on),
                    "visit",
                    f"{visit.get_mode_display()}走访 · {visit.get_condition_display()}",
                    "；".join(t for t in (visit.family_situation, visit.needs) if t),
                    reverse("fieldwork_visit", args=[visit.pk]),
                )
            )
    concerns = list(
        visible_concerns(user).filter(household=household)
        if {"concern", "case"} & set(wanted)
        else []
    )
    if "concern" in wanted:
        for concern in concerns:
            need = f" → {concern.real_need}" if concern.real_need else ""
            items.append(
                StoryItem(
                    concern.received_at,
                    "concern",
                    f"民声 · {concern.get_subcategory_display()} · {concern.get_channel_display()}",
                    f"“{concern.words}”{need}",
                    reverse("fieldwork_concern", args=[concern.pk]),
                )
            )
    if "case" in wanted and concerns:
        for case in visible_cases(user).filter(evidence__concern__in=concerns).distinct():
            items.append(
                StoryItem(
                    case.opened_at,
                    "case",
                    f"立案：{case.title}",
                    case.get_status_display(),
                    reverse("fieldwork_case", args=[case.pk]),
                )
            )
    if "contact" in wanted:
        for party in HouseholdContact.objects.filter(household=household).select_related(
            "member__resident"
        ):
            ended = f"，{party.ended_on:%Y-%m-%d} 结束" if party.ended_on else ""
            items.append(
                StoryItem(
                    _moment(party.started_on),
                    "contact",
                    f"联系党员：{party.member.resident.name}",
                    f"起{ended}",
                )
            )
        for contact in Contact.objects.filter(household=household).select_related("member"):
            passed = f"；转达：{contact.passed_on}" if contact.passed_on else ""
            items.append(
                StoryItem(
                    _moment(contact.contacted_on),
                    "contact",
                    f"{contact.member} {contact.get_how_display()}联系",
                    f"{contact.note}{passed}",
                )
            )
    if "group" in wanted:
        # A sensitive group is never told here, not even that there is one: the resident's
        # page shows it whole only on an audited look.
        memberships = GroupMembership.objects.filter(resident__in=residents).exclude(
            group__in=[str(code) for code in SENSITIVE_CODES]
        )
        for membership in memberships:
            label = GROUPS[GroupCode(membership.group)].label
            derived = membership.source == GroupMembership.Source.DERIVED
            how = "系统判定" if derived else "认定"
            reason = f"：{membership.reason}" if membership.reason and not derived else ""
            who = names.get(membership.resident_id, "")
            items.append(
                StoryItem(_moment(membership.since), "group", f"{who} {how}为{label}{reason}")
            )
            if membership.ended_on:
                items.append(
                    StoryItem(_moment(membership.ended_on), "group", f"{who} 不再是{label}")
                )
    if "change" in wanted:
        items.extend(_changes(residents, names))
    items.sort(key=lambda item: item.at, reverse=True)
    return items[:LIMIT]


def _changes(residents: list[Resident], names: dict[int, str]) -> list[StoryItem]:
    """Each saved change of a resident: who changed which fields (never the values)."""
    rows = list(
        Resident.history.filter(id__in=[r.pk for r in residents])
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    items = []
    previous = None
    for row in rows:
        if previous is not None and previous.id == row.id:
            changed = [
                label
                for field, label in CHANGE_FIELDS.items()
                if getattr(previous, _column(field)) != getattr(row, _column(field))
            ]
            if changed:
                items.append(
                    StoryItem(
                        row.history_date,
                        "change",
                        f"{names.get(row.id, '')} 档案修改：{'、'.join(changed)}",
                        f"{row.history_user or '系统'}"
                        + (f" · {row.history_change_reason}" if row.history_change_reason else ""),
                    )
                )
        elif row.history_type == "+":
            items.append(StoryItem(row.history_date, "change", f"{names.get(row.id, '')} 登记"))
        previous = row
    return items


def _column(field: str) -> str:
    """The attribute a historical row holds a field in (a foreign key by its id)."""
    return "household_id" if field == "household" else field
