"""A network member's households as its phone shows them: by building, with the current
residents' names and ages and the groups a contact needs to know (never a sensitive one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.utils import timezone

from jinlin.chain.access import member_households
from jinlin.core.models import User
from jinlin.people.derived import age_on
from jinlin.people.groups import GROUPS, SENSITIVE_CODES
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.models import natural_key


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

    @property
    def groups(self) -> list[str]:
        """The household's groups, each once, in the order its residents carry them."""
        return list(dict.fromkeys(label for line in self.residents for label in line.groups))


@dataclass
class BuildingBlock:
    id: int
    label: str  # 小区 + 楼号
    households: list[HouseholdCard] = field(default_factory=list)


def member_buildings(user: User, on: date | None = None) -> list[BuildingBlock]:
    """The member's households grouped by building, in three queries whatever their number
    (households, residents, memberships)."""
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
                address=f"{building.compound.name}{building.label}{household.room}室",
                residents=[
                    ResidentLine(
                        name=resident.name,
                        age=age_on(resident.birth_date, today),
                        groups=_labels(resident),
                    )
                    for resident in household.current_residents
                ],
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
