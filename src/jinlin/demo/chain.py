"""The chain at work in the demo: network members with accounts, a month of notices and reach.

In the first demo area, the Party member who contacts the most households gets the demo
account `dangyuan`, a building of the first compound gets its 楼组长 `louzu`; every other
contact member gets an account too (no password: they would be invited). Four notices of the
last month go to the area, a compound and a building, and about three households in four have
been told, each by its contact member (or the 楼组长 of its building), in a way drawn at random.
A year of 楼组 activities (互助, 卫生, 调解, 新风) leaves some buildings active and some quiet.
A month of 双报到 needs (three weeks past, ten days to come) carries claims in every state; the
past ones were mostly done, with a line and the hours served, `dangyuan` among the helpers.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from jinlin.chain.models import (
    CONTACT_WAYS,
    ActivityKind,
    BuildingActivity,
    ClaimStatus,
    Contact,
    Need,
    NeedClaim,
    Notice,
    Reach,
)
from jinlin.chain.notice_selectors import notice_households
from jinlin.core.models import Role, User
from jinlin.demo.accounts import password_hash
from jinlin.fieldwork.concerns.services import concern_passed_on
from jinlin.party.models import HouseholdContact, PartyMember
from jinlin.people.models import LifeStatus
from jinlin.places.models import Area, Building, Household

NOTICES = (
    # (days ago, title, body, audience: "area" | "compound" | "building", public)
    (
        27,
        "防汛防台：请检查阳台杂物",
        "台风将至，请各户收好阳台、窗台杂物，独居老人家请联系人上门看一看。",
        "area",
        True,
    ),
    (
        18,
        "垃圾分类新规：湿垃圾破袋投放",
        "下月起湿垃圾须破袋投放，定时投放点时间不变，志愿者将在投放点值守指导。",
        "area",
        True,
    ),
    (
        9,
        "停水通知",
        "因管道维修，本周四 9:00—15:00 停水，请提前储水。高层住户请留意水压。",
        "compound",
        True,
    ),
    (
        3,
        "楼道堆物清理",
        "本周六上午清理楼道堆物，请各户把自家物品搬回室内；需要帮忙的请告诉楼组长。",
        "building",
        False,
    ),
)


ACTIVITIES = {
    ActivityKind.MUTUAL_HELP: (
        "帮独居的老人买菜、取药",
        "为行动不便的住户修好了门锁和水龙头",
        "邻里结对，轮流陪老人去医院复诊",
    ),
    ActivityKind.HYGIENE: (
        "楼道大扫除，清理堆放的纸箱和旧家具",
        "清洗楼道扶手、信报箱，张贴垃圾分类提示",
        "疏通楼前下水道，清理绿化带垃圾",
    ),
    ActivityKind.MEDIATION: (
        "调解楼上楼下漏水纠纷，约定维修和赔偿",
        "调解楼道停放电动车的矛盾，商定集中停放",
    ),
    ActivityKind.NEW_CUSTOMS: (
        "楼组议事会：订立楼组公约",
        "邻里节一楼一品：包馄饨、拉家常",
        "移风易俗宣传：文明祭扫、喜事新办",
    ),
}


PASSED_ON = (
    "老人说楼道灯坏了好几天，晚上下楼不方便",
    "家里卫生间漏水到楼下，想请居委帮忙协调",
    "孩子放学后没人照看，问有没有托管班",
    "想报名社区的智能手机课",
    "老伴住院了，一个人买菜有困难",
)


def generate_chain(*, seed: int, today: date, password: str) -> list[tuple[str, str, str]]:
    """Accounts and a month of notices with their reach in the first demo area; returns the
    demo accounts made (username, role, display name)."""
    area = Area.objects.filter(subdistrict__is_demo=True).order_by("id").first()
    if area is None or Notice.objects.filter(area=area).exists():
        return []
    rng = random.Random(seed * 104729 + 3)
    secretary = User.objects.filter(area=area, role=Role.AREA_SECRETARY).first()
    contacts = list(
        HouseholdContact.objects.filter(ended_on__isnull=True, household__area=area).values_list(
            "member_id", "household_id"
        )
    )
    if not contacts:
        return []
    accounts: list[tuple[str, str, str]] = []
    busiest = Counter(member for member, _ in contacts).most_common(1)[0][0]
    members = {
        m.pk: m
        for m in PartyMember.objects.filter(pk__in={m for m, _ in contacts}).select_related(
            "resident"
        )
    }
    account_of: dict[int, User] = {}
    for member_id, member in sorted(members.items()):
        username = "dangyuan" if member_id == busiest else f"m{member_id}"
        display = f"党员 {member.resident.name}"
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": Role.NETWORK_MEMBER,
                "display_name": display,
                "area": area,
                "party_member": member,
                "is_active": True,
            },
        )
        if username == "dangyuan":
            user.password = password_hash(password)
            accounts.append((username, Role.NETWORK_MEMBER, display))
        else:
            user.set_unusable_password()
        user.save()
        account_of[member_id] = user
    contact_of = {household: account_of[member] for member, household in contacts}

    first_compound = area.compounds.order_by("name", "id").first()
    building = (
        Building.objects.filter(compound=first_compound).order_by("sort_key", "id").first()
        if first_compound
        else None
    )
    leader_name = "楼组长 蒋桂芳"
    leader, _ = User.objects.update_or_create(
        username="louzu",
        defaults={
            "role": Role.NETWORK_MEMBER,
            "display_name": leader_name,
            "area": area,
            "is_active": True,
        },
    )
    leader.password = password_hash(password)
    leader.save()
    leader.chain_buildings.set([building] if building else [])
    accounts.append(("louzu", Role.NETWORK_MEMBER, leader_name))

    _contacts(rng, today, contact_of)
    _needs(rng, today, area, secretary, [account_of[m] for m in sorted(account_of)] + [leader])
    for days_ago, title, body, audience, public in NOTICES:
        at = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9, 30)))
        notice = Notice.objects.create(
            area=area,
            title=title,
            body=body,
            is_public=public,
            created_by=secretary,
            created_at=at,
        )
        if audience == "compound" and first_compound is not None:
            notice.compounds.set([first_compound])
        elif audience == "building" and building is not None:
            notice.buildings.set([building])
        households = notice_households(notice).values_list("id", "building_id")
        share = 0.55 if days_ago < 5 else 0.8
        reaches = []
        for household_id, building_id in households:
            if rng.random() > share:
                continue
            by = leader if building is not None and building_id == building.pk else None
            by = by or contact_of.get(household_id)
            if by is None:
                continue
            how = rng.choices([c for c, _ in Reach.How.choices], weights=[40, 25, 25, 7, 3])[0]
            reaches.append(
                Reach(
                    notice=notice,
                    household_id=household_id,
                    how=how,
                    marked_by=by,
                    marked_at=at + timedelta(hours=rng.randint(2, 96)),
                )
            )
        Reach.objects.bulk_create(reaches)
    if secretary is not None:
        _activities(rng, today, area, secretary, leader, building)
    return accounts


def _activities(
    rng: random.Random,
    today: date,
    area: Area,
    secretary: User,
    leader: User,
    leader_building: Building | None,
) -> None:
    """A year of 楼组 activities: about half the buildings active (the 楼组长's always), a
    quarter keeping to one kind, the rest quiet (nothing, or only something long ago). The
    Party members living in a building take part in its activities."""
    buildings = list(Building.objects.filter(compound__area=area).order_by("compound_id", "id"))
    members_of: dict[int, list[int]] = {}
    for member_id, building_id in PartyMember.objects.filter(
        resident__area=area, resident__status=LifeStatus.CURRENT
    ).values_list("id", "resident__household__building_id"):
        members_of.setdefault(building_id, []).append(member_id)
    kinds = list(ACTIVITIES)
    planned: list[tuple[BuildingActivity, list[int]]] = []
    for building in buildings:
        is_leaders = leader_building is not None and building.pk == leader_building.pk
        draw = 0.0 if is_leaders else rng.random()
        if draw < 0.5:  # active: several kinds, the latest within the last month
            held = [(rng.randint(0, 30), rng.choice(kinds))]
            held += [(rng.randint(0, 330), kind) for kind in rng.sample(kinds, 2)]
        elif draw < 0.75:  # steady: one kind, lately
            kind = rng.choice(kinds)
            held = [(rng.randint(0, 80), kind) for _ in range(rng.randint(1, 2))]
        elif draw < 0.9:  # quiet, but not always so
            held = [(rng.randint(120, 330), rng.choice(kinds))]
        else:  # quiet all year
            held = []
        recorder = leader if is_leaders else secretary
        for days_ago, kind in held:
            members = members_of.get(building.pk, [])
            taking_part = rng.sample(members, min(len(members), rng.randint(0, 3)))
            planned.append(
                (
                    BuildingActivity(
                        building=building,
                        area=area,
                        kind=kind,
                        held_on=today - timedelta(days=days_ago),
                        summary=rng.choice(ACTIVITIES[kind]),
                        resident_count=rng.randint(3, 20),
                        recorded_by=recorder,
                    ),
                    taking_part,
                )
            )
    created = BuildingActivity.objects.bulk_create([activity for activity, _ in planned])
    through = BuildingActivity.party_members.through
    through.objects.bulk_create(
        through(buildingactivity_id=activity.pk, partymember_id=member_id)
        for activity, (_, members) in zip(created, planned, strict=True)
        for member_id in members
    )


def _contacts(rng: random.Random, today: date, contact_of: dict[int, User]) -> None:
    """Each contact member's households: most contacted within the month, some longer ago
    (they show as overdue on the member's page), a few with something passed on, which the
    workers find on their 今日 (channel 党员转达)."""
    rows = []
    for household_id, member in sorted(contact_of.items()):
        if rng.random() < 0.15:
            continue  # not contacted yet
        days_ago = rng.randint(0, 28) if rng.random() < 0.8 else rng.randint(35, 90)
        rows.append(
            Contact(
                household_id=household_id,
                member=member,
                contacted_on=today - timedelta(days=days_ago),
                how=rng.choice([way.value for way in CONTACT_WAYS]),
            )
        )
    Contact.objects.bulk_create(rows)
    recent = [c for c in rows if (today - c.contacted_on).days <= 14]
    households = {
        h.pk: h for h in Household.objects.filter(pk__in=[c.household_id for c in recent])
    }
    for contact, words in zip(
        rng.sample(recent, min(len(PASSED_ON), len(recent))), PASSED_ON, strict=False
    ):
        concern = concern_passed_on(
            household=households[contact.household_id],
            words=words,
            member_name=contact.member.display_name,
            recorded_by=contact.member,
        )
        Contact.objects.filter(pk=contact.pk).update(passed_on=words, concern=concern)


NEEDS = (
    # (days from today, hour, title, description, place, hours per person, people needed)
    (-20, 9, "帮独居老人买菜", "吴阿婆腿脚不便，每周买一次菜", "1号楼", "1.5", 2),
    (-16, 14, "陪同就医", "陪刘老伯去区中心医院复查，帮忙挂号取药", "区中心医院", "3", 1),
    (-12, 9, "楼道清理", "清理楼道堆物，搬运大件", "各楼组楼道", "2", 4),
    (-8, 18, "辅导功课", "给双职工家庭的孩子辅导三年级数学", "居委会活动室", "1.5", 2),
    (-5, 9, "教老人用手机", "教老人网上挂号、视频通话", "睦邻点", "2", 3),
    (-1, 9, "陪同就医", "陪独居的王阿婆去眼科复查", "眼耳鼻喉科医院", "3", 1),
    (2, 9, "帮独居老人买菜", "本周的菜，清单在居委会", "1号楼", "1.5", 2),
    (4, 14, "修理水电", "帮困难家庭换水龙头、修灯", "3号楼", "2", 2),
    (6, 9, "写春联送邻里", "书法好的党员一起写春联", "居委会活动室", "3", 5),
    (10, 9, "楼道清理", "年前大扫除", "各楼组楼道", "2", 6),
)

DONE_NOTES = (
    "已送到家，老人很高兴",
    "看完病送回家，药已按医嘱分好",
    "清出两车杂物，楼道通畅了",
    "讲了两道应用题，孩子说听懂了",
    "教会了视频通话和挂号",
    "顺利完成",
)


def _needs(
    rng: random.Random, today: date, area: Area, secretary: User | None, members: list[User]
) -> None:
    """The needs list at work: past needs with done claims (and a declined or withdrawn one),
    yesterday's confirmed and waiting to be marked done, upcoming ones claimed or confirmed."""
    if not members:
        return
    dangyuan = next((m for m in members if m.username == "dangyuan"), members[0])
    others = [m for m in members if m.pk != dangyuan.pk]
    claims = []
    for days, hour, title, description, place, hours, people in NEEDS:
        at = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour)))
        need = Need.objects.create(
            area=area,
            title=title,
            description=description,
            place=place,
            starts_at=at,
            hours=Decimal(hours),
            people_needed=people,
            created_by=secretary,
            created_at=at - timedelta(days=rng.randint(3, 7)),
        )
        helpers = [dangyuan] + rng.sample(others, min(len(others), people))
        taken = 0
        for index, member in enumerate(helpers):
            claimed_at = need.created_at + timedelta(hours=rng.randint(1, 48))
            claim = NeedClaim(need=need, member=member, claimed_at=claimed_at)
            if index and (rng.random() < 0.15 or (days, index) == (4, 1)):
                claim.status = ClaimStatus.WITHDRAWN
                claim.withdrawn_at = claimed_at + timedelta(hours=5)
            elif taken >= people:
                claim.status = ClaimStatus.DECLINED
                claim.decided_by, claim.decided_at = secretary, claimed_at + timedelta(hours=3)
            else:
                taken += 1
                if days > 0 and rng.random() < 0.5:
                    claim.status = ClaimStatus.CLAIMED
                else:
                    claim.status = ClaimStatus.CONFIRMED
                    claim.decided_by = secretary
                    claim.decided_at = claimed_at + timedelta(hours=3)
                if days < -1:
                    claim.status = ClaimStatus.DONE
                    claim.done_at = at + timedelta(hours=float(hours) + 1)
                    claim.done_note = rng.choice(DONE_NOTES)
                    claim.hours_served = Decimal(hours) + rng.choice(
                        [Decimal(0), Decimal(0), Decimal("0.5"), Decimal("-0.5")]
                    )
            claims.append(claim)
    NeedClaim.objects.bulk_create(claims)
