"""Reads of 楼组 activities, already limited by access (activities.access), each page in a
fixed number of queries: a building's record, the area's buildings active and quiet, the
participants one may choose."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.chain.access import is_network_member, member_households
from jinlin.chain.activities.access import is_activity_staff, recordable_buildings
from jinlin.chain.activities.liveliness import YEAR_DAYS, Held, Liveliness, Tally, tally
from jinlin.chain.activities.models import ActivityKind, ActivityPhoto, BuildingActivity
from jinlin.core.access import can_manage_area
from jinlin.core.models import User
from jinlin.party.models import PartyMember, PartyOrganisation
from jinlin.people.models import LifeStatus, Resident
from jinlin.places.models import Area, Building

MSG_NO_ACTIVITY = "没有找到该活动"
MSG_NO_PHOTO = "没有找到该照片"


# --- one activity and its photos --------------------------------------------------------------


def access_activity(user: User, activity_id: int) -> BuildingActivity:
    """An activity of a building the user may record for, or 404."""
    try:
        return BuildingActivity.objects.select_related("building__compound", "recorded_by").get(
            pk=activity_id, building__in=recordable_buildings(user)
        )
    except (BuildingActivity.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_ACTIVITY) from None


def access_photo(user: User, photo_id: int) -> ActivityPhoto:
    """Photos are served only to who may read the building's record: they are not public."""
    try:
        return ActivityPhoto.objects.get(
            pk=photo_id, activity__building__in=recordable_buildings(user)
        )
    except (ActivityPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_PHOTO) from None


def may_withdraw(user: User, activity: BuildingActivity) -> bool:
    """Its recorder or the area secretary, while it stands."""
    if activity.withdrawn_at is not None:
        return False
    return activity.recorded_by_id == user.pk or can_manage_area(user, activity.area_id)


# --- the participants one may choose ----------------------------------------------------------


def building_party_members(building: Building) -> list[PartyMember]:
    """The Party members living in the building or in its active Party group (one query)."""
    groups = PartyOrganisation.objects.active().filter(
        level=PartyOrganisation.Level.GROUP, buildings=building
    )
    return list(
        PartyMember.objects.filter(resident__status=LifeStatus.CURRENT)
        .filter(Q(resident__household__building=building) | Q(group__in=groups))
        .select_related("resident")
        .order_by("resident__name", "id")
    )


def building_residents(user: User, building: Building) -> list[Resident]:
    """The building's current residents who are not Party members (those are chosen as such);
    to a network member, only those of its own households (it sees no one else's names)."""
    residents = Resident.objects.filter(
        household__building=building, status=LifeStatus.CURRENT, party_member__isnull=True
    )
    if is_network_member(user):
        residents = residents.filter(household__in=member_households(user))
    return list(residents.select_related("household").order_by("household__room", "name", "id"))


# --- a building's record ----------------------------------------------------------------------


@dataclass
class ActivityRow:
    """One activity as its building's page and the API show it."""

    activity: BuildingActivity
    party_names: list[str]
    resident_names: list[str]  # empty when hidden (a mediation, to anyone but staff and recorder)
    names_hidden: bool
    residents: int  # the named ones and about how many more
    photo_ids: list[int]
    may_withdraw: bool

    @property
    def kind_label(self) -> str:
        return str(ActivityKind(self.activity.kind).label)


def building_activities(building: Building) -> QuerySet[BuildingActivity]:
    """The building's activities, newest first, with what a row shows prefetched (5 queries)."""
    return (
        BuildingActivity.objects.filter(building=building)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "party_members",
                queryset=PartyMember.objects.select_related("resident").order_by("id"),
            ),
            Prefetch("residents", queryset=Resident.objects.order_by("id")),
            Prefetch(
                "photos", queryset=ActivityPhoto.objects.order_by("id").only("id", "activity")
            ),
        )
        .order_by("-held_on", "-id")
    )


def building_record(user: User, building: Building, limit: int = 100) -> list[ActivityRow]:
    """The building's record for a user who may read it: names of a mediation's residents only
    for the area's staff and the one who recorded it."""
    staff = is_activity_staff(user, building.compound.area_id)
    rows = []
    for activity in building_activities(building)[:limit]:
        residents = [r.name for r in activity.residents.all()]
        hidden = (
            activity.kind == ActivityKind.MEDIATION
            and not staff
            and activity.recorded_by_id != user.pk
        )
        rows.append(
            ActivityRow(
                activity=activity,
                party_names=[m.resident.name for m in activity.party_members.all()],
                resident_names=[] if hidden else residents,
                names_hidden=hidden and bool(residents),
                residents=len(residents) + activity.resident_count,
                photo_ids=[p.pk for p in activity.photos.all()],
                may_withdraw=may_withdraw(user, activity),
            )
        )
    return rows


# --- the area's buildings, active and quiet ---------------------------------------------------


@dataclass
class BuildingLiveliness:
    building: Building
    tally: Tally

    @property
    def liveliness(self) -> Liveliness:
        return self.tally.liveliness

    @property
    def counts(self) -> list[tuple[int, int]]:
        """(last 90 days, last year) per kind, in the order of ActivityKind (the columns)."""
        return [(self.tally.recent[kind], self.tally.year[kind]) for kind in ActivityKind.values]


@dataclass
class CompoundLiveliness:
    name: str
    buildings: list[BuildingLiveliness] = field(default_factory=list)

    def count(self, level: Liveliness) -> int:
        return sum(1 for row in self.buildings if row.liveliness is level)

    @property
    def active(self) -> int:
        return self.count(Liveliness.ACTIVE)

    @property
    def quiet(self) -> int:
        return self.count(Liveliness.QUIET)


def area_liveliness(
    area: Area, branch: PartyOrganisation | None = None, on: date | None = None
) -> list[CompoundLiveliness]:
    """Every building of the area (of the branch's compounds, when given) by compound, with its
    activities of the last year counted and classified (liveliness.py). Two queries."""
    today = on or timezone.localdate()
    buildings = Building.objects.filter(compound__area=area).select_related("compound")
    if branch is not None:
        buildings = buildings.filter(compound__in=branch.compounds.values("pk"))
    held: dict[int, list[Held]] = defaultdict(list)
    rows = (
        BuildingActivity.objects.filter(
            area=area,
            withdrawn_at__isnull=True,
            held_on__gt=today - timedelta(days=YEAR_DAYS),
            held_on__lte=today,
        )
        .order_by()
        .values_list("building_id", "held_on", "kind")
    )
    for building_id, held_on, kind in rows:
        held[building_id].append(Held(held_on, kind))
    compounds: dict[int, CompoundLiveliness] = {}
    ordered = sorted(
        buildings,
        key=lambda b: (b.compound.name, b.compound_id, b.sort_key, b.number, b.stairwell),
    )
    for building in ordered:
        block = compounds.setdefault(
            building.compound_id, CompoundLiveliness(building.compound.name)
        )
        block.buildings.append(BuildingLiveliness(building, tally(held[building.pk], today)))
    return list(compounds.values())


def liveliness_totals(compounds: list[CompoundLiveliness]) -> list[tuple[Liveliness, int]]:
    """Buildings per level over the whole overview, active first."""
    return [(level, sum(block.count(level) for block in compounds)) for level in Liveliness]
