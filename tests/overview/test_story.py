"""一户一档 (issue 12): a household's story in one timeline, newest first, filterable by kind;
only what the viewer may see (never a sensitive group, changes by field without values)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from jinlin.chain.models import Contact
from jinlin.core.models import Role
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.visits import services as visit_services
from jinlin.people.services import group_add_manual, resident_update
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(world, worker_in, secretary):
    """A visit, a concern that became a case, a member's contact, a talent and a hardship
    membership, a change of phone."""
    today = timezone.localdate()
    household = world.household_a
    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(
            household_id=household.pk,
            visited_on=today - timedelta(days=20),
            needs="想装一键呼叫器",
        ),
    )
    concern = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words="晚上摔了一跤没人知道",
            real_need="独居老人需要紧急呼叫手段",
            resident_id=world.resident.pk,
        ),
    )
    case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(
            title="独居老人夜间跌倒", scope="family", subcategory="elderly_care"
        ),
        evidence=[concern],
    )
    member = UserFactory(
        username="louzu", role=Role.NETWORK_MEMBER, area=world.area, display_name="楼组长老周"
    )
    Contact.objects.create(
        household=household, member=member, how="in_person", note="身体还好", contacted_on=today
    )
    group_add_manual(resident=world.resident, actor=secretary, group="talent", reason="会书法")
    group_add_manual(resident=world.resident, actor=secretary, group="hardship", reason="低保")
    resident_update(resident=world.resident, actor=worker_in, phone="13912345678")
    return household


def test_the_whole_story_newest_first(story, worker_in):
    page = login(worker_in).get(f"/households/{story.pk}/story/").content.decode()
    for text in (
        "入户走访",
        "想装一键呼叫器",
        "“晚上摔了一跤没人知道” → 独居老人需要紧急呼叫手段",
        "立案：独居老人夜间跌倒",
        "楼组长老周 当面联系",
        "认定为社区能人：会书法",
        "档案修改：联系电话",
    ):
        assert text in page, text
    assert page.index("档案修改：联系电话") < page.index("想装一键呼叫器")  # newest first
    # Never a sensitive group, nor a changed value.
    assert "困难家庭" not in page and "低保" not in page
    assert "13912345678" not in page


def test_one_kind_at_a_time(story, worker_in):
    page = (
        login(worker_in).get(f"/households/{story.pk}/story/", {"kind": "visit"}).content.decode()
    )
    assert "想装一键呼叫器" in page and "晚上摔了一跤" not in page and "社区能人" not in page


def test_outside_the_patch_it_is_404_and_fieldwork_stays_with_fieldwork(
    story, worker_out, world, as_user
):
    assert login(worker_out).get(f"/households/{story.pk}/story/").status_code == 404
    leader = UserFactory(username="leader", role=Role.GROUP_LEADER, area=world.area)
    from jinlin.party.models import PartyOrganisation

    group = PartyOrganisation.objects.create(area=world.area, level="group", name="12号楼党小组")
    group.buildings.set([world.building_a])
    leader.party_organisation = group
    leader.save()
    page = login(leader).get(f"/households/{story.pk}/story/").content.decode()
    assert "楼组长老周 当面联系" in page  # the chain's contacts are the network's
    assert "晚上摔了一跤" not in page and "想装一键呼叫器" not in page  # no fieldwork


def test_the_story_costs_the_same_queries_however_long(
    story, worker_in, django_assert_max_num_queries
):
    client = login(worker_in)
    url = f"/households/{story.pk}/story/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for days in range(2, 12):
        visit_services.visit_record(
            actor=worker_in,
            data=visit_services.VisitInput(
                household_id=story.pk, visited_on=timezone.localdate() - timedelta(days=days)
            ),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)
