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
from jinlin.chain.notice_selectors import (
    HOUSEHOLD_ORDER,
    NO_GROUP,
    building_group_names,
    contact_names,
    lived_in,
)
from jinlin.core.models import User
from jinlin.fieldwork.cases.models import CaseStatus
from jinlin.fieldwork.concerns.selectors import case_statuses_by_concern
from jinlin.party.access import PartyScope
from jinlin.people.catalogue import is_sensitive, label_of, sensitive_q
from jinlin.people.derived import age_on
from jinlin.people.groups import GROUPS, SENSITIVE_CODES
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import Household, address_of, natural_key


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
    ).exclude(sensitive_q())
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
    builtin = [
        kind.label for code, kind in GROUPS.items() if code in codes and code not in SENSITIVE_CODES
    ]
    custom = sorted(label_of(code) for code in codes - set(GROUPS) if not is_sensitive(code))
    return [*builtin, *custom]


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


# --- contact freshness across a Party scope (联系情况) ------------------------------------------


@dataclass
class StaleHousehold:
    household_id: int
    address: str
    contact: str  # its current contact member's name, or ""
    last_contacted: date | None
    days_since: int | None  # None: never contacted


@dataclass
class FreshnessGroup:
    """One Party group's lived-in households and how many were contacted lately."""

    label: str
    households: int = 0
    fresh: int = 0
    stale: list[StaleHousehold] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.fresh / self.households) if self.households else 0


@dataclass
class ContactFreshness:
    days: int
    on: date
    households: int = 0
    fresh: int = 0
    groups: list[FreshnessGroup] = field(default_factory=list)

    @property
    def stale(self) -> int:
        return self.households - self.fresh

    @property
    def percent(self) -> int:
        return round(100 * self.fresh / self.households) if self.households else 0


def contact_freshness(scope: PartyScope, *, days: int, on: date | None = None) -> ContactFreshness:
    """The lived-in households a Party scope covers (a group leader: its group's buildings; a
    branch secretary: its compounds; the area secretary: the whole area), by Party group, and
    those no network member has logged a contact with in the last `days` days, the longest
    without first. A contact is a logged 记一次联系 (chain.Contact) by any member; a notice
    marked reached is not one. Four queries, however many households."""
    today = on or timezone.localdate()
    households = Household.objects.filter(area=scope.area).filter(lived_in())
    if not scope.is_whole_area:
        households = households.filter(building_id__in=scope.building_ids or ())
    rows = list(households.select_related("building__compound").order_by(*HOUSEHOLD_ORDER))
    ids = [h.pk for h in rows]
    last = dict(
        Contact.objects.filter(household_id__in=ids)
        .values("household_id")
        .annotate(last=Max("contacted_on"))
        .order_by()
        .values_list("household_id", "last")
    )
    contacts = contact_names(ids)
    group_of = building_group_names(scope.area.pk)
    fresh_since = today - timedelta(days=days)  # as the member's page marks stale
    report = ContactFreshness(days=days, on=today, households=len(rows))
    groups: dict[str, FreshnessGroup] = {}
    for household in rows:
        label = group_of.get(household.building_id, NO_GROUP)
        group = groups.setdefault(label, FreshnessGroup(label))
        group.households += 1
        contacted = last.get(household.pk)
        if contacted is not None and contacted >= fresh_since:
            group.fresh += 1
            report.fresh += 1
            continue
        group.stale.append(
            StaleHousehold(
                household_id=household.pk,
                address=household.address,
                contact=contacts.get(household.pk, ""),
                last_contacted=contacted,
                days_since=None if contacted is None else (today - contacted).days,
            )
        )
    for group in groups.values():
        group.stale.sort(key=lambda s: (s.days_since is not None, -(s.days_since or 0)))
    report.groups = sorted(
        groups.values(), key=lambda g: (g.label == NO_GROUP, g.percent, natural_key(g.label))
    )
    return report
