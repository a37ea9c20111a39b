"""Demo Party network: each new demo area organised by the product's own rule and services
(branches, groups, members placed), committees and group leaders appointed, contacts between
levels, household contacts assigned, a few group meetings recorded; and, in the first area, a
few deliberate gaps for the coverage report to show in red.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.party.models import (
    Attendance,
    HouseholdContact,
    Meeting,
    OrganisationContact,
    PartyMember,
    PartyOrganisation,
    Position,
)
from jinlin.party.selectors.proposal import area_proposal
from jinlin.party.services import area_assign_contacts, network_apply_proposal
from jinlin.people.models import Health, LifeStatus, Resident
from jinlin.places.models import Area

Level = PartyOrganisation.Level
Kind = Position.Kind
DEMO_ACTOR = "演示数据生成"
MEETING_TOPICS = [
    "学习党的二十大精神",
    "楼道堆物清理与消防安全",
    "独居老人结对关爱安排",
    "垃圾分类志愿值守排班",
    "加装电梯意见征询",
    "党员联系户走访情况交流",
    "夏季防汛防台准备",
    "楼组自治公约修订",
]


def organise_demo_party(*, seed: int, progress: Callable[[str], None] | None = None) -> None:
    """Organise every demo area that has no Party organisation yet."""
    rng = random.Random(seed * 7919 + 17)
    areas = list(
        Area.objects.filter(subdistrict__is_demo=True)
        .filter(~Exists(PartyOrganisation.objects.filter(area=OuterRef("pk"))))
        .order_by("id")
    )
    for index, area in enumerate(areas):
        _organise_area(area, rng, with_gaps=index == 0)
        if progress and (index + 1) % 10 == 0:
            progress(f"党组织：已组建 {index + 1}/{len(areas)} 个居民区")
    _link_accounts()


def _organise_area(area: Area, rng: random.Random, *, with_gaps: bool) -> None:
    proposal = area_proposal(area)
    if proposal.is_empty:
        return
    network_apply_proposal(
        area=area,
        actor=None,
        fingerprint=proposal.fingerprint,
        actor_name=DEMO_ACTOR,
        check_access=False,
    )
    today = timezone.localdate()
    organisations = list(PartyOrganisation.objects.active().filter(area=area).order_by("id"))
    area_organisation = next(o for o in organisations if o.level == Level.AREA)
    branches = [o for o in organisations if o.level == Level.BRANCH]
    groups = [o for o in organisations if o.level == Level.GROUP]
    members = list(
        PartyMember.objects.taking_part()
        .filter(resident__area=area, full_member_on__isnull=False)
        .select_related("resident")
        .order_by("id")
    )
    able = [
        m for m in members if m.can_contact and m.resident.health in (Health.GOOD, Health.CHRONIC)
    ]
    positions: list[Position] = []
    contacts: list[OrganisationContact] = []
    used: set[int] = set()

    def pick(candidates: list[PartyMember], count: int) -> list[PartyMember]:
        free = [m for m in candidates if m.pk not in used]
        chosen = rng.sample(free, min(count, len(free)))
        used.update(m.pk for m in chosen)
        return chosen

    def appoint(organisation: PartyOrganisation, member: PartyMember, kind: str) -> None:
        started = today - timedelta(days=rng.randrange(60, 1500))
        positions.append(
            Position(organisation=organisation, member=member, kind=kind, started_on=started)
        )

    area_committee = pick(able, 5)
    for member, kind in zip(
        area_committee,
        [Kind.SECRETARY, Kind.DEPUTY_SECRETARY] + [Kind.COMMITTEE_MEMBER] * 3,
        strict=False,
    ):
        appoint(area_organisation, member, kind)
    branch_committees: dict[int, list[PartyMember]] = {}
    for branch in branches:
        compounds = set(branch.compounds.values_list("id", flat=True))
        local = [m for m in able if m.resident.compound_id in compounds]
        committee = pick(local, 3)
        branch_committees[branch.pk] = committee
        for member, kind in zip(
            committee, [Kind.SECRETARY, Kind.COMMITTEE_MEMBER, Kind.COMMITTEE_MEMBER], strict=False
        ):
            appoint(branch, member, kind)
    # Deliberate gaps in the first area: a branch nobody on the area committee contacts, a group
    # with no leader, and (below) a member who moved out and left households uncontacted.
    skip_branch = branches[-1].pk if with_gaps and len(branches) > 1 else None
    skip_leader = groups[-1].pk if with_gaps and len(groups) > 2 else None
    for position, branch in enumerate(branches):
        if branch.pk != skip_branch and area_committee:
            contact = area_committee[position % len(area_committee)]
            contacts.append(
                OrganisationContact(organisation=branch, member=contact, started_on=today)
            )
    group_members: dict[int, list[PartyMember]] = {}
    for member in able:
        if member.group_id:
            group_members.setdefault(member.group_id, []).append(member)
    for group_index, group in enumerate(groups):
        committee = branch_committees.get(group.parent_id or 0, [])
        if committee:
            contacts.append(
                OrganisationContact(
                    organisation=group,
                    member=committee[group_index % len(committee)],
                    started_on=today,
                )
            )
        if group.pk == skip_leader:
            continue
        candidates = [m for m in group_members.get(group.pk, []) if m.pk not in used]
        if not candidates:
            candidates = group_members.get(group.pk, [])
        if candidates:
            appoint(group, rng.choice(candidates), Kind.GROUP_LEADER)
    Position.objects.bulk_create(positions)
    OrganisationContact.objects.bulk_create(contacts)
    area_assign_contacts(area=area, actor=None, check_access=False)
    if with_gaps:
        _meetings(groups[:6], rng, today)
        _move_one_member_out(groups, used, today)


def _meetings(groups: list[PartyOrganisation], rng: random.Random, today) -> None:
    for group in groups:
        members = list(
            PartyMember.objects.filter(group=group, resident__status=LifeStatus.CURRENT)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not members:
            continue
        for months_ago in (1, 3):
            meeting = Meeting.objects.create(
                group=group,
                held_on=today - timedelta(days=30 * months_ago + rng.randrange(10)),
                place=rng.choice(["居委会活动室", "楼组长家中", "小区党建服务点"]),
                topics=rng.sample(MEETING_TOPICS, 2),
                notes="会议按议题逐项讨论，形成分工安排。",
            )
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    member_id=member_id,
                    status=rng.choices(
                        [
                            Attendance.Status.PRESENT,
                            Attendance.Status.EXCUSED,
                            Attendance.Status.ABSENT,
                        ],
                        weights=[8, 2, 1],
                    )[0],
                )
                for member_id in members
            )


def _move_one_member_out(groups: list[PartyOrganisation], used: set[int], today) -> None:
    """A member who took households moved away last month; nothing is reorganised by itself."""
    for group in groups[1:]:
        member = (
            PartyMember.objects.filter(group=group)
            .filter(
                Exists(
                    HouseholdContact.objects.filter(member=OuterRef("pk"), ended_on__isnull=True)
                )
            )
            .exclude(pk__in=used)
            .exclude(pk__in=Position.objects.filter(ended_on__isnull=True).values("member_id"))
            .order_by("id")
            .first()
        )
        if member is not None:
            Resident.objects.filter(pk=member.resident_id).update(
                status=LifeStatus.MOVED_OUT, status_date=today - timedelta(days=24)
            )
            return


def _link_accounts() -> None:
    """The demo branch secretary leads the branch of its patch, the group leader the group of
    its first patch building."""
    for user in User.objects.filter(role=Role.BRANCH_SECRETARY, party_organisation__isnull=True):
        compound = user.patch_compounds.order_by("id").first()
        branch = (
            PartyOrganisation.objects.active()
            .filter(level=Level.BRANCH, compounds=compound)
            .first()
            if compound
            else None
        )
        if branch is not None:
            user.party_organisation = branch
            user.save(update_fields=["party_organisation"])
    for user in User.objects.filter(role=Role.GROUP_LEADER, party_organisation__isnull=True):
        building = user.patch_buildings.order_by("sort_key", "id").first()
        group = (
            PartyOrganisation.objects.active().filter(level=Level.GROUP, buildings=building).first()
            if building
            else None
        )
        if group is not None:
            user.party_organisation = group
            user.save(update_fields=["party_organisation"])
