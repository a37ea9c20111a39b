"""A network member's households as its phone shows them: by building, with the current
residents' names and ages and the groups a contact needs to know (never a sensitive one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Max, Prefetch, Q
from django.utils import timezone

from jinlin.chain.access import member_households
from jinlin.chain.models import Contact
from jinlin.core.models import User
from jinlin.fieldwork.cases.models import CaseStatus
from jinlin.fieldwork.concerns.selectors import case_statuses_by_concern
from jinlin.people.derived import age_on
from jinlin.people.groups import GROUPS, SENSITIVE_CODES
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import address_of, natural_key


@dataclass
class ResidentLine:
    name: str
    age: int
    groups: list[str]


@dataclass
class HouseholdCard:
    id: int
    room: str
    address: str
    residents: list[ResidentLine]
    last_contacted: date | None = None
    stale: bool = False

    @property
    def groups(self) -> list[str]:
        """The household's groups, each once, in the order its residents carry them."""
        return list(dict.fromkeys(label for line in self.residents for label in line.groups))


@dataclass
class BuildingBlock:
    id: int
    label: str  # 小区 + 楼号
    households: list[HouseholdCard] = field(default_factory=list)


def stale_days() -> int:
    return int(settings.JINLIN["CONTACT_STALE_DAYS"])


def last_contacted(user: User) -> dict[int, date]:
    """The day this member last contacted each of its households (one query)."""
    return dict(
        Contact.objects.filter(member=user, household__in=member_households(user))
        .values("household_id")
        .annotate(last=Max("contacted_on"))
        .order_by()
        .values_list("household_id", "last")
    )


def member_buildings(user: User, on: date | None = None) -> list[BuildingBlock]:
    """The member's households grouped by building, each with its last contact, in four
    queries whatever their number (contacts, households, residents, memberships)."""
    today = on or timezone.localdate()
    shown_memberships = GroupMembership.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today), since__lte=today
    ).exclude(group__in=[str(code) for code in SENSITIVE_CODES])
    residents = (
        Resident.objects.filter(status=LifeStatus.CURRENT)
        .only("id", "household_id", "name", "birth_date")
        .order_by("id")
        .prefetch_related(
            Prefetch("memberships", queryset=shown_memberships.only("id", "resident_id", "group"))
        )
    )
    households = (
        member_households(user)
        .select_related("building__compound")
        .prefetch_related(Prefetch("residents", queryset=residents, to_attr="current_residents"))
    )
    last_contacts = last_contacted(user)
    stale_before = today - timedelta(days=stale_days())
    blocks: dict[int, BuildingBlock] = {}
    ordered = sorted(
        households,
        key=lambda h: (
            h.building.compound.name,
            h.building.sort_key,
            h.building.number,
            h.building.stairwell,
            natural_key(h.room),
        ),
    )
    for household in ordered:
        building = household.building
        block = blocks.setdefault(
            building.pk, BuildingBlock(building.pk, f"{building.compound.name}{building.label}")
        )
        block.households.append(
            HouseholdCard(
                id=household.pk,
                room=household.room,
                address=address_of(building, household.room),
                residents=[
                    ResidentLine(
                        name=resident.name,
                        age=age_on(resident.birth_date, today),
                        groups=_labels(resident),
                    )
                    for resident in household.current_residents
                ],
                last_contacted=last_contacts.get(household.pk),
                stale=last_contacts.get(household.pk, date.min) < stale_before,
            )
        )
    return list(blocks.values())


def _labels(resident: Resident) -> list[str]:
    codes = {membership.group for membership in resident.memberships.all()}
    return [
        kind.label for code, kind in GROUPS.items() if code in codes and code not in SENSITIVE_CODES
    ]


def household_count(blocks: list[BuildingBlock]) -> int:
    return sum(len(block.households) for block in blocks)


PASSED_ON_LIMIT = 10
STATE_WAITING = "待社工处理"
STATE_SEEN = "社工已了解"


@dataclass
class PassedOn:
    """One thing the member passed on (我转达的事) and what became of it."""

    concern_id: int
    received_at: datetime
    address: str
    words: str
    state: str


def passed_on(user: User, limit: int = PASSED_ON_LIMIT) -> list[PassedOn]:
    """The member's latest passed-on concerns in its current households, each with its state:
    waiting, seen by the worker (a real need written), or the status of the case opened from it.
    Two queries (the concerns, their cases); nothing of the concern beyond the member's own words."""
    contacts = list(
        Contact.objects.filter(
            member=user, concern__isnull=False, household__in=member_households(user)
        )
        .select_related("concern", "household__building__compound")
        .only(
            "id",
            "concern__id",
            "concern__words",
            "concern__real_need",
            "concern__received_at",
            "household__room",
            "household__building__number",
            "household__building__stairwell",
            "household__building__compound__name",
        )
        .order_by("-concern__received_at", "-id")[:limit]
    )
    cases = (
        case_statuses_by_concern([c.concern_id for c in contacts if c.concern_id])
        if contacts
        else {}
    )
    rows = []
    for contact in contacts:
        concern = contact.concern
        assert concern is not None
        building = contact.household.building
        statuses = cases.get(concern.pk, [])
        if statuses:
            state = "已立案：" + "、".join(str(CaseStatus(status).label) for status in statuses)
        elif concern.real_need:
            state = STATE_SEEN
        else:
            state = STATE_WAITING
        rows.append(
            PassedOn(
                concern_id=concern.pk,
                received_at=concern.received_at,
                address=address_of(building, contact.household.room),
                words=concern.words,
                state=state,
            )
        )
    return rows
