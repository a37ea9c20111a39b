"""A refused ID number says that someone with that number is registered: every such refusal is
recorded like a lookup by whole number, in the holder's area, and a writer who keeps trying
taken numbers is stopped for the day (issue 10's leftover: the ID-number oracle)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jinlin.core.models import AuditEvent
from jinlin.people import importwriter, services
from jinlin.people.models import Resident
from tests.conftest import login
from tests.factories import valid_id
from tests.people.test_import import HEADINGS, run

pytestmark = pytest.mark.django_db


def clashes(world):
    return AuditEvent.objects.filter(
        action=AuditEvent.Action.LOOKUP, reason=services.ID_NUMBER_CLASH_REASON
    )


def create(world, actor, id_number):
    return services.resident_create(
        household=world.household_a, actor=actor, name="王小明", id_number=id_number
    )


def test_a_taken_number_is_refused_and_recorded_in_the_holders_area(world, secretary):
    before = Resident.objects.count()
    with pytest.raises(ValidationError) as refused:
        create(world, secretary, world.other_resident.id_number)
    assert refused.value.message_dict == {"id_number": [services.MSG_ID_NUMBER_TAKEN]}
    assert Resident.objects.count() == before
    [event] = clashes(world)
    assert event.actor == secretary and event.area_id == world.other_area.pk
    assert event.object_id == str(world.other_resident.pk) and event.fields == ["id_number"]


def test_the_page_refuses_it_with_the_message_and_records_it(world, secretary):
    response = login(secretary).post(
        f"/households/{world.household_a.pk}/residents/new/",
        {
            "name": "王小明",
            "id_number": world.other_resident.id_number,
            "gender": "M",
            "relation_to_head": "child",
            "residence_status": "registered",
            "health": "good",
            "political_status": "masses",
        },
    )
    assert response.status_code in (200, 422)
    assert services.MSG_ID_NUMBER_TAKEN in response.content.decode()
    assert clashes(world).filter(actor=secretary).count() == 1


def test_past_the_days_limit_no_new_number_is_accepted(world, secretary, settings):
    settings.JINLIN = {**settings.JINLIN, "ID_NUMBER_CLASHES_PER_DAY": 2}
    for _ in range(2):
        with pytest.raises(ValidationError):
            create(world, secretary, world.other_resident.id_number)
    # A free number now gets the same refusal as a taken one: the answer says nothing.
    with pytest.raises(ValidationError) as refused:
        create(world, secretary, valid_id(date(1960, 1, 1)))
    assert refused.value.message_dict == {
        "id_number": [services.MSG_ID_NUMBER_PROBES.format(limit=2)]
    }
    assert clashes(world).count() == 2  # only taken numbers are recorded
    # Other writes go on: keeping a resident's own number is no probe.
    resident = world.resident
    services.resident_update(resident=resident, actor=secretary, notes="腿脚不便")
    resident.refresh_from_db()
    assert resident.notes == "腿脚不便"


def test_the_limit_is_per_writer(world, secretary, worker_in, settings):
    settings.JINLIN = {**settings.JINLIN, "ID_NUMBER_CLASHES_PER_DAY": 1}
    with pytest.raises(ValidationError):
        create(world, secretary, world.other_resident.id_number)
    assert create(world, worker_in, valid_id(date(1960, 1, 1))).pk


def test_an_import_refusing_another_areas_number_records_it(world):
    row = ["王小明", "男", world.other_resident.id_number, "", "", "绿园八村", "12", "301"]
    report = run(world, [HEADINGS, row + [""] * (len(HEADINGS) - len(row))])
    assert [p.message for p in report.errors] == [importwriter.MSG_OTHER_AREA]
    assert not report.written
    [event] = clashes(world)  # kept although the import wrote nothing
    assert event.area_id == world.other_area.pk
