"""A concern list filtered by a sensitive subcategory (生活困难, 医疗健康, 家庭矛盾) is a list of
people with that trouble: each opening is recorded as view_sensitive, on the page and the API
(issue 10's leftover); other filters leave no record."""

from __future__ import annotations

import pytest

from jinlin.core.models import AuditEvent
from jinlin.fieldwork.concerns import services as concern_services
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def hardship(world, worker_in):
    return concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="hardship",
            words="退休金不够交房租了。",
            resident_id=world.resident.pk,
        ),
    )


def recorded():
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).values_list(
            "object_type", "object_id", "fields"
        )
    )


def test_the_page_filtered_by_hardship_is_recorded_with_its_count(hardship, worker_in):
    page = login(worker_in).get("/concerns/", {"subcategory": "hardship"})
    assert page.status_code == 200 and "退休金不够交房租了" in page.content.decode()
    assert recorded() == [("concern_subcategory", "hardship", ["count:1", "via:page"])]


def test_the_api_filtered_by_health_is_recorded_even_when_empty(hardship, worker_in):
    response = login(worker_in).get("/api/v1/concerns", {"subcategory": "health"})
    assert response.status_code == 200 and response.json() == []
    assert recorded() == [("concern_subcategory", "health", ["count:0", "via:api"])]


@pytest.mark.parametrize("query", [{}, {"subcategory": "parking"}, {"q": "房租"}])
def test_other_lists_leave_no_record(hardship, worker_in, query):
    client = login(worker_in)
    assert client.get("/concerns/", query).status_code == 200
    assert client.get("/api/v1/concerns", query).status_code == 200
    assert recorded() == []
