"""Fixtures of the fieldwork tests: a frozen morning, photos in a temporary MEDIA_ROOT, helpers.

The shared cast (tests/conftest.py) already makes `world.resident` (born 1950, alone in
compound A) and `world.resident_b` (born 1962, alone in compound B) 独居老人.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from PIL import Image

from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.models import Case, Concern
from jinlin.people.models import GroupMembership

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2025, 11, 25)


@pytest.fixture(autouse=True)
def frozen_morning():
    """Tuesday 25 November 2025, 09:00 in Shanghai; the clock keeps ticking from there."""
    with time_machine.travel(datetime(2025, 11, 25, 9, 0, tzinfo=SHANGHAI), tick=True):
        yield


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg_bytes(size=(64, 48), exif_gps: bool = False, fmt: str = "JPEG") -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        gps = {1: "N", 2: (31.0, 12.0, 30.0), 3: "E", 4: (121.0, 22.0, 10.0)}
        exif[0x8825] = gps  # GPSInfo
        image.save(out, format=fmt, exif=exif)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def concern(world, worker_in) -> Concern:
    return concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words="我一个人住，晚上摔了一跤没人知道。",
            real_need="独居老人需要紧急呼叫手段",
            resident_id=world.resident.pk,
        ),
    )


@pytest.fixture
def case(concern, worker_in) -> Case:
    return case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(
            title="独居老人夜间跌倒无人知晓", scope="family", subcategory="elderly_care"
        ),
        evidence=[concern],
    )


def add_group(resident, group: str, since: date, skills=None) -> GroupMembership:
    return GroupMembership.objects.create(
        resident=resident,
        household_id=resident.household_id,
        area_id=resident.area_id,
        compound_id=resident.compound_id,
        group=group,
        source=GroupMembership.Source.MANUAL,
        since=since,
        reason="测试",
        skills=skills or [],
    )
