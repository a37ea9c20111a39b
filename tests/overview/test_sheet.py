"""一户一档 打印页 (issue 12): one household on paper, masked, audited like an export."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from jinlin.core.models import AuditEvent
from jinlin.fieldwork.visits import services as visit_services
from jinlin.people.services import emergency_contact_add, group_add_manual
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(world, worker_in, secretary):
    emergency_contact_add(
        resident=world.resident,
        actor=worker_in,
        name="张丽",
        relation="child",
        phone="13912345678",
        holds_key=True,
        note="住5号楼",
    )
    group_add_manual(resident=world.resident, actor=secretary, group="hardship", reason="低保")
    group_add_manual(resident=world.resident, actor=secretary, group="talent", reason="会书法")
    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=world.household_a.pk, visited_on=timezone.localdate() - timedelta(days=10)
        ),
    )
    return world.household_a


def test_the_sheet_shows_the_household_masked(household, world, worker_in):
    page = login(worker_in).get(f"/households/{household.pk}/sheet/").content.decode()
    for text in (
        "一户一档 · ",
        "张建国",
        "独居老人",
        "社区能人",
        "张丽",
        "持有钥匙",
        "住5号楼",
        "139****5678",
        "138****5678",
        "本户暂无联系党员",
        "最近走访",
    ):
        assert text in page, text
    assert world.resident.id_number not in page
    assert "13912345678" not in page and "13812345678" not in page
    # Never a sensitive group, on paper least of all.
    assert "困难家庭" not in page


def test_the_schedule_says_when_the_next_care_visit_is_due(household, worker_in):
    page = login(worker_in).get(f"/households/{household.pk}/sheet/").content.decode()
    last = timezone.localdate() - timedelta(days=10)
    assert f"上次走访 {last:%Y-%m-%d}" in page
    # 独居老人 every 7 days, the shared cadence of 重点关爱对象 (困难 30): due 3 days ago.
    assert f"下次应访 <strong>{last + timedelta(days=7):%Y-%m-%d}</strong>" in page
    assert "已逾期 3 天" in page


def test_printing_is_audited_like_an_export(household, worker_in):
    client = login(worker_in)
    client.get(f"/households/{household.pk}/sheet/")
    event = AuditEvent.objects.get(action="export")
    assert event.object_type == "household_sheet" and event.object_id == str(household.pk)
    assert event.actor == worker_in and "via:page" in event.fields


def test_the_pdf_is_a_pdf_and_is_audited(household, worker_in):
    answer = login(worker_in).get(f"/households/{household.pk}/sheet.pdf")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    [event] = AuditEvent.objects.filter(action="export")
    assert "via:pdf" in event.fields


def test_outside_the_patch_the_sheet_is_404_and_not_audited(household, worker_out):
    client = login(worker_out)
    assert client.get(f"/households/{household.pk}/sheet/").status_code == 404
    assert client.get(f"/households/{household.pk}/sheet.pdf").status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_household_page_links_to_the_sheet(household, worker_in):
    page = login(worker_in).get(f"/households/{household.pk}/").content.decode()
    assert f'href="/households/{household.pk}/sheet/"' in page


def test_a_household_outside_every_schedule_says_so(world, secretary):
    from tests.factories import ResidentFactory

    ResidentFactory(household=world.household_b, name="李小明", birth_date=date(1990, 5, 5))
    page = login(secretary).get(f"/households/{world.household_b.pk}/sheet/").content.decode()
    assert "本户不在定期关爱走访之列" in page


def test_the_sheet_costs_the_same_queries_however_many_visits_and_contacts(
    household, world, worker_in, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(worker_in)
    url = f"/households/{household.pk}/sheet/"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for days in range(2, 9):
        visit_services.visit_record(
            actor=worker_in,
            data=visit_services.VisitInput(
                household_id=household.pk, visited_on=timezone.localdate() - timedelta(days=days)
            ),
        )
        if days < 6:  # four more: five contacts at most
            emergency_contact_add(
                resident=world.resident,
                actor=worker_in,
                name=f"邻居{days}",
                relation="neighbour",
                phone=f"1381234{days:04d}",
            )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)
