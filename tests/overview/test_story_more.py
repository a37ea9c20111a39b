"""一户一档 (issue 12, continued): consultations, patrol findings at the building, record-update
proposals and emergency contacts in the story; the resident's own part on its page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jinlin.fieldwork.consultations import services as consultation_services
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.visits import services as visit_services
from jinlin.people.services import emergency_contact_add, group_add_manual
from tests.conftest import login
from tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, worker_in, secretary):
    today = timezone.localdate()
    household = world.household_a
    spouse = ResidentFactory(
        household=household, name="王桂兰", gender="F", birth_date=date(1952, 4, 4)
    )
    group_add_manual(resident=world.resident, actor=secretary, group="retired_cadre", reason="离休")
    consultation_services.consultation_record(
        actor=worker_in,
        data=consultation_services.ConsultationInput(
            veteran_id=world.resident.pk,
            topic="community",
            question="楼道堆物怎么劝",
            advice="先请楼组长上门",
            asked_on=today - timedelta(days=2),
        ),
    )
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=today - timedelta(days=1)
    )
    patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter",
            place="12号楼3楼楼道",
            severity="medium",
            building_id=world.building_a.pk,
        ),
    )
    visit = visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=household.pk, visited_on=today, resident_id=spouse.pk, needs="配助听器"
        ),
    )
    visit_services.proposal_create(
        visit=visit,
        actor=worker_in,
        resident_id=world.resident.pk,
        field="occupation",
        value="退休教师",
    )
    visit_services.proposal_create(
        visit=visit,
        actor=worker_in,
        resident_id=world.resident.pk,
        field="phone",
        value="13600001234",
    )
    emergency_contact_add(
        resident=world.resident,
        actor=worker_in,
        name="张丽",
        relation="child",
        phone="13912345678",
        holds_key=True,
    )
    return household, spouse


def test_the_story_tells_consultations_findings_proposals_and_contacts(story, worker_in):
    household, _ = story
    page = login(worker_in).get(f"/households/{household.pk}/story/").content.decode()
    for text in (
        "咨询张建国 · 社区治理",
        "楼道堆物怎么劝 → 先请楼组长上门",
        "本楼巡查：楼道堆物 · 12号楼3楼楼道",
        "张建国 建议修改职业：退休教师",
        "张建国 建议修改联系电话",
        "张建国 添加紧急联系人：张丽（子女，持有钥匙）",
    ):
        assert text in page, text
    # A proposed phone and a contact's phone are never told in the story.
    assert "13600001234" not in page and "13912345678" not in page


def test_the_story_filters_by_the_new_kinds(story, worker_in):
    household, _ = story
    page = login(worker_in).get(f"/households/{household.pk}/story/?kind=finding").content.decode()
    assert "本楼巡查" in page and "咨询张建国" not in page


def test_a_finding_in_another_building_is_not_in_the_story(story, world, worker_out):
    household, _ = story
    patrol = patrol_services.patrol_record(
        actor=worker_out, compound_id=world.compound_b.pk, patrolled_on=timezone.localdate()
    )
    patrol_services.finding_record(
        patrol=patrol,
        actor=worker_out,
        data=patrol_services.FindingInput(
            category="fire_lane",
            place="3号楼门口",
            severity="high",
            building_id=world.building_b.pk,
        ),
    )
    page = login(worker_out).get(f"/households/{world.household_b.pk}/story/").content.decode()
    assert "3号楼门口" in page and "12号楼3楼楼道" not in page


def test_the_residents_timeline_is_only_its_own(story, worker_in):
    _, spouse = story
    resident_id = story[0].residents.get(name="张建国").pk
    client = login(worker_in)
    own = client.get(f"/residents/{resident_id}/story/", HTTP_HX_REQUEST="true").content.decode()
    assert "咨询张建国" in own and "添加紧急联系人" in own
    assert "配助听器" not in own  # the spouse's visit
    assert "本楼巡查" not in own  # about the building, not this resident
    theirs = client.get(f"/residents/{spouse.pk}/story/").content.decode()
    assert "配助听器" in theirs and "咨询张建国" not in theirs


def test_the_residents_page_loads_its_timeline(story, worker_in):
    resident_id = story[0].residents.get(name="张建国").pk
    page = login(worker_in).get(f"/residents/{resident_id}/").content.decode()
    assert f'hx-get="/residents/{resident_id}/story/"' in page


def test_a_residents_timeline_outside_the_patch_is_404(story, worker_out):
    resident_id = story[0].residents.get(name="张建国").pk
    assert login(worker_out).get(f"/residents/{resident_id}/story/").status_code == 404
