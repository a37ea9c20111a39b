"""A patrol finding that needs mending is open until someone confirms it fixed (issue 12): who,
when, how; on its page and in the patrol's list; nothing else changes on a refusal."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jinlin.core.models import AuditEvent
from jinlin.fieldwork.models import Finding
from jinlin.fieldwork.patrols import services as patrol_services
from tests.fieldwork.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def patrol(world, worker_in):
    return patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )


def record(patrol, actor, **data):
    return patrol_services.finding_record(
        patrol=patrol, actor=actor, data=patrol_services.FindingInput(**data)
    )


@pytest.fixture
def lamp(patrol, worker_in):
    return record(
        patrol,
        worker_in,
        category="extinguisher",
        place="12号楼1楼",
        facility_state="damaged",
        severity="medium",
    )


def test_a_broken_facility_is_open_until_confirmed_fixed(lamp, worker_in, secretary):
    assert lamp.needs_fixing and lamp.is_open
    patrol_services.finding_mark_fixed(finding=lamp, actor=secretary, note="物业已更换灭火器")
    lamp.refresh_from_db()
    assert not lamp.is_open and lamp.fixed_by == secretary and lamp.fixed_at is not None
    assert lamp.fixed_note == "物业已更换灭火器"
    event = AuditEvent.objects.get(object_type="finding", object_id=str(lamp.pk))
    assert event.actor == secretary and "物业已更换灭火器" in event.reason


@pytest.mark.parametrize(
    ("note", "message"),
    [("", patrol_services.MSG_FIX_NOTE_NEEDED), ("修" * 201, "修复情况最多 200 个字")],
)
def test_a_confirmation_needs_a_line(lamp, worker_in, note, message):
    with pytest.raises(ValidationError) as refused:
        patrol_services.finding_mark_fixed(finding=lamp, actor=worker_in, note=note)
    assert refused.value.message_dict == {"note": [message]}
    lamp.refresh_from_db()
    assert lamp.is_open


def test_only_a_problem_to_mend_is_confirmed_and_only_once(patrol, lamp, worker_in):
    fine = record(patrol, worker_in, category="extinguisher", place="2楼", facility_state="ok")
    with pytest.raises(ValidationError) as refused:
        patrol_services.finding_mark_fixed(finding=fine, actor=worker_in, note="好的")
    assert refused.value.message_dict == {"note": [patrol_services.MSG_NOTHING_TO_FIX]}
    patrol_services.finding_mark_fixed(finding=lamp, actor=worker_in, note="已修")
    with pytest.raises(ValidationError) as again:
        patrol_services.finding_mark_fixed(finding=lamp, actor=worker_in, note="再修")
    assert again.value.message_dict == {"note": [patrol_services.MSG_ALREADY_FIXED]}


def test_the_pages_show_the_state_and_take_the_confirmation(lamp, worker_in, as_user, editor):
    client = as_user(worker_in)
    url = reverse("fieldwork_finding", args=[lamp.pk])
    page = client.get(url).content.decode()
    assert "待修复" in page and "确认已修复" in page
    refused = client.post(url, {"action": "fixed", "fixed-note": ""})
    assert refused.status_code in (200, 422)
    assert patrol_services.MSG_FIX_NOTE_NEEDED in refused.content.decode()
    assert Finding.objects.get(pk=lamp.pk).fixed_at is None
    done = client.post(url, {"action": "fixed", "fixed-note": "物业已更换灭火器"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "已修复" in page and "物业已更换灭火器" in page and 'id="mark-fixed"' not in page
    patrol_page = client.get(reverse("fieldwork_patrol", args=[lamp.patrol_id])).content.decode()
    assert "已修复" in patrol_page
    assert as_user(editor).post(url, {"action": "fixed", "fixed-note": "x"}).status_code == 404


def test_the_api_confirms_it_and_refuses_in_chinese(lamp, worker_in, worker_out, as_user):
    url = f"/api/v1/findings/{lamp.pk}/fixed"
    client = as_user(worker_in)
    before = client.get(f"/api/v1/findings/{lamp.pk}").json()
    assert before["needs_fixing"] is True and before["fixed_at"] is None
    empty = client.post(url, {"note": ""}, content_type="application/json")
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["message"] == patrol_services.MSG_FIX_NOTE_NEEDED
    outside = as_user(worker_out).post(url, {"note": "已修"}, content_type="application/json")
    assert outside.status_code == 404
    done = client.post(url, {"note": "已修好"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["fixed_note"] == "已修好"
