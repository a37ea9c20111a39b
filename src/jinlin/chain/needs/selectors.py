"""Reading needs and claims: who may see which, a member's open needs, the committee's list with
its claims and suggestions, and the hours served per member and year (the 双报到 report).

The committee is the area's secretary and workers (`notice_selectors.is_area_staff`); a member
is a network member of the need's area (User.area). Anything else is a 404. Every list reads in
a fixed number of queries, however many needs, claims or members there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from jinlin.chain.access import is_network_member
from jinlin.chain.needs.matching import shared_skills
from jinlin.chain.needs.models import HOLDING_PLACE, ClaimStatus, Need, NeedClaim
from jinlin.chain.notice_selectors import is_area_staff
from jinlin.core.access import personal_scope
from jinlin.core.models import Role, User
from jinlin.people.groups import GroupCode
from jinlin.people.models import GroupMembership, LifeStatus
from jinlin.places.models import Area

MSG_NO_AREA = "没有找到该居民区"
MSG_NO_NEED = "没有找到该需求"
MSG_NO_CLAIM = "没有找到该认领"
SUGGESTED_MEMBERS = 5  # the members with the fewest hours this year, offered for each need
PAST_DAYS_SHOWN = 30  # the committee's list keeps needs of the last 30 days in view


# --- who may ---------------------------------------------------------------------------------


def is_committee(user: User, area_id: int) -> bool:
    """The area's secretary and workers: they publish, confirm and decline."""
    return is_area_staff(user, area_id)


def is_member_of(user: User, area_id: int) -> bool:
    """A network member of the area (in service or retired): it may claim the area's needs."""
    return is_network_member(user) and user.area_id == area_id


def access_needs_area(user: User, area_id: int) -> Area:
    try:
        area = Area.objects.get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_AREA) from None
    if not is_committee(user, area.pk):
        raise Http404(MSG_NO_AREA)
    return area


def access_committee_need(user: User, need_id: int) -> Need:
    try:
        need = Need.objects.select_related("area").get(pk=need_id)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_NEED) from None
    if not is_committee(user, need.area_id):
        raise Http404(MSG_NO_NEED)
    return need


def access_committee_claim(user: User, claim_id: int) -> NeedClaim:
    try:
        claim = NeedClaim.objects.select_related("need", "member").get(pk=claim_id)
    except (NeedClaim.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_CLAIM) from None
    if not is_committee(user, claim.need.area_id):
        raise Http404(MSG_NO_CLAIM)
    return claim


def access_member_need(user: User, need_id: int) -> Need:
    """A need of the member's own area (withdrawn or past ones too: the service says why it
    may not be claimed), or 404."""
    try:
        need = Need.objects.get(pk=need_id)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_NEED) from None
    if not is_member_of(user, need.area_id):
        raise Http404(MSG_NO_NEED)
    return need


def access_member_claim(user: User, claim_id: int) -> NeedClaim:
    """One of the member's own claims, or 404."""
    try:
        claim = NeedClaim.objects.select_related("need").get(pk=claim_id)
    except (NeedClaim.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_CLAIM) from None
    if not is_network_member(user) or claim.member_id != user.pk:
        raise Http404(MSG_NO_CLAIM)
    return claim


# --- counting places -------------------------------------------------------------------------


def places_taken(claims: list[NeedClaim]) -> int:
    return sum(1 for claim in claims if claim.status in HOLDING_PLACE)


def places_left(need: Need, claims: list[NeedClaim]) -> int:
    return max(0, need.people_needed - places_taken(claims))


def taken_count(need: Need) -> int:
    """One query: the claims holding a place of the need (claimed, confirmed, done)."""
    return NeedClaim.objects.filter(need=need, status__in=HOLDING_PLACE).count()


# --- a year ------------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """1 January to 1 January, in Shanghai's time (the year of the need's day)."""
    zone = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def hours_by_member(area_id: int, year: int) -> dict[int, tuple[int, Decimal]]:
    """Member id → (done claims, hours served) on the area's needs dated in the year. One query."""
    start, end = year_bounds(year)
    rows = (
        NeedClaim.objects.filter(
            status=ClaimStatus.DONE,
            need__area_id=area_id,
            need__starts_at__gte=start,
            need__starts_at__lt=end,
        )
        .order_by()
        .values("member_id")
        .annotate(done=Count("id"), hours=Sum("hours_served"))
        .values_list("member_id", "done", "hours")
    )
    tenth = Decimal("0.1")  # SQLite sums to "2", PostgreSQL to "2.0": one spelling for both
    return {
        member_id: (done, Decimal(hours or 0).quantize(tenth)) for member_id, done, hours in rows
    }


# --- a member's page -------------------------------------------------------------------------


@dataclass
class OpenNeed:
    need: Need
    left: int  # places still free
    mine: NeedClaim | None  # the member's own (not withdrawn) claim, if any


@dataclass
class MemberNeeds:
    open: list[OpenNeed]  # upcoming, not withdrawn, with a place left or claimed by the member
    claims: list[NeedClaim]  # the member's claims, newest first (not the withdrawn ones)
    year: int
    hours_this_year: Decimal
    done_this_year: int


def member_needs(user: User) -> MemberNeeds:
    """The member's page: its area's upcoming needs with the places left and its own claims
    marked, its claims with their state, its hours this year. Four queries."""
    year = timezone.localdate().year
    if not is_network_member(user) or user.area_id is None:
        return MemberNeeds([], [], year, Decimal(0), 0)
    now = timezone.now()
    needs = list(
        Need.objects.filter(area_id=user.area_id, withdrawn_at__isnull=True, starts_at__gte=now)
        .prefetch_related("claims")
        .order_by("starts_at", "id")[:100]
    )
    claims = list(
        NeedClaim.objects.filter(member=user)
        .exclude(status=ClaimStatus.WITHDRAWN)
        .select_related("need", "member")
        .order_by("-need__starts_at", "-id")[:100]
    )
    mine = {claim.need_id: claim for claim in claims}
    rows = []
    for need in needs:
        all_claims = list(need.claims.all())
        left = places_left(need, all_claims)
        if left or need.pk in mine:
            rows.append(OpenNeed(need, left, mine.get(need.pk)))
    done, hours = hours_by_member(user.area_id, year).get(user.pk, (0, Decimal(0)))
    return MemberNeeds(rows, claims, year, hours, done)


# --- the committee's page --------------------------------------------------------------------


@dataclass
class Suggestion:
    name: str
    reason: str  # the shared skills, or the hours served this year


@dataclass
class CommitteeNeed:
    need: Need
    claims: list[NeedClaim]
    left: int
    talents: list[Suggestion] = field(default_factory=list)
    members: list[Suggestion] = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.need.withdrawn_at is None and self.need.starts_at >= timezone.now()


@dataclass(frozen=True)
class Talent:
    name: str
    skills: list[str]


def area_talents(user: User, area_id: int) -> list[Talent]:
    """The area's current talent pool 社区能人 with their skills, names only (no phones), and
    only those the user may see (a worker: its patch; core.access). One query."""
    today = timezone.localdate()
    memberships = (
        GroupMembership.objects.filter(personal_scope(user).q("household__building_id"))
        .filter(
            area_id=area_id,
            group=GroupCode.TALENT,
            ended_on__isnull=True,
            since__lte=today,
            resident__status=LifeStatus.CURRENT,
        )
        .select_related("resident")
        .order_by("resident__building__sort_key", "resident_id")
    )
    return [Talent(m.resident.name, [str(s) for s in m.skills or []]) for m in memberships]


def area_members(area_id: int) -> QuerySet[User]:
    """The area's network members with accounts (active), with their Party record."""
    return (
        User.objects.filter(role=Role.NETWORK_MEMBER, area_id=area_id, is_active=True)
        .select_related("party_member")
        .order_by("display_name", "username", "id")
    )


def need_text(need: Need) -> str:
    return f"{need.title} {need.description} {need.place}"


def talents_for(need: Need, talents: list[Talent]) -> list[Suggestion]:
    result = []
    for talent in talents:
        skills = shared_skills(need_text(need), talent.skills)
        if skills:
            result.append(Suggestion(talent.name, "、".join(skills)))
    return result


def members_for(
    claims: list[NeedClaim], members: list[User], hours: dict[int, tuple[int, Decimal]]
) -> list[Suggestion]:
    """The members who have not claimed it, fewest hours this year first (work is shared)."""
    claimed = {c.member_id for c in claims if c.status != ClaimStatus.WITHDRAWN}
    free = [m for m in members if m.pk not in claimed]
    free.sort(key=lambda m: hours.get(m.pk, (0, Decimal(0)))[1])
    return [
        Suggestion(str(m), f"今年 {hours.get(m.pk, (0, Decimal(0)))[1]} 小时")
        for m in free[:SUGGESTED_MEMBERS]
    ]


def committee_needs(user: User, area: Area) -> list[CommitteeNeed]:
    """The area's needs from 30 days ago on (latest first), each
    with its claims, places left and, while open, whom to ask: talents whose skills the need
    asks for, and members with the fewest hours this year. Five queries."""
    since = timezone.now() - timedelta(days=PAST_DAYS_SHOWN)
    needs = list(
        Need.objects.filter(area=area, starts_at__gte=since)
        .prefetch_related("claims__member")
        .order_by("-starts_at", "-id")[:100]
    )
    talents = area_talents(user, area.pk)
    members = list(area_members(area.pk))
    hours = hours_by_member(area.pk, timezone.localdate().year)
    rows = []
    for need in needs:
        claims = list(need.claims.all())
        row = CommitteeNeed(need, claims, places_left(need, claims))
        if row.is_open:
            row.talents = talents_for(need, talents)
            row.members = members_for(claims, members, hours)
        rows.append(row)
    return rows


# --- the 双报到 report -----------------------------------------------------------------------


@dataclass
class HoursRow:
    member: User
    name: str
    is_in_service: bool
    is_dual_registered: bool
    done: int
    hours: Decimal


def hours_report(area: Area, year: int) -> list[HoursRow]:
    """Every network member of the area (and anyone else with done claims there that year):
    claims done and hours served on the area's needs of that year, most hours first. Three
    queries."""
    served = hours_by_member(area.pk, year)
    members = list(area_members(area.pk))
    known = {m.pk for m in members}
    others = [pk for pk in served if pk not in known]
    if others:
        members += list(User.objects.filter(pk__in=others).select_related("party_member"))
    rows = []
    for member in members:
        record = member.party_member
        done, hours = served.get(member.pk, (0, Decimal(0)))
        rows.append(
            HoursRow(
                member=member,
                name=str(member),
                is_in_service=bool(record and record.is_in_service),
                is_dual_registered=bool(record and record.is_dual_registered),
                done=done,
                hours=hours,
            )
        )
    rows.sort(key=lambda r: (-r.hours, -r.done, r.name))
    return rows
