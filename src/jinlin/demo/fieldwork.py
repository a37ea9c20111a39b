"""Demo fieldwork: a year of visits, patrols, concerns and cases on top of generated residents.

Optional (`jinlin demo --fieldwork`, and the bench): deterministic from a seed, bulk inserts
area by area. Visits follow each household's interval with the delays of real work, so on
the last day some households are overdue; cases go through the lifecycle of SPEC "切".
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.fieldwork.concerns.models import Rating
from jinlin.fieldwork.concerns.services import RECEIPT_ALPHABET, RECEIPT_LENGTH
from jinlin.fieldwork.models import (
    FACILITY_CATEGORIES,
    HAZARD_CATEGORIES,
    Case,
    CaseAction,
    CaseEvent,
    CaseEvidence,
    Channel,
    CollectionPoint,
    Concern,
    ConcernScope,
    Condition,
    FacilityState,
    Feedback,
    Finding,
    FindingCategory,
    Patrol,
    Severity,
    Subcategory,
    Urgency,
    Visit,
    VisitMode,
    derive_case_status,
    finding_kind,
)
from jinlin.fieldwork.visits.selectors import default_intervals
from jinlin.people.models import GroupMembership, LifeStatus, Resident
from jinlin.places.figures import bump_areas
from jinlin.places.models import Area, Building, Compound, Household

SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH = 5000

WORDS = {
    Subcategory.NEIGHBOUR_DISPUTE: [
        "楼上天天半夜拖椅子，吵得睡不着",
        "隔壁把鞋柜放到公共走廊里了",
        "对门养的狗老是叫",
    ],
    Subcategory.FAMILY_CONFLICT: [
        "儿子媳妇天天吵架，我夹在中间难受",
        "老伴住院了，子女轮流照顾排不过来",
    ],
    Subcategory.PROPERTY: [
        "物业报修三次了，水管还在漏",
        "小区门禁坏了一个月没人修",
        "停车费又涨了，也不公示",
    ],
    Subcategory.ENVIRONMENT: [
        "垃圾箱房臭得不得了，夏天更厉害",
        "绿化带里全是狗屎",
        "楼道里有人乱扔垃圾",
    ],
    Subcategory.SAFETY: ["楼下有人从窗口拉电线给电瓶车充电", "楼道里堆满了纸板箱，着火怎么办"],
    Subcategory.FACILITIES: ["楼道灯坏了，老人晚上看不见", "电梯老是停，我八十多了爬不动"],
    Subcategory.PARKING: ["消防通道上天天停满车", "非机动车棚太小了，车子没地方放"],
    Subcategory.ELDERLY_CARE: [
        "我一个人住，想有人每天打个电话",
        "想申请助餐，不知道怎么弄",
        "家里卫生间想装扶手",
    ],
    Subcategory.EMPLOYMENT: ["儿子失业半年了，有没有什么培训", "想找个家门口的零工"],
    Subcategory.HEALTH: ["配药要跑很远，能不能社区里配", "家庭医生签约怎么办"],
    Subcategory.HARDSHIP: ["看病花光了积蓄，生活有点困难", "低保复核材料不会填"],
    Subcategory.EDUCATION: ["暑假孩子没人管，有没有托管班", "孙子上学的入学材料不清楚"],
    Subcategory.OTHER: ["想参加社区合唱队", "能不能在小区里办个旧物交换"],
}
NEEDS = {
    Subcategory.NEIGHBOUR_DISPUTE: "邻里协调、约定作息",
    Subcategory.FAMILY_CONFLICT: "家庭调解与照护安排",
    Subcategory.PROPERTY: "督促物业按时维修并公开收费",
    Subcategory.ENVIRONMENT: "清运频次与分类督导",
    Subcategory.SAFETY: "消除消防隐患",
    Subcategory.FACILITIES: "公共设施及时维修",
    Subcategory.PARKING: "规范停车、保障消防通道",
    Subcategory.ELDERLY_CARE: "独居老人日常关照与助老服务",
    Subcategory.EMPLOYMENT: "就业信息与技能培训",
    Subcategory.HEALTH: "就近就医配药",
    Subcategory.HARDSHIP: "救助政策申请",
    Subcategory.EDUCATION: "课后托管与入学指导",
    Subcategory.OTHER: "参与社区活动",
}
ROOT_CAUSES = [
    "物业人手不足，报修流程没有时限",
    "子女在外地，老人独居且没有紧急呼叫手段",
    "楼组长不了解政策，居民信息传不到",
    "非机动车棚容量不够，充电桩太少",
    "邻里之间缺少沟通渠道，小事积成了矛盾",
    "公共部位无人认领，维护责任不清",
]
ACTIONS = [
    "约物业现场会商",
    "联系子女每周电话",
    "申请助老服务",
    "召开楼组议事会",
    "联系街道城管中队",
    "请社区能人上门维修",
    "协调增设充电桩",
]
OUTCOMES = [
    "问题已解决，居民表示满意",
    "已协调物业落实维修",
    "已纳入居民区议事会跟踪",
    "已联系相关部门处理完毕",
]
POINT_NAMES = [
    "东门投放点",
    "西门投放点",
    "南门投放点",
    "北门投放点",
    "中心花园投放点",
    "车棚旁投放点",
]


@dataclass
class FieldworkReport:
    visits: int = 0
    concerns: int = 0
    cases: int = 0
    patrols: int = 0
    findings: int = 0
    accounts_created: int = 0


def _aware(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=SHANGHAI)


def _staff(
    area: Area, compounds: list[Compound], report: FieldworkReport
) -> tuple[User, dict[int, User]]:
    """The area's secretary and a worker per compound; created (without password) when missing."""
    secretary = User.objects.filter(area=area, role=Role.AREA_SECRETARY).order_by("id").first()
    if secretary is None:
        secretary = User(
            username=f"fw-{area.code}-shuji",
            role=Role.AREA_SECRETARY,
            area=area,
            display_name=f"{area.name}书记",
        )
        secretary.set_unusable_password()
        secretary.save()
        report.accounts_created += 1
    by_compound: dict[int, User] = {}
    workers = list(
        User.objects.filter(area=area, role=Role.WORKER).prefetch_related("patch_compounds")
    )
    for worker in workers:
        for compound in worker.patch_compounds.all():
            by_compound.setdefault(compound.pk, worker)
    for index, compound in enumerate(compounds):
        if compound.pk in by_compound:
            continue
        worker = User(
            username=f"fw-{area.code}-sg{index + 1}",
            role=Role.WORKER,
            area=area,
            display_name=f"社工{index + 1}（{compound.name}）",
        )
        worker.set_unusable_password()
        worker.save()
        worker.patch_compounds.set([compound])
        by_compound[compound.pk] = worker
        report.accounts_created += 1
    return secretary, by_compound


def generate_fieldwork(
    *,
    seed: int = 2026,
    days: int = 365,
    areas: list[Area] | None = None,
    today: date | None = None,
    visit_scale: float = 1.0,
    case_scale: float = 1.0,
    progress: Callable[[str], None] | None = None,
) -> FieldworkReport:
    """A year (by default) of fieldwork in every area (or the given ones).

    With the district demo the defaults make about 500,000 visits and 50,000 cases; the
    scales make less or more of the optional ones (general home visits, concerns, cases).
    """
    rng = random.Random(seed)
    end = today or timezone.localdate()
    start = end - timedelta(days=days)
    report = FieldworkReport()
    for area in areas if areas is not None else list(Area.objects.order_by("id")):
        with transaction.atomic():
            _area(area, rng, start, end, visit_scale, case_scale, report)
            bump_areas([area.pk])  # written in bulk, without signals (places.figures)
        if progress:
            progress(
                f"{area.name}: 累计走访 {report.visits}，民声 {report.concerns}，个案 {report.cases}"
            )
    return report


def _area(
    area: Area,
    rng: random.Random,
    start: date,
    end: date,
    visit_scale: float,
    case_scale: float,
    report: FieldworkReport,
) -> None:
    compounds = list(Compound.objects.filter(area=area).order_by("id"))
    if not compounds:
        return
    secretary, workers = _staff(area, compounds, report)
    staff = [secretary, *dict.fromkeys(workers.values())]
    buildings: defaultdict[int | None, list[Building]] = defaultdict(list)
    for each in Building.objects.filter(compound__area=area).order_by("id"):
        buildings[each.compound_id].append(each)
    households = list(
        Household.objects.filter(area=area).values_list("id", "compound_id", "building_id")
    )
    residents = defaultdict(list)
    for resident_id, household_id in Resident.objects.filter(
        area=area, status=LifeStatus.CURRENT
    ).values_list("id", "household_id"):
        residents[household_id].append(resident_id)
    place = {h: (c, b) for h, c, b in households}
    days = (end - start).days

    # 问: care visits at each household's interval, with the delays of real work.
    intervals = default_intervals()
    due_since: dict[int, tuple[int, date]] = {}
    for household_id, group, since in (
        GroupMembership.objects.filter(
            area=area,
            group__in=list(intervals),
            ended_on__isnull=True,
            resident__status=LifeStatus.CURRENT,
        )
        .filter(Q(since__lte=end))
        .values_list("resident__household_id", "group", "since")
    ):
        interval = intervals[group]
        known = due_since.get(household_id)
        if known is None or interval < known[0]:
            due_since[household_id] = (interval, min(since, known[1]) if known else since)
    visits: list[Visit] = []
    for household_id, (interval, since) in sorted(due_since.items()):
        compound_id, building_id = place[household_id]
        worker = workers.get(compound_id, secretary)
        day = max(start, since) + timedelta(days=rng.randint(0, interval))
        lateness = rng.random()
        while day <= end:
            visits.append(
                _visit(household_id, compound_id, building_id, area.pk, day, worker, rng, residents)
            )
            gap = interval + rng.randint(-2, 1)
            if rng.random() < 0.08 + 0.12 * lateness:
                gap += rng.randint(1, interval * 2)
            day += timedelta(days=max(1, gap))
    # 望: general home visits to any household (about 6,000 a year per area at scale 1).
    general = int(6000 * visit_scale * days / 365)
    for _ in range(general):
        household_id, compound_id, building_id = rng.choice(households)
        day = start + timedelta(days=rng.randint(0, days))
        visits.append(
            _visit(
                household_id,
                compound_id,
                building_id,
                area.pk,
                day,
                workers.get(compound_id, secretary),
                rng,
                residents,
            )
        )
    Visit.objects.bulk_create(visits, batch_size=BATCH)
    report.visits += len(visits)

    # 望: weekly patrols of each compound; hazards, facilities, garbage sorting per point.
    points: dict[int | None, list[CollectionPoint]] = {}
    existing = defaultdict(list)
    for point in CollectionPoint.objects.filter(area=area).order_by("id"):
        existing[point.compound_id].append(point)
    for compound in compounds:
        if existing[compound.pk]:
            points[compound.pk] = existing[compound.pk]
            continue
        names = rng.sample(POINT_NAMES, k=rng.randint(2, 4))
        points[compound.pk] = CollectionPoint.objects.bulk_create(
            [CollectionPoint(area=area, compound=compound, name=name) for name in sorted(names)]
        )
    patrols: list[Patrol] = []
    for compound in compounds:
        day = start + timedelta(days=rng.randint(0, 6))
        while day <= end:
            patrols.append(
                Patrol(
                    area=area,
                    compound=compound,
                    patrolled_on=day,
                    worker=workers.get(compound.pk, secretary),
                )
            )
            day += timedelta(days=rng.randint(5, 9))
    patrols = Patrol.objects.bulk_create(patrols, batch_size=BATCH)
    report.patrols += len(patrols)
    findings: list[Finding] = []
    hazard_codes = sorted(HAZARD_CATEGORIES)
    facility_codes = sorted(FACILITY_CATEGORIES)
    for patrol in patrols:
        compound_buildings = buildings[patrol.compound_id]
        for _ in range(rng.randint(0, 3)):
            building = rng.choice(compound_buildings) if compound_buildings else None
            category = rng.choice(hazard_codes)
            findings.append(
                Finding(
                    patrol=patrol,
                    area=area,
                    compound_id=patrol.compound_id,
                    building=building,
                    found_on=patrol.patrolled_on,
                    kind=finding_kind(category),
                    category=category,
                    place=f"{building.label if building else ''}{rng.randint(1, 6)}楼",
                    severity=rng.choice(
                        [Severity.LOW, Severity.LOW, Severity.MEDIUM, Severity.HIGH]
                    ),
                )
            )
        for _ in range(rng.randint(1, 3)):
            building = rng.choice(compound_buildings) if compound_buildings else None
            category = rng.choice(facility_codes)
            state = (
                FacilityState.OK
                if rng.random() < 0.8
                else rng.choice(
                    [FacilityState.DAMAGED, FacilityState.MISSING, FacilityState.EXPIRED]
                )
            )
            findings.append(
                Finding(
                    patrol=patrol,
                    area=area,
                    compound_id=patrol.compound_id,
                    building=building,
                    found_on=patrol.patrolled_on,
                    kind=finding_kind(category),
                    category=category,
                    place=f"{building.label if building else ''}1楼",
                    facility_state=state,
                    severity=Severity.NONE if state == FacilityState.OK else Severity.MEDIUM,
                )
            )
        for point in points[patrol.compound_id]:
            compliant = rng.random() < 0.82
            findings.append(
                Finding(
                    patrol=patrol,
                    area=area,
                    compound_id=patrol.compound_id,
                    found_on=patrol.patrolled_on,
                    kind=finding_kind(FindingCategory.GARBAGE_SORTING),
                    category=FindingCategory.GARBAGE_SORTING,
                    place=point.name,
                    collection_point=point,
                    is_up_to_standard=compliant,
                    severity=Severity.NONE if compliant else Severity.LOW,
                )
            )
    findings = Finding.objects.bulk_create(findings, batch_size=BATCH)
    report.findings += len(findings)

    # 闻 and 切: concerns every day, most of them becoming cases.
    subcategories = [s for s in Subcategory if s in WORDS]
    # 扫码 concerns come from residents themselves, with receipts: _door_concerns below.
    channels = [channel for channel in Channel if channel != Channel.QR_CODE]
    concerns: list[Concern] = []
    case_count = int(1250 * case_scale * days / 365)
    concern_count = int(case_count * 1.4)
    for _ in range(concern_count):
        household_id, compound_id, building_id = rng.choice(households)
        subcategory = rng.choice(subcategories)
        family = subcategory in (
            Subcategory.FAMILY_CONFLICT,
            Subcategory.ELDERLY_CARE,
            Subcategory.HARDSHIP,
            Subcategory.HEALTH,
            Subcategory.EMPLOYMENT,
        )
        people = residents.get(household_id) or []
        anonymous = not people or rng.random() < 0.1
        day = start + timedelta(days=rng.randint(0, days))
        concerns.append(
            Concern(
                area=area,
                compound_id=compound_id,
                building_id=building_id,
                household_id=None if anonymous else household_id,
                resident_id=None if anonymous else rng.choice(people),
                channel=rng.choice(channels),
                scope=ConcernScope.FAMILY if family else ConcernScope.COMMUNITY,
                subcategory=subcategory,
                words=rng.choice(WORDS[subcategory]),
                real_need=NEEDS[subcategory] if rng.random() < 0.85 else "",
                urgency=Urgency.NORMAL
                if rng.random() < 0.85
                else rng.choice([Urgency.URGENT, Urgency.CRITICAL]),
                received_at=_aware(day, rng),
                recorded_by=workers.get(compound_id, secretary),
            )
        )
    concerns = Concern.objects.bulk_create(concerns, batch_size=BATCH)
    report.concerns += len(concerns)
    _cases(area, rng, end, concerns[:case_count], staff, workers, secretary, report)
    report.concerns += _door_concerns(area, rng, end, households, workers, secretary)


DOOR_WORDS = [
    ("楼道灯坏了好几天，晚上上下楼看不见。", "已报物业，明天上午来换灯。"),
    ("楼下电瓶车在楼道里充电，怕着火。", "已上门劝导，物业在车棚加装了充电桩，请大家到车棚充电。"),
    ("隔壁装修从早上七点就开始，吵得老人睡不好。", "已联系装修户，约定上午九点后施工、中午休息。"),
    ("垃圾房门口总有大件垃圾堆着，没人清。", "已通知环卫，周四统一清运大件垃圾。"),
    ("小区门口的台阶坏了一块，老人差点摔倒。", "已报修，本周内修好，先放了警示牌。"),
    ("楼上漏水，天花板发霉了。", "已约楼上住户和物业周六上门查看。"),
]
# How the door's concerns of the demo stand: (share, replied, closed, rating).
DOOR_OUTCOMES = [
    (0.35, True, True, Rating.SATISFIED),
    (0.15, True, True, Rating.FAIRLY_SATISFIED),
    (0.05, True, False, Rating.UNSATISFIED),  # reopened, before the secretary
    (0.15, True, True, ""),  # closed, not rated yet
    (0.15, True, False, ""),  # replied, in hand
    (0.15, False, False, ""),  # waiting: late when older than 2 working days
]


def _door_concerns(
    area: Area,
    rng: random.Random,
    end: date,
    households: list[tuple[int, int, int]],
    workers: dict[int, User],
    secretary: User,
) -> int:
    """A few dozen concerns residents raised by 扫码 in the last 30 days, with replies, closings
    and ratings (群众评单), some unanswered: the door's figures are not empty in the demo."""
    concerns = []
    for _ in range(24):
        _household_id, compound_id, building_id = rng.choice(households)
        words, reply = rng.choice(DOOR_WORDS)
        received = _aware(end - timedelta(days=rng.randint(0, 29)), rng)
        pick, outcome = rng.random(), DOOR_OUTCOMES[-1]
        for candidate in DOOR_OUTCOMES:
            if pick < candidate[0]:
                outcome = candidate
                break
            pick -= candidate[0]
        _share, replied, closed, rating = outcome
        worker = workers.get(compound_id, secretary)
        replied_at = received + timedelta(hours=rng.randint(2, 30)) if replied else None
        closed_at = (
            replied_at + timedelta(days=rng.randint(1, 5)) if closed and replied_at else None
        )
        concerns.append(
            Concern(
                area=area,
                compound_id=compound_id,
                building_id=building_id,
                channel=Channel.QR_CODE,
                scope=ConcernScope.COMMUNITY,
                subcategory=Subcategory.OTHER,
                words=words,
                received_at=received,
                receipt="".join(rng.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH)),
                reply=reply if replied else "",
                replied_at=replied_at,
                replied_by=worker if replied else None,
                closed_at=closed_at,
                rating=rating,
                rated_at=(closed_at or replied_at) if rating else None,
                needs_secretary_review=rating == Rating.UNSATISFIED,
            )
        )
    return len(Concern.objects.bulk_create(concerns, batch_size=BATCH))


def _visit(
    household_id: int,
    compound_id: int,
    building_id: int,
    area_id: int,
    day: date,
    worker: User,
    rng: random.Random,
    residents: dict[int, list[int]],
) -> Visit:
    condition = rng.choices(
        [Condition.GOOD, Condition.FAIR, Condition.POOR, Condition.URGENT], weights=[70, 22, 7, 1]
    )[0]
    return Visit(
        household_id=household_id,
        area_id=area_id,
        compound_id=compound_id,
        building_id=building_id,
        resident_id=next(iter(residents.get(household_id, [])), None),
        visited_on=day,
        worker=worker,
        mode=VisitMode.PHONE if rng.random() < 0.3 else VisitMode.IN_PERSON,
        condition=condition,
        family_situation="一切如常" if condition == Condition.GOOD else "需要继续关注",
    )


def _cases(
    area: Area,
    rng: random.Random,
    end: date,
    sources: list[Concern],
    staff: list[User],
    workers: dict[int, User],
    secretary: User,
    report: FieldworkReport,
) -> None:
    cases: list[Case] = []
    plans: list[tuple[int, bool, bool, int]] = []  # actions, diagnosed, closed, closing delay
    # Nothing happens after the demo's last day, nor after now: no case opened in the future.
    latest = min(timezone.now(), timezone.make_aware(datetime.combine(end, time.max)))
    for concern in sources:
        opened_at = min(concern.received_at + timedelta(hours=rng.randint(1, 72)), latest)
        age = (end - opened_at.date()).days
        owner = (
            workers.get(concern.compound_id or 0, secretary)
            if rng.random() < 0.85
            else rng.choice(staff)
        )
        diagnosed = age > 2 and rng.random() < 0.95
        action_count = rng.randint(1, 3) if diagnosed and (age > 5 or rng.random() < 0.5) else 0
        closed = action_count > 0 and age > 20 and rng.random() < 0.9
        cases.append(
            Case(
                area=area,
                compound_id=concern.compound_id,
                building_id=concern.building_id,
                household_id=concern.household_id,
                title=(concern.real_need or concern.words)[:60],
                scope=concern.scope,
                subcategory=concern.subcategory,
                owner=owner,
                opened_at=opened_at,
                opened_by=concern.recorded_by,
                root_cause=rng.choice(ROOT_CAUSES) if diagnosed else "",
                root_cause_at=opened_at + timedelta(days=1) if diagnosed else None,
            )
        )
        plans.append((action_count, diagnosed, closed, rng.randint(7, 20)))
    # The cases are inserted once their closing and status are known (below), not updated
    # after: evidence, events and actions refer to them unsaved and take their ids on insert.
    evidence: list[CaseEvidence] = []
    events: list[CaseEvent] = []
    actions: list[CaseAction] = []
    for case, concern, (action_count, diagnosed, closed, delay) in zip(
        cases, sources, plans, strict=True
    ):
        actor = case.owner
        evidence.append(
            CaseEvidence(case=case, concern=concern, added_by=actor, added_at=case.opened_at)
        )
        events.append(
            CaseEvent(
                case=case,
                at=case.opened_at,
                kind=CaseEvent.Kind.OPENED,
                actor=actor,
                text=f"立案：{case.title}",
            )
        )
        events.append(
            CaseEvent(
                case=case,
                at=case.opened_at,
                kind=CaseEvent.Kind.EVIDENCE,
                actor=actor,
                text=f"民声：{concern.words}",
            )
        )
        if diagnosed and case.root_cause_at is not None:
            events.append(
                CaseEvent(
                    case=case,
                    at=case.root_cause_at,
                    kind=CaseEvent.Kind.ROOT_CAUSE,
                    actor=actor,
                    text=case.root_cause,
                )
            )
        open_actions = 0
        for index in range(action_count):
            created = min(case.opened_at + timedelta(days=2 + index), latest)
            due_on = created.date() + timedelta(days=rng.randint(3, 21))
            owner = actor if rng.random() < 0.7 else rng.choice(staff)
            done_at = None
            if closed or (created.date() + timedelta(days=3) <= end and rng.random() < 0.6):
                done_at = min(created + timedelta(days=rng.randint(1, delay)), _aware(end, rng))
                if closed:
                    done_at = min(done_at, case.opened_at + timedelta(days=delay))
            if done_at is None:
                open_actions += 1
            description = rng.choice(ACTIONS)
            actions.append(
                CaseAction(
                    case=case,
                    description=description,
                    owner=owner,
                    due_on=due_on,
                    done_at=done_at,
                    created_by=actor,
                    created_at=created,
                )
            )
            events.append(
                CaseEvent(
                    case=case,
                    at=created,
                    kind=CaseEvent.Kind.ACTION,
                    actor=actor,
                    text=f"{description}（责任人 {owner}）",
                )
            )
            if done_at is not None:
                events.append(
                    CaseEvent(
                        case=case,
                        at=done_at,
                        kind=CaseEvent.Kind.ACTION_DONE,
                        actor=owner,
                        text=description,
                    )
                )
        if closed:
            case.closed_at = min(case.opened_at + timedelta(days=delay + 1), timezone.now())
            case.outcome = rng.choice(OUTCOMES)
            case.feedback = rng.choices(
                [Feedback.SATISFIED, Feedback.PARTLY, Feedback.NOT_SATISFIED], weights=[75, 20, 5]
            )[0]
            events.append(
                CaseEvent(
                    case=case,
                    at=case.closed_at,
                    kind=CaseEvent.Kind.CLOSED,
                    actor=actor,
                    text=case.outcome,
                )
            )
        case.status = derive_case_status(
            has_root_cause=diagnosed,
            actions=action_count,
            open_actions=open_actions,
            is_closed=closed,
        )
    cases = Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseEvidence.objects.bulk_create(evidence, batch_size=BATCH)
    CaseAction.objects.bulk_create(actions, batch_size=BATCH)
    CaseEvent.objects.bulk_create(events, batch_size=BATCH)
    report.cases += len(cases)
