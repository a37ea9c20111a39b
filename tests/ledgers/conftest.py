"""A month of fieldwork in the shared world (tests/conftest.py): November 2026 in compound A
(worker_in's patch) and compound B (worker_out's), with one record of each kind just outside
the month, so that a ledger of November shows what it must and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from jinlin.chain.activities.models import BuildingActivity
from jinlin.fieldwork.cases.models import Case
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.patrols.models import Finding, Patrol
from jinlin.fieldwork.visits.models import Visit
from jinlin.party.models import Attendance, Meeting, PartyMember, PartyOrganisation
from jinlin.people.models import GroupMembership

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_december():
    with time_machine.travel(datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI), tick=True):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def place(household) -> dict:
    return {
        "area": household.area,
        "compound": household.compound,
        "building": household.building,
    }


def add_visit(household, resident, worker, on: date, **fields) -> Visit:
    return Visit.objects.create(
        **place(household),
        household=household,
        resident=resident,
        worker=worker,
        visited_on=on,
        mode=fields.pop("mode", "in_person"),
        condition=fields.pop("condition", "good"),
        **fields,
    )


def add_concern(household, resident, worker, on: date, **fields) -> Concern:
    return Concern.objects.create(
        **place(household),
        household=household,
        resident=resident,
        channel="office",
        scope=fields.pop("scope", "community"),
        subcategory=fields.pop("subcategory", "environment"),
        words=fields.pop("words", "楼道里堆满了纸箱"),
        real_need=fields.pop("real_need", "清理12号楼楼道堆物"),
        received_at=at(on),
        recorded_by=worker,
        owner=worker,
        **fields,
    )


def add_case(household, worker, on: date, **fields) -> Case:
    return Case.objects.create(
        **place(household),
        household=household,
        title=fields.pop("title", "楼道堆物反复出现"),
        scope=fields.pop("scope", "community"),
        subcategory=fields.pop("subcategory", "environment"),
        owner=worker,
        opened_by=worker,
        opened_at=at(on),
        **fields,
    )


def add_patrol(building, worker, on: date, findings: int = 1) -> Patrol:
    compound = building.compound
    patrol = Patrol.objects.create(
        area=compound.area, compound=compound, building=building, worker=worker, patrolled_on=on
    )
    for index in range(findings):
        Finding.objects.create(
            area=compound.area,
            compound=compound,
            building=building,
            patrol=patrol,
            found_on=on,
            kind="hazard",
            category="stairwell_clutter",
            place=f"{building.label}{index + 1}楼楼道",
            severity="medium",
        )
    return patrol


def add_meeting(group, recorder, on: date, members) -> Meeting:
    meeting = Meeting.objects.create(
        group=group,
        held_on=on,
        place="居委会议室",
        topics=["楼道堆物整治", "冬季防火"],
        notes="分工上门劝说",
        recorded_by=recorder,
    )
    for member in members:
        Attendance.objects.create(meeting=meeting, member=member, status="present")
    return meeting


def add_activity(building, recorder, on: date, members) -> BuildingActivity:
    activity = BuildingActivity.objects.create(
        building=building,
        area=building.compound.area,
        kind="hygiene",
        held_on=on,
        summary="一起清理楼道",
        resident_count=6,
        recorded_by=recorder,
    )
    activity.party_members.set(members)
    return activity


@dataclass
class Month:
    visit_a: Visit
    visit_b: Visit
    sensitive_concern: Concern


@pytest.fixture
def november(world, secretary, worker_in, worker_out) -> Month:
    """Records of November 2026 in both compounds, and one of each kind on 31 October and
    1 December (outside the month)."""
    a, b = world.household_a, world.household_b
    GroupMembership.objects.create(
        resident=world.resident,
        household=a,
        area=a.area,
        compound=a.compound,
        group="hardship",
        since=date(2026, 1, 1),
    )
    visit_a = add_visit(
        a,
        world.resident,
        worker_in,
        date(2026, 11, 3),
        health="高血压，需按时服药",
        needs="希望有人帮忙买菜",
        family_situation="独居，女儿在外地",
    )
    visit_b = add_visit(b, world.resident_b, worker_out, date(2026, 11, 20), mode="phone")
    add_visit(a, world.resident, worker_in, date(2026, 10, 31), needs="十月的走访")
    add_visit(a, world.resident, worker_in, date(2026, 12, 1), needs="十二月的走访")

    add_concern(a, world.resident, worker_in, date(2026, 11, 5))
    sensitive = add_concern(
        a,
        world.resident,
        worker_in,
        date(2026, 11, 6),
        scope="family",
        subcategory="hardship",
        words="退休金不够看病",
        real_need="申请困难补助",
    )
    add_concern(b, world.resident_b, worker_out, date(2026, 11, 7), real_need="九村停车难")
    add_concern(a, world.resident, worker_in, date(2026, 10, 31), real_need="十月的诉求")

    add_case(a, worker_in, date(2026, 11, 10))
    add_case(a, worker_in, date(2026, 12, 1), title="十二月的个案")

    add_patrol(world.building_a, worker_in, date(2026, 11, 12), findings=2)
    add_patrol(world.building_b, worker_out, date(2026, 11, 13))
    add_patrol(world.building_a, worker_in, date(2026, 10, 30))

    group = PartyOrganisation.objects.create(
        area=world.area, level="group", name="八村12号楼党小组"
    )
    group.buildings.set([world.building_a])
    member = PartyMember.objects.create(resident=world.resident, joined_on=date(1975, 7, 1))
    add_meeting(group, secretary, date(2026, 11, 15), [member])
    add_meeting(group, secretary, date(2026, 10, 15), [member])
    add_activity(world.building_a, worker_in, date(2026, 11, 16), [member])
    return Month(visit_a=visit_a, visit_b=visit_b, sensitive_concern=sensitive)
