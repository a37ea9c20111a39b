"""Demo data: a believable Shanghai subdistrict, generated deterministically from a seed.

Streams area by area with bulk inserts so `--scale city` (millions of residents) runs in
bounded memory. Derived groups are then computed by the same rule the product uses.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jinlin.core.idnumber import make_id_number
from jinlin.core.models import Role, User
from jinlin.demo import names
from jinlin.demo.accounts import password_hash
from jinlin.demo.chain import generate_chain
from jinlin.demo.newspaper import generate_newspaper
from jinlin.demo.party import organise_demo_party
from jinlin.party.models import PartyMember
from jinlin.people.groups import TALENT_SKILLS, GroupCode
from jinlin.people.models import (
    ContactRelation,
    EmergencyContact,
    GroupMembership,
    PoliticalStatus,
    Relation,
    Resident,
)
from jinlin.people.searchkeys import search_keys
from jinlin.people.services import refresh_derived_groups
from jinlin.places import layout
from jinlin.places.figures import bump_areas
from jinlin.places.models import (
    Area,
    Building,
    BuildingAdjacency,
    Compound,
    CompoundAdjacency,
    District,
    Household,
    Subdistrict,
)

DEMO_PASSWORD = "jinlin-demo-2026"


@dataclass(frozen=True)
class Scale:
    subdistricts: int
    areas: int  # per subdistrict
    compounds: tuple[int, int]  # per area
    buildings: tuple[int, int]  # per compound


SCALES = {
    "small": Scale(subdistricts=1, areas=3, compounds=(2, 3), buildings=(10, 16)),
    "district": Scale(subdistricts=1, areas=40, compounds=(2, 4), buildings=(18, 38)),
    "city": Scale(subdistricts=8, areas=60, compounds=(3, 5), buildings=(20, 40)),
}


@dataclass
class Report:
    subdistricts: int = 0
    areas: int = 0
    compounds: int = 0
    buildings: int = 0
    households: int = 0
    residents: int = 0
    party_members: int = 0
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


class _People:
    """Names, ID numbers and phones, unique and valid.

    ID numbers are unique by construction, not by remembering every one given: for each
    (birth date, gender, local) the n-th number takes region n // 100 (counted from a start
    drawn once for that key) and sequence n % 100 (likewise), so memory grows with the
    number of distinct birth dates (about 35,000), not with the residents (millions at
    `--scale city`)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.issued: dict[tuple[date, str, bool], list[int]] = {}
        self.pinyin: dict[str, tuple[str, str]] = {}

    def name(self, gender: str, surname: str | None = None) -> str:
        rng = self.rng
        if surname is None:
            surname = (
                rng.choice(names.HEAVY_SURNAMES)
                if rng.random() < 0.45
                else rng.choice(names.SURNAMES)
            )
        chars = names.MALE_CHARS if gender == "M" else names.FEMALE_CHARS
        given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
        return surname + given

    def id_number(self, birth: date, gender: str, local: bool) -> str:
        regions = names.SHANGHAI_REGIONS if local else names.OTHER_REGIONS
        key = (birth, gender, local)
        state = self.issued.get(key)
        if state is None:  # [numbers issued, first region, first sequence]
            state = self.issued[key] = [
                0,
                self.rng.randrange(len(regions)),
                self.rng.randrange(100),
            ]
        issued, first_region, first_sequence = state
        if issued >= len(regions) * 100:
            if local:  # every local number of this birth date is taken: one from elsewhere
                return self.id_number(birth, gender, False)
            raise RuntimeError("ran out of ID numbers")  # pragma: no cover
        state[0] += 1
        region = regions[(first_region + issued // 100) % len(regions)]
        return make_id_number(region, birth, (first_sequence + issued) % 100, gender)

    def search_keys(self, name: str, phone: str) -> tuple[str, str, str]:
        """The model's search keys; names repeat a lot, so their pinyin is computed once each."""
        keys = self.pinyin.get(name)
        if keys is None:
            keys = self.pinyin[name] = search_keys(name, "")[:2]
        return keys[0], keys[1], search_keys("", phone)[2]

    def phone(self) -> str:
        rng = self.rng
        return rng.choice(["13", "15", "18", "17", "19"]) + f"{rng.randrange(10**9):09d}"


def _birth(rng: random.Random, today: date, age_low: int, age_high: int) -> date:
    age_days = rng.randrange(age_low * 365, age_high * 365 + 364)
    return today - timedelta(days=age_days)


def _household_plan(rng: random.Random) -> list[tuple[str, int, int]]:
    """Members as (relation, age low, age high), shaped like an old Shanghai estate."""
    roll = rng.random()
    if roll < 0.12:
        return [(Relation.HEAD, 62, 95)]  # an elderly person alone
    if roll < 0.32:
        return [(Relation.HEAD, 60, 90), (Relation.SPOUSE, 58, 90)]
    if roll < 0.58:
        return [(Relation.HEAD, 35, 55), (Relation.SPOUSE, 33, 55), (Relation.CHILD, 3, 22)]
    if roll < 0.73:
        return [
            (Relation.HEAD, 60, 85),
            (Relation.SPOUSE, 58, 85),
            (Relation.CHILD, 32, 55),
            (Relation.CHILD_IN_LAW, 30, 55),
            (Relation.GRANDCHILD, 1, 20),
        ]
    if roll < 0.83:
        return [(Relation.HEAD, 25, 38), (Relation.SPOUSE, 24, 38)]
    if roll < 0.93:
        return [(Relation.HEAD, 22, 45), (Relation.TENANT, 22, 45)]
    return [(Relation.HEAD, 40, 70), (Relation.CHILD, 15, 40)]


def _ensure_accounts(report: Report, areas: list[Area], subdistrict: Subdistrict) -> None:
    """Demo accounts for each role, on the first area and its compounds."""
    if not areas:
        return
    first = areas[0]
    compounds = list(first.compounds.order_by("id"))

    def account(username: str, role: str, display: str, **extra: object) -> User:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "display_name": display, "is_active": True, **extra},
        )
        user.password = password_hash(DEMO_PASSWORD)
        user.save()
        report.accounts.append((username, role, display))
        return user

    account("jiedao", Role.SUBDISTRICT_ADMIN, "街道管理员 顾敏", subdistrict=subdistrict)
    account("shuji", Role.AREA_SECRETARY, f"{first.name}书记 沈建华", area=first, is_staff=True)
    worker = account("shegong", Role.WORKER, "社工 陆佳怡", area=first)
    worker.patch_compounds.set(compounds[:1])
    if len(compounds) > 1:
        other = account("shegong2", Role.WORKER, "社工 周晓东", area=first)
        other.patch_compounds.set(compounds[1:2])
    branch = account("zhibu", Role.BRANCH_SECRETARY, "支部书记 徐国庆", area=first)
    branch.patch_compounds.set(compounds[:1])
    leader = account("xiaozu", Role.GROUP_LEADER, "党小组长 朱秀英", area=first)
    leader.patch_buildings.set(compounds[0].buildings.order_by("sort_key")[:2] if compounds else [])
    account("bianji", Role.EDITOR, "社区报编辑 叶玲")


def generate(
    *,
    scale: str = "small",
    seed: int = 2026,
    progress: Callable[[str], None] | None = None,
    after_area: Callable[[Report], None] | None = None,
) -> Report:
    """Create a demo subdistrict (or several) with its people; returns counts and accounts.
    `after_area` sees the running counts after each area (benchmarks trace memory with it)."""
    plan = SCALES[scale]
    rng = random.Random(seed)
    people = _People(rng)
    today = timezone.localdate()
    report = Report()
    area_names = list(names.AREA_NAMES)
    first_areas: list[Area] = []
    first_subdistrict: Subdistrict | None = None
    for s_index in range(plan.subdistricts):
        district_name, sub_name = names.SUBDISTRICTS[s_index % len(names.SUBDISTRICTS)]
        district, _ = District.objects.get_or_create(name=district_name)
        if (
            plan.subdistricts > len(names.SUBDISTRICTS)
            or Subdistrict.objects.filter(district=district, name=sub_name).exists()
        ):
            sub_name = f"{sub_name}{s_index + 1}"
        subdistrict = Subdistrict.objects.create(district=district, name=sub_name, is_demo=True)
        report.subdistricts += 1
        for a_index in range(plan.areas):
            base = area_names[a_index % len(area_names)]
            area_name = (
                f"{base}居民区"
                if a_index < len(area_names)
                else f"{base}{a_index // len(area_names) + 1}居民区"
            )
            code = f"s{subdistrict.pk}-a{a_index + 1}"
            with transaction.atomic():
                area = Area.objects.create(subdistrict=subdistrict, name=area_name, code=code)
                _generate_area(area, base, plan, rng, people, today, report)
            if s_index == 0:
                first_areas.append(area)
                first_subdistrict = first_subdistrict or subdistrict
            if progress:
                progress(f"{subdistrict.name} {area.name}: 累计 {report.residents} 名居民")
            if after_area:
                after_area(report)
    if first_subdistrict is not None:
        _ensure_accounts(report, first_areas, first_subdistrict)
    organise_demo_party(seed=seed, progress=progress)
    report.accounts.extend(generate_chain(seed=seed, today=today, password=DEMO_PASSWORD))
    generate_newspaper(seed=seed, today=today)
    # Written in bulk, without signals: the overviews count these areas afresh (places.figures).
    bump_areas(Area.objects.filter(subdistrict__is_demo=True).values_list("pk", flat=True))
    return report


def _generate_area(
    area: Area,
    base: str,
    plan: Scale,
    rng: random.Random,
    people: _People,
    today: date,
    report: Report,
) -> None:
    report.areas += 1
    compound_count = rng.randint(*plan.compounds)
    compounds = []
    for c_index in range(compound_count):
        suffix = names.COMPOUND_SUFFIXES[(c_index + len(base)) % len(names.COMPOUND_SUFFIXES)]
        name = (
            f"{base}{'一二三四五六七八'[c_index]}{suffix}"
            if compound_count > 1
            else f"{base}{suffix}"
        )
        compounds.append(Compound.objects.create(area=area, name=name))
    report.compounds += len(compounds)
    CompoundAdjacency.objects.bulk_create(
        [
            CompoundAdjacency(first=a, second=b)
            for a, b in zip(compounds, compounds[1:], strict=False)
        ]
    )
    for compound in compounds:
        count = rng.randint(*plan.buildings)
        row_length = rng.choice([4, 5, 6])
        buildings = Building.objects.bulk_create(
            [Building(compound=compound, number=str(i + 1), sort_key=i + 1) for i in range(count)]
        )
        report.buildings += count
        # In rows, as the product proposes from building numbers (places.layout).
        rows = layout.propose(
            [layout.Block(id=str(b.pk), number=b.number) for b in buildings], row_length
        )
        BuildingAdjacency.objects.bulk_create(
            [
                BuildingAdjacency(first_id=min(int(a), int(b)), second_id=max(int(a), int(b)))
                for a, b in sorted(rows.edges)
            ]
        )
        households: list[Household] = []
        for building in buildings:
            floors = rng.randint(2, 6)
            per_floor = rng.randint(2, 4)
            for floor in range(1, floors + 1):
                for door in range(1, per_floor + 1):
                    households.append(
                        Household(
                            building=building,
                            room=f"{floor}{door:02d}",
                            compound=compound,
                            area=area,
                        )
                    )
        households = Household.objects.bulk_create(households, batch_size=2000)
        report.households += len(households)
        _fill_households(households, rng, people, today, report)


def _fill_households(
    households: list[Household], rng: random.Random, people: _People, today: date, report: Report
) -> None:
    residents: list[Resident] = []
    for household in households:
        if rng.random() < 0.04:
            continue  # an empty flat
        surname = None
        for relation, low, high in _household_plan(rng):
            if relation == Relation.HEAD:
                gender = rng.choice("MF")
            elif relation == Relation.SPOUSE:
                gender = "F" if residents and residents[-1].gender == "M" else "M"
            else:
                gender = rng.choice("MF")
            birth = _birth(rng, today, low, high)
            local = rng.random() < (0.55 if relation == Relation.TENANT else 0.88)
            name_surname: str | None = (
                surname if relation in (Relation.CHILD, Relation.GRANDCHILD) else None
            )
            name = people.name(gender, name_surname)
            if relation == Relation.HEAD:
                surname = name[0]
            age = (today - birth).days // 365
            retired = age >= (60 if gender == "M" else 55)
            health = "good"
            roll = rng.random()
            if age >= 60 and roll < 0.35:
                health = "chronic"
            elif roll < 0.03 + (0.05 if age >= 70 else 0):
                health = "serious"
            elif roll < 0.05 + (0.05 if age >= 70 else 0):
                health = "disabled"
            phone = people.phone() if age >= 16 else ""
            member = age >= 20 and rng.random() < (0.16 if age >= 60 else 0.06)
            political = (
                PoliticalStatus.MEMBER
                if member
                else (
                    PoliticalStatus.LEAGUE
                    if 14 <= age <= 28 and rng.random() < 0.5
                    else PoliticalStatus.MASSES
                )
            )
            resident = Resident(
                household=household,
                building_id=household.building_id,
                compound_id=household.compound_id,
                area_id=household.area_id,
                name=name,
                gender=gender,
                birth_date=birth,
                id_number=people.id_number(birth, gender, local),
                phone=phone,
                relation_to_head=relation,
                residence_status=(
                    "floating"
                    if relation == Relation.TENANT
                    else rng.choice(["registered"] * 6 + ["permanent", "separated"])
                ),
                employer=rng.choice(names.EMPLOYERS) if age >= 22 else "",
                occupation=rng.choice(names.OCCUPATIONS)
                if age >= 22
                else "学生"
                if age >= 6
                else "",
                is_retired=retired,
                health=health,
                health_notes=rng.choice(names.HEALTH_NOTES[health]) if health != "good" else "",
                hobbies=rng.sample(names.HOBBIES, k=rng.randint(0, 3)),
                political_status=political,
            )
            keys = people.search_keys(name, phone)
            resident.name_pinyin, resident.name_initials, resident.phone_tail = keys
            residents.append(resident)
    Resident.objects.bulk_create(residents, batch_size=2000)
    report.residents += len(residents)
    members = []
    memberships = []
    for resident in residents:
        age = (today - resident.birth_date).days // 365
        if resident.political_status == PoliticalStatus.MEMBER:
            joined_age = rng.randint(18, min(45, age))
            joined = resident.birth_date + timedelta(days=joined_age * 365 + rng.randrange(365))
            joined = min(joined, today - timedelta(days=400))
            members.append(
                PartyMember(
                    resident=resident,
                    joined_on=joined,
                    full_member_on=joined + timedelta(days=365) if rng.random() < 0.97 else None,
                    is_in_service=not resident.is_retired,
                    is_dual_registered=not resident.is_retired and rng.random() < 0.5,
                    home_organisation=rng.choice(names.EMPLOYERS)
                    if not resident.is_retired
                    else "",
                    can_contact=not (age >= 85 or resident.health in ("serious", "disabled")),
                    cannot_contact_reason="年事已高"
                    if age >= 85
                    else ("身体原因" if resident.health in ("serious", "disabled") else ""),
                    phone_consent=rng.random() < 0.6,
                )
            )
        roll = rng.random()
        manual: list[tuple[str, str, list[str]]] = []
        if resident.relation_to_head == Relation.HEAD:
            if roll < 0.03:
                manual.append((GroupCode.HARDSHIP, "低保家庭，收入低于本市最低生活保障标准", []))
            elif roll < 0.05:
                manual.append((GroupCode.SERIOUS_ILLNESS, "家庭成员患重病，医疗支出大", []))
            elif roll < 0.06 and age >= 55:
                manual.append((GroupCode.LOST_ONLY_CHILD, "独生子女已故，经民政核实", []))
        if (
            age >= 65
            and resident.political_status == PoliticalStatus.MEMBER
            and rng.random() < 0.08
        ):
            manual.append((GroupCode.RETIRED_CADRE, "离退休干部，原单位证明", []))
        if age >= 65 and rng.random() < 0.01:
            manual.append((GroupCode.MODEL_WORKER, "曾获市级劳动模范称号", []))
        if 30 <= age <= 80 and rng.random() < 0.025:
            manual.append(
                (
                    GroupCode.TALENT,
                    "热心社区事务，有专长",
                    rng.sample(TALENT_SKILLS, k=rng.randint(1, 2)),
                )
            )
        for group, reason, skills in manual:
            memberships.append(
                GroupMembership(
                    resident=resident,
                    household_id=resident.household_id,
                    area_id=resident.area_id,
                    compound_id=resident.compound_id,
                    group=group,
                    source=GroupMembership.Source.MANUAL,
                    since=today - timedelta(days=rng.randrange(30, 2000)),
                    reason=reason,
                    skills=skills,
                )
            )
    PartyMember.objects.bulk_create(members, batch_size=2000)
    GroupMembership.objects.bulk_create(memberships, batch_size=2000)
    report.party_members += len(members)
    refresh_derived_groups([h.pk for h in households])
    if households:
        _emergency_contacts(households[0].area_id)


def _emergency_contacts(area_id: int) -> None:
    """Most 独居老人 have a child or a neighbour to call when the door stays shut, some of them
    with a key (issue 12). A random stream of its own, so the rest of the demo is unchanged."""
    rng = random.Random(f"emergency-contacts-{area_id}")
    people = _People(rng)
    elders = GroupMembership.objects.filter(
        area_id=area_id, group=GroupCode.LIVING_ALONE, ended_on__isnull=True
    ).values_list("resident_id", "resident__name")
    contacts = []
    for resident_id, name in elders:
        if rng.random() < 0.2:
            continue  # not yet asked: the visit page says so
        child = rng.choice(["M", "F"])
        contacts.append(
            EmergencyContact(
                resident_id=resident_id,
                name=people.name(child, surname=name[0]),
                relation=ContactRelation.CHILD,
                phone=people.phone(),
                holds_key=rng.random() < 0.6,
                note=rng.choice(["", "住在闵行，周末回来", "白天上班，晚上可联系", "住同小区"]),
            )
        )
        if rng.random() < 0.4:
            contacts.append(
                EmergencyContact(
                    resident_id=resident_id,
                    name=people.name(rng.choice(["M", "F"])),
                    relation=ContactRelation.NEIGHBOUR,
                    phone=people.phone(),
                    holds_key=rng.random() < 0.3,
                    note="对门邻居",
                )
            )
    EmergencyContact.objects.bulk_create(contacts, batch_size=2000)
