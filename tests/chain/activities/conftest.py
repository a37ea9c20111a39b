"""The cast of the activity tests: the organised Party network of tests/party (12, 13, 14号楼
of 绿园八村, 3号楼 of 绿园九村; the right group leads 13 and 14), a 楼组长 on its phone for
13号楼, photos in a temporary MEDIA_ROOT."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from jinlin.chain.activities import services
from jinlin.chain.activities.models import BuildingActivity
from jinlin.core.models import Role, User
from tests.factories import BuildingFactory, CompoundFactory, HouseholdFactory, ResidentFactory

PASSWORD = "correct-horse-battery"
TODAY = date(2026, 11, 25)  # tests/party's frozen day


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def louzu(organised) -> User:
    """A 楼组长 looking after 13号楼."""
    user = User.objects.create_user(
        username="louzu13",
        password=PASSWORD,
        role=Role.NETWORK_MEMBER,
        area=organised.world.area,
        display_name="楼组长老周",
    )
    user.chain_buildings.set([organised.b13])
    return user


@pytest.fixture
def outside(organised):
    """绿园十村 1号楼: in the area, outside the joint branch; one resident."""
    compound = CompoundFactory(area=organised.world.area, name="绿园十村")
    building = BuildingFactory(compound=compound, number="1")
    household = HouseholdFactory(building=building, room="101")
    resident = ResidentFactory(household=household, name="钱多多")
    return building, resident


def png_bytes(size=(40, 30), colour=(30, 160, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    return out.getvalue()


def record(actor: User, building, **kwargs) -> BuildingActivity:
    kwargs.setdefault("kind", "hygiene")
    kwargs.setdefault("held_on", TODAY)
    kwargs.setdefault("summary", "楼道大扫除，清理堆物")
    return services.activity_record(actor=actor, building=building, **kwargs)
