"""Recording and withdrawing 楼组 activities through the services: every refusal, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.chain.activities import services
from jinlin.chain.activities.models import ActivityPhoto, BuildingActivity
from jinlin.core.models import AuditEvent
from jinlin.fieldwork.photos import MSG_NOT_IMAGE
from tests.chain.activities.conftest import TODAY, png_bytes, record
from tests.factories import ResidentFactory
from tests.party.conftest import PartyMemberFactory

pytestmark = pytest.mark.django_db


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    assert not BuildingActivity.objects.exists()
    assert not ActivityPhoto.objects.exists()
    return caught.value.message_dict


def test_a_louzu_records_an_activity_with_people_and_a_photo(organised, louzu):
    member = organised.member("陈志强")
    neighbour = organised.households["13-102"].residents.get()
    activity = record(
        louzu,
        organised.b13,
        kind="mutual_help",
        summary="  帮吴阿婆买菜、修水龙头  ",
        party_member_ids=[member.pk],
        resident_ids=[neighbour.pk],
        resident_count=3,
        photos=[png_bytes()],
    )
    assert activity.area_id == organised.world.area.pk
    assert activity.summary == "帮吴阿婆买菜、修水龙头"
    assert list(activity.party_members.all()) == [member]
    assert list(activity.residents.all()) == [neighbour]
    assert activity.photos.count() == 1
    event = AuditEvent.objects.get(object_type="building_activity")
    assert (event.actor, event.object_id) == (louzu, str(activity.pk))


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "party"}, "kind", services.MSG_KIND),
        ({"held_on": None}, "held_on", services.MSG_DATE_REQUIRED),
        ({"held_on": TODAY + timedelta(days=1)}, "held_on", services.MSG_DATE_FUTURE),
        ({"held_on": TODAY - timedelta(days=366)}, "held_on", services.MSG_DATE_OLD),
        ({"summary": "   "}, "summary", services.MSG_SUMMARY_REQUIRED),
        ({"summary": "字" * 501}, "summary", services.MSG_SUMMARY_LONG),
        ({"resident_count": -1}, "resident_count", services.MSG_COUNT),
        ({"resident_count": 1000}, "resident_count", services.MSG_COUNT),
        ({"photos": [png_bytes()] * 10}, "photos", services.MSG_PHOTOS_TOO_MANY.format(n=9)),
        ({"photos": [b"not a photo"]}, "photos", MSG_NOT_IMAGE),
    ],
)
def test_bad_input_is_refused_with_its_message(organised, louzu, fields, field, message):
    errors = refused(lambda: record(louzu, organised.b13, **fields))
    assert errors[field] == [message]


def test_participants_from_another_area_are_refused(organised, louzu):
    other = organised.world.other_resident
    errors = refused(lambda: record(louzu, organised.b13, resident_ids=[other.pk]))
    assert errors["residents"] == [services.MSG_RESIDENT_OUTSIDE]
    outsider_member = ResidentFactory(household=other.household, name="外区党员")
    member = PartyMemberFactory(resident=outsider_member)
    errors = refused(lambda: record(louzu, organised.b13, party_member_ids=[member.pk]))
    assert errors["party_members"] == [services.MSG_MEMBER_OUTSIDE]
    errors = refused(lambda: record(louzu, organised.b13, party_member_ids=[999999]))
    assert errors["party_members"] == [services.MSG_MEMBER_OUTSIDE]


def test_a_building_outside_the_actors_is_permission_denied(organised, louzu):
    with pytest.raises(PermissionDenied):
        record(louzu, organised.b12)
    assert not BuildingActivity.objects.exists()


def test_the_recorder_withdraws_with_a_reason(organised, louzu):
    activity = record(louzu, organised.b13)
    services.activity_withdraw(activity=activity, actor=louzu, reason="日期记错了")
    activity.refresh_from_db()
    assert activity.withdrawn_at is not None
    assert (activity.withdrawn_by, activity.withdraw_reason) == (louzu, "日期记错了")
    assert BuildingActivity.objects.count() == 1  # never deleted
    assert AuditEvent.objects.filter(reason="撤回楼组活动：日期记错了").exists()


def test_the_area_secretary_withdraws_any(organised, louzu, secretary):
    activity = record(louzu, organised.b13)
    services.activity_withdraw(activity=activity, actor=secretary, reason="重复记录")
    assert BuildingActivity.objects.get().withdrawn_by == secretary


def test_withdrawal_refusals(organised, louzu, worker_in):
    activity = record(louzu, organised.b13)
    with pytest.raises(PermissionDenied):
        services.activity_withdraw(activity=activity, actor=worker_in, reason="不对")
    for reason, message in [
        ("  ", services.MSG_REASON_REQUIRED),
        ("字" * 201, services.MSG_REASON_LONG),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.activity_withdraw(activity=activity, actor=louzu, reason=reason)
        assert caught.value.message_dict["reason"] == [message]
    services.activity_withdraw(activity=activity, actor=louzu, reason="记错了")
    with pytest.raises(ValidationError) as caught:
        services.activity_withdraw(activity=activity, actor=louzu, reason="再撤")
    assert caught.value.messages == [services.MSG_ALREADY_WITHDRAWN]
