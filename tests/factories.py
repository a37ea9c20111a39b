"""Factories for tests of every app: places, residents, accounts."""

from __future__ import annotations

import itertools
from datetime import date

import factory

from jinlin.core.idnumber import make_id_number
from jinlin.core.models import Role, User
from jinlin.people.models import Resident
from jinlin.people.searchkeys import search_keys
from jinlin.places.models import Area, Building, Compound, District, Household, Subdistrict

_sequence = itertools.count(1)


def valid_id(birth: date, gender: str = "M") -> str:
    """A fresh valid ID number for the birth date and gender (unique within the test run)."""
    n = next(_sequence)
    region = f"3101{(n // 100) % 100:02d}"
    return make_id_number(region, birth, n % 100, gender)


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "长宁区"


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"新泾镇{n}")


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    subdistrict = factory.SubFactory(SubdistrictFactory)
    name = factory.Sequence(lambda n: f"绿{n}居民区")
    code = factory.Sequence(lambda n: f"area-{n}")


class CompoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compound

    area = factory.SubFactory(AreaFactory)
    name = factory.Sequence(lambda n: f"绿园{n}村")


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    compound = factory.SubFactory(CompoundFactory)
    number = factory.Sequence(lambda n: str(n + 1))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    building = factory.SubFactory(BuildingFactory)
    room = factory.Sequence(lambda n: f"{100 + n}")


class ResidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resident

    household = factory.SubFactory(HouseholdFactory)
    name = "张三"
    gender = "M"
    birth_date = date(1980, 5, 17)
    id_number = factory.LazyAttribute(lambda o: valid_id(o.birth_date, o.gender))
    phone = "13812345678"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.WORKER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


__all__ = ["search_keys"]
