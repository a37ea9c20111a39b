"""Reading notices: who should be told, who was, and who may see or mark which notice.

A notice's audience is its whole area (nothing chosen) or the union of its compounds, its
buildings and the buildings of its Party groups; of those, only the households with a current
resident need telling (an empty flat does not). Every reader here runs a fixed number of
queries, however many households, buildings or groups a notice reaches.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.chain.access import is_network_member, member_households
from jinlin.chain.models import Notice, Reach
from jinlin.core.access import can_manage_area
from jinlin.core.models import Role, User
from jinlin.party.access import led_organisation
from jinlin.party.models import HouseholdContact, PartyOrganisation
from jinlin.people.models import Resident
from jinlin.places.models import Area, Building, Compound, Household

MSG_NO_NOTICE = "没有找到该通知"
MSG_NO_AREA = "没有找到该居民区"
RECENT_DAYS = 30  # a member's page shows the notices of the last 30 days
NO_GROUP = "未编入党小组"


# --- who may ---------------------------------------------------------------------------------


def led_branch(user: User, area_id: int | None = None) -> PartyOrganisation | None:
    """The active branch a branch secretary leads (in `area_id`, when given)."""
    if user.role != Role.BRANCH_SECRETARY:
        return None
    branch = led_organisation(user)
    if branch is None or (area_id is not None and branch.area_id != area_id):
        return None
    return branch


def may_publish(user: User, area: Area) -> bool:
    """The area secretary; a branch secretary of the area (to its branch's part only)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return can_manage_area(user, area.pk) or led_branch(user, area.pk) is not None


def is_area_staff(user: User, area_id: int) -> bool:
    """The area's secretary and workers: they see every notice of the area and may mark."""
    if not user.is_authenticated or not user.is_active:
        return False
    if can_manage_area(user, area_id):
        return True
    return user.role == Role.WORKER and user.area_id == area_id


def may_see_reach(user: User, notice: Notice) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return notice.created_by_id == user.pk or is_area_staff(user, notice.area_id)


def may_withdraw(user: User, notice: Notice) -> bool:
    if notice.withdrawn_at is not None:
        return False
    return notice.created_by_id == user.pk or can_manage_area(user, notice.area_id)


def access_notices_area(user: User, area_id: int) -> Area:
    """The area of a notices page: its staff and its branch secretaries; else 404."""
    try:
        area = Area.objects.get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_AREA) from None
    if not (is_area_staff(user, area.pk) or may_publish(user, area)):
        raise Http404(MSG_NO_AREA)
    return area


def access_notice(user: User, notice_id: int) -> Notice:
    """A notice whose reach the user may see (its sender, the area's staff), or 404."""
    try:
        notice = Notice.objects.select_related("area", "created_by").get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_NOTICE) from None
    if not may_see_reach(user, notice):
        raise Http404(MSG_NO_NOTICE)
    return notice


def area_notices(user: User, area: Area) -> list[Notice]:
    """The notices of an area the user may see: all for its staff, its own for a sender."""
    notices = Notice.objects.filter(area=area).select_related("created_by")
    if not is_area_staff(user, area.pk):
        notices = notices.filter(created_by=user)
    return list(notices[:100])


# --- the audience ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Whom a notice is for: the whole area, or households of these compounds or buildings."""

    area_id: int
    whole_area: bool
    compound_ids: frozenset[int]
    building_ids: frozenset[int]  # chosen ones and those of the chosen groups

    def includes(self, household: Household) -> bool:
        return self.reaches(household.area_id, household.compound_id, household.building_id)

    def reaches(self, area_id: int, compound_id: int, building_id: int) -> bool:
        """Whether a place (a household's, or a building's for its public page) is told."""
        if area_id != self.area_id:
            return False
        return (
            self.whole_area or compound_id in self.compound_ids or building_id in self.building_ids
        )


def notice_audience(notice: Notice) -> Audience:
    """Three queries (or none with `prefetch_audience`)."""
    compound_ids = frozenset(c.pk for c in notice.compounds.all())
    building_ids = {b.pk for b in notice.buildings.all()}
    group_ids: set[int] = set()
    if "groups" in getattr(notice, "_prefetched_objects_cache", {}):
        for group in notice.groups.all():
            group_ids.add(group.pk)
            building_ids |= {b.pk for b in group.buildings.all()}
    else:  # the groups and their buildings in one query
        for group_id, building_id in Notice.groups.through.objects.filter(
            notice_id=notice.pk
        ).values_list("partyorganisation_id", "partyorganisation__buildings"):
            group_ids.add(group_id)
            if building_id is not None:
                building_ids.add(building_id)
    return Audience(
        area_id=notice.area_id,
        whole_area=not (compound_ids or building_ids or group_ids),
        compound_ids=compound_ids,
        building_ids=frozenset(building_ids),
    )


def prefetch_audience(notices: QuerySet[Notice]) -> QuerySet[Notice]:
    return notices.prefetch_related("compounds", "buildings", "groups__buildings")


def lived_in() -> Exists:
    """A household with a current resident (an empty flat needs no telling or contact)."""
    return Exists(Resident.objects.current().filter(household=OuterRef("pk")))


def audience_households(audience: Audience) -> QuerySet[Household]:
    households = Household.objects.filter(area_id=audience.area_id).filter(lived_in())
    if not audience.whole_area:
        households = households.filter(
            Q(compound_id__in=audience.compound_ids) | Q(building_id__in=audience.building_ids)
        )
    return households


def notice_households(notice: Notice) -> QuerySet[Household]:
    """The households that should be told: in the audience, with a current resident."""
    return audience_households(notice_audience(notice))


# --- the reach of one notice -----------------------------------------------------------------


@dataclass
class ReachRow:
    """One group's or one building's households and how many were reached."""

    label: str
    households: int = 0
    reached: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.households) if self.households else 0


@dataclass
class UntoldHousehold:
    household: Household
    address: str
    contact: str  # the contact member's name, or ""
    unreachable: bool  # marked 联系不上


@dataclass
class NoticeReach:
    notice: Notice
    households: int = 0
    reached: int = 0  # told in some way (联系不上 is not reached)
    unreachable: int = 0
    ways: list[tuple[str, str, int]] = field(default_factory=list)  # (how, label, count)
    groups: list[ReachRow] = field(default_factory=list)
    buildings: list[ReachRow] = field(default_factory=list)
    untold: list[UntoldHousehold] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return round(100 * self.reached / self.households) if self.households else 0


# The registry's order of households: compound, building, room.
HOUSEHOLD_ORDER = ("compound_id", "building__sort_key", "building__number", "building_id", "room")


def contact_names(household_ids: list[int]) -> dict[int, str]:
    """Household id → the name of its current Party contact member (one query)."""
    return dict(
        HouseholdContact.objects.filter(
            ended_on__isnull=True, household__in=household_ids
        ).values_list("household_id", "member__resident__name")
    )


def building_group_names(area_id: int) -> dict[int, str]:
    """Building id → the name of its active Party group (one query)."""
    through = PartyOrganisation.buildings.through
    rows = through.objects.filter(
        partyorganisation__area_id=area_id,
        partyorganisation__level=PartyOrganisation.Level.GROUP,
        partyorganisation__dissolved_at__isnull=True,
    ).values_list("building_id", "partyorganisation__name")
    return dict(rows)


def notice_reach(notice: Notice) -> NoticeReach:
    """Households reached out of all, the ways, by group and by building (buildings with none
    reached first), and who is not told yet with their contact member. Eight queries."""
    households = list(
        notice_households(notice).select_related("building__compound").order_by(*HOUSEHOLD_ORDER)
    )
    marks = dict(
        Reach.objects.filter(notice=notice).values_list("household_id", "how")
    )  # one query
    contacts = contact_names([h.pk for h in households])
    group_of = building_group_names(notice.area_id)

    report = NoticeReach(notice=notice, households=len(households))
    ways: Counter[str] = Counter()
    by_group: dict[str, ReachRow] = {}
    by_building: dict[int, ReachRow] = {}
    for household in households:
        how = marks.get(household.pk)
        reached = how is not None and how != Reach.How.UNREACHABLE
        if how is not None:
            ways[how] += 1
        group = by_group.setdefault(
            group_of.get(household.building_id, NO_GROUP),
            ReachRow(group_of.get(household.building_id, NO_GROUP)),
        )
        building = by_building.setdefault(
            household.building_id,
            ReachRow(f"{household.building.compound.name}{household.building.label}"),
        )
        for row in (group, building):
            row.households += 1
            row.reached += int(reached)
        if reached:
            report.reached += 1
        else:
            report.untold.append(
                UntoldHousehold(
                    household=household,
                    address=household.address,
                    contact=contacts.get(household.pk, ""),
                    unreachable=how == Reach.How.UNREACHABLE,
                )
            )
    report.unreachable = ways[Reach.How.UNREACHABLE]
    report.ways = [(how.value, str(how.label), ways[how.value]) for how in Reach.How]
    report.groups = sorted(by_group.values(), key=lambda r: (r.label == NO_GROUP, r.label))
    # Buildings with nobody reached first, then by share reached; the order of the registry
    # otherwise (sorted() keeps it).
    report.buildings = sorted(by_building.values(), key=lambda r: (r.reached > 0, r.percent))
    return report


def reach_percents(notices: list[Notice]) -> dict[int, tuple[int, int]]:
    """Notice id → (reached, households) for a list page, in a fixed number of queries."""
    if not notices:
        return {}
    ids = [n.pk for n in notices]
    loaded = list(prefetch_audience(Notice.objects.filter(pk__in=ids)))
    audiences = {n.pk: notice_audience(n) for n in loaded}
    area_ids = {a.area_id for a in audiences.values()}
    households = list(
        Household.objects.filter(area_id__in=area_ids)
        .filter(lived_in())
        .only("id", "area_id", "compound_id", "building_id")
    )
    reached = set(
        Reach.objects.filter(notice_id__in=ids)
        .exclude(how=Reach.How.UNREACHABLE)
        .values_list("notice_id", "household_id")
    )
    result: dict[int, tuple[int, int]] = {}
    for notice_id, audience in audiences.items():
        told = total = 0
        for household in households:
            if audience.includes(household):
                total += 1
                told += (notice_id, household.pk) in reached
        result[notice_id] = (told, total)
    return result


# --- publishing: what may be chosen ----------------------------------------------------------


@dataclass
class AudienceCompound:
    compound: Compound
    buildings: list[Building]
    groups: list[PartyOrganisation]


def audience_choices(user: User, area: Area) -> list[AudienceCompound]:
    """The compounds, buildings and active Party groups the user may post to, by compound
    (a branch secretary: those of its branch). Four queries."""
    compounds = Compound.objects.filter(area=area).order_by("name", "id")
    branch = None if can_manage_area(user, area.pk) else led_branch(user, area.pk)
    groups = PartyOrganisation.objects.active().filter(
        area=area, level=PartyOrganisation.Level.GROUP
    )
    if branch is not None:
        compounds = compounds.filter(party_branches=branch)
        groups = groups.filter(parent=branch)
    rows = {c.pk: AudienceCompound(c, [], []) for c in compounds}
    for building in Building.objects.filter(compound_id__in=list(rows)):
        rows[building.compound_id].buildings.append(building)
    placed: set[int] = set()
    for group in groups.prefetch_related("buildings").order_by("name", "id"):
        for building in group.buildings.all():
            if building.compound_id in rows and group.pk not in placed:
                rows[building.compound_id].groups.append(group)
                placed.add(group.pk)
    return list(rows.values())


# --- a network member's notices --------------------------------------------------------------


@dataclass
class MemberHousehold:
    notice: Notice
    household: Household
    how: str | None

    @property
    def how_label(self) -> str:
        return Reach.How(self.how).label if self.how else ""


@dataclass
class MemberNotice:
    notice: Notice
    households: list[MemberHousehold]

    @property
    def told(self) -> int:
        return sum(1 for h in self.households if h.how and h.how != Reach.How.UNREACHABLE)


def current_notices() -> QuerySet[Notice]:
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    return Notice.objects.filter(withdrawn_at__isnull=True, created_at__gte=since)


def member_notices(user: User) -> list[MemberNotice]:
    """The current notices (not withdrawn, last 30 days) concerning at least one of the
    member's lived-in households, with those households and their marks. Eight queries."""
    if not is_network_member(user):
        return []
    households = list(
        member_households(user)
        .filter(lived_in())
        .select_related("building__compound")
        .order_by("building__compound_id", "building__sort_key", "building_id", "room")
    )
    if not households:
        return []
    notices = list(
        prefetch_audience(
            current_notices().filter(area_id__in={h.area_id for h in households})
        ).select_related("created_by")
    )
    marks = {
        (notice_id, household_id): how
        for notice_id, household_id, how in Reach.objects.filter(
            notice__in=[n.pk for n in notices], household__in=[h.pk for h in households]
        ).values_list("notice_id", "household_id", "how")
    }
    result = []
    for notice in notices:
        audience = notice_audience(notice)
        mine = [
            MemberHousehold(notice, h, marks.get((notice.pk, h.pk)))
            for h in households
            if audience.includes(h)
        ]
        if mine:
            result.append(MemberNotice(notice, mine))
    return result


def member_notice(user: User, notice_id: int) -> MemberNotice | None:
    """One of the member's current notices with its households and their marks."""
    return next((item for item in member_notices(user) if item.notice.pk == notice_id), None)


def member_notice_household(
    user: User, notice_id: int, household_id: int
) -> tuple[Notice, Household]:
    """A current notice and one of the member's households it concerns, or 404."""
    try:
        notice = current_notices().get(pk=notice_id)
    except (Notice.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_NOTICE) from None
    return notice, _household_of(notice, member_households(user), household_id)


def staff_notice_household(
    user: User, notice_id: int, household_id: int
) -> tuple[Notice, Household]:
    """A notice of the user's area (secretary, workers) and one household it concerns, or 404."""
    notice = access_notice(user, notice_id)
    if not is_area_staff(user, notice.area_id):
        raise Http404(MSG_NO_NOTICE)
    return notice, _household_of(notice, Household.objects.all(), household_id)


def _household_of(notice: Notice, households: QuerySet[Household], household_id: int) -> Household:
    try:
        return (
            notice_households(notice)
            .filter(pk__in=households.values("pk"))
            .select_related("building__compound")
            .get(pk=household_id)
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该户") from None
