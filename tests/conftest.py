"""The shared cast: one area with two compounds, and the personas of every permission test.

- `secretary`: the area secretary, sees the whole area;
- `worker_in`: a worker whose patch (compound A) holds `resident`;
- `worker_out`: a worker whose patch (compound B) does not;
- `editor`: the newspaper editor, no resident data;
- `admin`: the subdistrict admin, aggregates only until it opens an area;
- `client` (anonymous reader) comes from pytest-django.
"""

from __future__ import annotations

import os

import django

# Pure-rule tests may run with `-p no:django`; the cast below still needs Django set up.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
# Tasks run inline in the calling test; tests/reminders/test_queue.py drives the real storages.
os.environ.setdefault("JINLIN_QUEUE_IMMEDIATE", "1")
django.setup()

# pytest-django has read the settings before this file set the variable above: switch the
# queue here, so that tasks run in the calling test unless a test drives a real storage.
from huey.contrib.djhuey import HUEY  # noqa: E402

HUEY.immediate = os.environ["JINLIN_QUEUE_IMMEDIATE"] == "1"

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from jinlin.core.models import Role, User
from jinlin.people.models import Resident
from jinlin.places.models import Area, Building, Compound, Household
from tests.factories import (
    AreaFactory,
    BuildingFactory,
    CompoundFactory,
    HouseholdFactory,
    ResidentFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"

# Property tests judge results, not speed: on a busy 2-CPU CI machine, hypothesis' timing
# checks failed tests whose examples were right (test_disclosure under load).
hypothesis_settings.register_profile(
    "jinlin", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("jinlin")


@dataclass
class World:
    area: Area
    compound_a: Compound
    compound_b: Compound
    building_a: Building
    building_b: Building
    household_a: Household
    household_b: Household
    resident: Resident  # in compound A
    resident_b: Resident  # in compound B
    other_area: Area
    other_resident: Resident


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 costs ~0.4 s a hash by design; tests that are not about hashing use a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_group_catalogue():
    """The catalogue of custom groups is cached per process: each test starts from none."""
    from jinlin.people.catalogue import clear_cache

    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(db) -> World:
    area = AreaFactory(name="绿八居民区", code="lv8")
    compound_a = CompoundFactory(area=area, name="绿园八村")
    compound_b = CompoundFactory(area=area, name="绿园九村")
    building_a = BuildingFactory(compound=compound_a, number="12")
    building_b = BuildingFactory(compound=compound_b, number="3")
    household_a = HouseholdFactory(building=building_a, room="301")
    household_b = HouseholdFactory(building=building_b, room="502")
    resident = ResidentFactory(
        household=household_a, name="张建国", birth_date=date(1950, 3, 2), phone="13812345678"
    )
    resident_b = ResidentFactory(
        household=household_b,
        name="李秀英",
        gender="F",
        birth_date=date(1962, 7, 9),
        phone="13998765432",
    )
    other_area = AreaFactory(subdistrict=area.subdistrict, name="天山居民区", code="tianshan")
    other_household = HouseholdFactory(
        building=BuildingFactory(compound=CompoundFactory(area=other_area))
    )
    other_resident = ResidentFactory(
        household=other_household, name="王小明", birth_date=date(1990, 1, 1)
    )
    return World(
        area,
        compound_a,
        compound_b,
        building_a,
        building_b,
        household_a,
        household_b,
        resident,
        resident_b,
        other_area,
        other_resident,
    )


@pytest.fixture
def secretary(world: World) -> User:
    return UserFactory(username="shuji", role=Role.AREA_SECRETARY, area=world.area)


@pytest.fixture
def worker_in(world: World) -> User:
    user = UserFactory(username="shegong_in", role=Role.WORKER, area=world.area)
    user.patch_compounds.set([world.compound_a])
    return user


@pytest.fixture
def worker_out(world: World) -> User:
    user = UserFactory(username="shegong_out", role=Role.WORKER, area=world.area)
    user.patch_compounds.set([world.compound_b])
    return user


@pytest.fixture
def editor(world: World) -> User:
    return UserFactory(username="bianji", role=Role.EDITOR)


@pytest.fixture
def admin(world: World) -> User:
    return UserFactory(
        username="jiedao", role=Role.SUBDISTRICT_ADMIN, subdistrict=world.area.subdistrict
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def as_user():
    """`as_user(persona)` → a logged-in test client."""
    return login
