"""一户一档: a household's whole story in one timeline, newest first, from every domain.

On the top floor because it reads them all: visits, concerns and the cases they joined
(fieldwork), consultations of a 三老 living there, patrol findings at its building and
record-update proposals (fieldwork), the Party contact member and members' contacts (party,
chain), group memberships with their provenance, emergency contacts and record changes (people).
Filtered to one resident, the part of the story that is that resident's (the resident's page). Only what the viewer may see: the household
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
from jinlin.fieldwork.consultations.selectors import visible_consultations
from jinlin.fieldwork.patrols.selectors import visible_findings
from jinlin.fieldwork.visits.models import SENSITIVE_PROPOSAL_FIELDS
from jinlin.fieldwork.visits.selectors import visible_proposals, visible_visits
from jinlin.party.models import HouseholdContact
from jinlin.people.catalogue import label_of, sensitive_q
from jinlin.people.models import EmergencyContact, GroupMembership, Resident
from jinlin.places.models import Household

KINDS = {
    "visit": "走访",
    "concern": "民声",
    "case": "个案",
    "consultation": "咨询",
    "finding": "巡查",
    "proposal": "修改建议",
    "contact": "联系",
    "group": "群体",
    "emergency": "紧急联系人",
    "change": "档案修改",
}
# Kinds about the household as a whole (its building, its Party contact), not one resident.
HOUSEHOLD_KINDS = frozenset({"finding", "contact"})
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
    resident_id: int | None = None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def household_story(
    user: User, household: Household, kind: str = "", resident: Resident | None = None
) -> list[StoryItem]:
    """The household's story as the user may see it; of one kind when `kind` names one; only
    what concerns `resident` when one is given (no household-wide kinds then)."""
    wanted = [kind] if kind in KINDS else list(KINDS)
    if resident is not None:
        wanted = [name for name in wanted if name not in HOUSEHOLD_KINDS]
    items: list[StoryItem] = []
    residents = list(Resident.objects.filter(household=household).only("id", "name"))
    if resident is not None:
        residents = [r for r in residents if r.pk == resident.pk]
    names = {r.pk: r.name for r in residents}
    if "visit" in wanted:
        visits = visible_visits(user).filter(household=household)
        if resident is not None:
            visits = visits.filter(resident=resident)
        for visit in visits.select_related("worker"):
            items.append(
                StoryItem(
                    _moment(visit.visited_on),
                    "visit",
                    f"{visit.get_mode_display()}走访 · {visit.get_condition_display()}",
                    "；".join(t for t in (visit.family_situation, visit.needs) if t),
                    reverse("fieldwork_visit", args=[visit.pk]),
                    visit.resident_id,
                )
            )
    concern_rows = visible_concerns(user).filter(household=household)
    if resident is not None:
        concern_rows = concern_rows.filter(resident=resident)
    concerns = list(concern_rows if {"concern", "case"} & set(wanted) else [])
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
                    concern.resident_id,
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
    if "consultation" in wanted:
        items.extend(_consultations(user, residents, names))
    if "finding" in wanted:
        items.extend(_findings(user, household))
    if "proposal" in wanted:
        items.extend(_proposals(user, residents, names))
    if "emergency" in wanted:
        items.extend(_emergency_contacts(residents, names))
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
        memberships = GroupMembership.objects.filter(resident__in=residents).exclude(sensitive_q())
        for membership in memberships:
            label = label_of(membership.group)
            derived = membership.source == GroupMembership.Source.DERIVED
            how = "系统判定" if derived else "认定"
            reason = f"：{membership.reason}" if membership.reason and not derived else ""
            who = names.get(membership.resident_id, "")
            items.append(
                StoryItem(
                    _moment(membership.since),
                    "group",
                    f"{who} {how}为{label}{reason}",
                    resident_id=membership.resident_id,
                )
            )
            if membership.ended_on:
                items.append(
                    StoryItem(
                        _moment(membership.ended_on),
                        "group",
                        f"{who} 不再是{label}",
                        resident_id=membership.resident_id,
                    )
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
                        resident_id=row.id,
                    )
                )
        elif row.history_type == "+":
            items.append(
                StoryItem(
                    row.history_date, "change", f"{names.get(row.id, '')} 登记", resident_id=row.id
                )
            )
        previous = row
    return items


def _column(field: str) -> str:
    """The attribute a historical row holds a field in (a foreign key by its id)."""
    return "household_id" if field == "household" else field


def _consultations(user: User, residents: list[Resident], names: dict[int, str]) -> list[StoryItem]:
    """A 三老 of the household consulted: what was asked and advised (SPEC "问 Ask")."""
    rows = visible_consultations(user).filter(veteran__in=residents)
    return [
        StoryItem(
            _moment(row.asked_on),
            "consultation",
            f"咨询{names.get(row.veteran_id, '')} · {row.get_topic_display()}",
            f"{row.question} → {row.advice}",
            reverse("fieldwork_consultation", args=[row.pk]),
            row.veteran_id,
        )
        for row in rows
    ]


def _findings(user: User, household: Household) -> list[StoryItem]:
    """Patrol findings at the household's building: what its residents live with."""
    rows = visible_findings(user).filter(building_id=household.building_id)
    items = []
    for row in rows:
        fixed = f"，{row.fixed_at:%Y-%m-%d} 已修复" if row.fixed_at else ""
        items.append(
            StoryItem(
                _moment(row.found_on),
                "finding",
                f"本楼巡查：{row.get_category_display()} · {row.place}",
                f"{row.description}{fixed}",
                reverse("fieldwork_finding", args=[row.pk]),
            )
        )
    return items


def _proposals(user: User, residents: list[Resident], names: dict[int, str]) -> list[StoryItem]:
    """Record-update proposals from visits: the field and the decision; a sensitive field's
    value is never told here (the proposal's page shows it masked)."""
    rows = visible_proposals(user).filter(resident__in=residents).select_related("proposed_by")
    items = []
    for row in rows:
        value = "" if row.field in SENSITIVE_PROPOSAL_FIELDS else f"：{_value_text(row.value)}"
        items.append(
            StoryItem(
                row.proposed_at,
                "proposal",
                f"{names.get(row.resident_id, '')} 建议修改{row.get_field_display()}{value}",
                f"{row.get_status_display()}"
                + (f" · {row.decision_note}" if row.decision_note else ""),
                reverse("fieldwork_proposals"),
                row.resident_id,
            )
        )
    return items


def _value_text(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _emergency_contacts(residents: list[Resident], names: dict[int, str]) -> list[StoryItem]:
    """紧急联系人 added and removed: by name and relation, never the phone."""
    items = []
    for row in EmergencyContact.objects.filter(resident__in=residents).select_related(
        "created_by", "removed_by"
    ):
        who = names.get(row.resident_id, "")
        key = "，持有钥匙" if row.holds_key else ""
        items.append(
            StoryItem(
                row.created_at,
                "emergency",
                f"{who} 添加紧急联系人：{row.name}（{row.get_relation_display()}{key}）",
                str(row.created_by or ""),
                resident_id=row.resident_id,
            )
        )
        if row.removed_at:
            items.append(
                StoryItem(
                    row.removed_at,
                    "emergency",
                    f"{who} 移除紧急联系人：{row.name}",
                    str(row.removed_by or ""),
                    resident_id=row.resident_id,
                )
            )
    return items
