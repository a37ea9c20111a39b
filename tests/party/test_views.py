"""The Party pages: one test per access rule, the apply button (POST with CSRF), forms, and
query counts that do not grow with the size of the network."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jinlin.core.models import AuditEvent
from jinlin.party.models import HouseholdContact, Meeting, PartyOrganisation, Position
from jinlin.places.models import BuildingAdjacency, CompoundAdjacency
from tests.factories import HouseholdFactory
from tests.party.conftest import group_of, member_in, move_out, organise

pytestmark = pytest.mark.django_db


def login(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretary", 200),
        ("worker_in", 200),
        ("worker_out", 200),
        ("branch_secretary", 200),
        ("group_leader", 200),
        ("editor", 404),
        ("admin", 404),
    ],
)
def test_network_page_per_persona(request, organised, persona, status):
    client = login(request.getfixturevalue(persona))
    for page in ("", "coverage/", "members/"):
        response = client.get(f"/party/areas/{organised.world.area.pk}/{page}")
        assert response.status_code == status, page


def test_anonymous_reader_is_sent_to_login(organised, client):
    response = client.get(f"/party/areas/{organised.world.area.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_worker_sees_no_party_data_outside_its_patch(organised, worker_out):
    client = login(worker_out)
    html = client.get(f"/party/areas/{organised.world.area.pk}/").content.decode()
    assert "李秀英" in html  # her building is in the patch
    for name in ("陈志强", "刘芳", "孙伟", "周敏", "王志刚"):
        assert name not in html
    members = client.get(f"/party/areas/{organised.world.area.pk}/members/").content.decode()
    assert "李秀英" in members and "陈志强" not in members
    assert client.get(f"/party/groups/{organised.extra['right'].pk}/").status_code == 404
    assert client.get(f"/party/organisations/{organised.extra['branch'].pk}/").status_code == 404


def test_group_leader_sees_its_group_only(organised, group_leader):
    client = login(group_leader)
    assert client.get(f"/party/groups/{organised.extra['right'].pk}/").status_code == 200
    assert client.get(f"/party/groups/{organised.extra['left'].pk}/").status_code == 404
    html = client.get(f"/party/areas/{organised.world.area.pk}/").content.decode()
    assert "陈志强" in html and "赵丽华" not in html and "李秀英" not in html
    assert client.get("/party/").url == f"/party/groups/{organised.extra['right'].pk}/"


def test_branch_secretary_sees_its_branch(organised, branch_secretary):
    client = login(branch_secretary)
    assert client.get(f"/party/organisations/{organised.extra['branch'].pk}/").status_code == 200
    area_org = organised.extra["area_organisation"]
    assert client.get(f"/party/organisations/{area_org.pk}/").status_code == 404
    assert client.get(f"/party/areas/{organised.world.area.pk}/proposal/").status_code == 404


def test_secretary_of_another_area_gets_404(organised):
    from jinlin.core.models import Role
    from tests.factories import UserFactory

    other = UserFactory(role=Role.AREA_SECRETARY, area=organised.world.other_area)
    client = login(other)
    assert client.get(f"/party/areas/{organised.world.area.pk}/").status_code == 404
    assert client.get(f"/party/groups/{organised.extra['left'].pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["worker_in", "editor", "admin"])
def test_proposal_page_is_the_area_secretarys(request, party, persona):
    client = login(request.getfixturevalue(persona))
    assert client.get(f"/party/areas/{party.world.area.pk}/proposal/").status_code == 404
    assert client.post(f"/party/areas/{party.world.area.pk}/proposal/").status_code == 404


def test_nav_link_for_party_roles_only(organised, secretary, editor):
    assert "党建</a>" in login(secretary).get("/account/").content.decode()
    assert "党建</a>" not in login(editor).get("/account/").content.decode()


# --- propose, see the diff, apply ----------------------------------------------------------


def test_secretary_proposes_sees_the_diff_and_applies_with_csrf(party, secretary):
    client = login(secretary, enforce_csrf_checks=True)
    url = f"/party/areas/{party.world.area.pk}/proposal/"
    html = client.get(url).content.decode()
    assert "新增" in html and "联合支部" in html and "13、14号楼党小组" in html
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    assert client.post(url, {"fingerprint": fingerprint}).status_code == 403  # no CSRF token
    assert not PartyOrganisation.objects.exists()
    response = client.post(
        url, {"fingerprint": fingerprint, "csrfmiddlewaretoken": csrf_token(html)}, follow=True
    )
    assert response.redirect_chain[-1][0] == f"/party/areas/{party.world.area.pk}/"
    assert "已按方案调整党组织" in response.content.decode()
    assert PartyOrganisation.objects.filter(level="group").count() == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REORGANISE, actor=secretary).exists()
    after = client.get(url).content.decode()
    assert "当前党组织已与规则一致" in after and 'name="fingerprint"' not in after


def test_stale_proposal_is_not_applied(party, secretary):
    client = login(secretary)
    url = f"/party/areas/{party.world.area.pk}/proposal/"
    fingerprint = re.search(
        r'name="fingerprint" value="([0-9a-f]+)"', client.get(url).content.decode()
    ).group(1)
    member_in(party.households["13-102"], "吴刚")
    response = client.post(url, {"fingerprint": fingerprint}, follow=True)
    assert "数据已有变化" in response.content.decode()
    assert not PartyOrganisation.objects.exists()


def test_proposal_shows_what_a_move_out_changes(organised, secretary):
    move_out(organised.member("陈志强"))
    html = (
        login(secretary).get(f"/party/areas/{organised.world.area.pk}/proposal/").content.decode()
    )
    assert "撤销" in html and "13、14号楼党小组" in html and "陈志强" in html


# --- coverage and members -------------------------------------------------------------------


def test_coverage_page_marks_gaps_in_red(organised, secretary):
    client = login(secretary)
    url = f"/party/areas/{organised.world.area.pk}/coverage/"
    assert "处缺口" in client.get(url).content.decode()
    Position.objects.filter(kind="group_leader", organisation=organised.extra["right"]).update(
        ended_on="2026-11-01"
    )
    html = client.get(url).content.decode()
    assert '<td class="gap">需指定党小组长</td>' in html


def test_member_list_shows_years_in_the_party(organised, secretary):
    html = login(secretary).get(f"/party/areas/{organised.world.area.pk}/members/").content.decode()
    assert "55 年" in html  # 张建国: full member since 1 May 1971
    assert "预备期" in html  # 周敏


# --- query counts ---------------------------------------------------------------------------


def _grow(organised, secretary, households: int) -> None:
    building = organised.b14
    for number in range(households):
        household = HouseholdFactory(building=building, room=f"7{number:02d}")
        member_in(household, f"新党员{number}")
    proposal_url = f"/party/areas/{organised.world.area.pk}/proposal/"
    client = login(secretary)
    html = client.get(proposal_url).content.decode()
    fingerprint = re.search(r'name="fingerprint" value="([0-9a-f]+)"', html).group(1)
    client.post(proposal_url, {"fingerprint": fingerprint})
    from jinlin.party.services import area_assign_contacts

    area_assign_contacts(area=organised.world.area, actor=secretary)


@pytest.mark.parametrize("page", ["", "coverage/", "members/", "proposal/"])
def test_area_pages_query_count_does_not_grow_with_the_network(
    organised, secretary, page, django_assert_num_queries
):
    client = login(secretary)
    url = f"/party/areas/{organised.world.area.pk}/{page}"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    queries = len(small)  # read now: the next requests reset the connection's log
    _grow(organised, secretary, 12)
    assert HouseholdContact.objects.filter(ended_on__isnull=True).count() > 15
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_group_page_query_count_does_not_grow(organised, secretary, django_assert_num_queries):
    client = login(secretary)
    url = f"/party/groups/{organised.extra['right'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    queries = len(small)
    _grow(organised, secretary, 8)
    with django_assert_num_queries(queries):
        html = client.get(url).content.decode()
    assert "新党员7" in html


# --- a group's page and its forms -----------------------------------------------------------


def test_group_page_lists_households_and_their_contacts(organised, secretary):
    html = login(secretary).get(f"/party/groups/{organised.extra['right'].pk}/").content.decode()
    assert "13号楼" in html and "101室" in html and "202室" in html
    assert "999室" not in html  # nobody lives there
    assert "亮身份公示牌" in html and "分配联系户" in html


def test_assign_button_reassigns_after_a_move_out(organised, secretary):
    move_out(organised.member("陈志强"))
    client = login(secretary)
    right = organised.extra["right"]
    response = client.post(f"/party/groups/{right.pk}/assign/", follow=True)
    assert "已分配联系户" in response.content.decode()
    gone = HouseholdContact.objects.filter(member=organised.member("陈志强"), ended_on__isnull=True)
    assert not gone.exists()


def test_worker_cannot_post_to_a_group(organised, worker_in):
    client = login(worker_in)
    right = organised.extra["right"]
    assert client.post(f"/party/groups/{right.pk}/assign/").status_code == 404
    response = client.post(
        f"/party/organisations/{right.pk}/appoint/",
        {"member": organised.member("刘芳").pk, "kind": "group_leader"},
    )
    assert response.status_code == 404
    assert client.get(f"/party/groups/{right.pk}/meetings/new/").status_code == 404


def test_group_leader_records_a_meeting(organised, group_leader):
    client = login(group_leader)
    right = organised.extra["right"]
    url = f"/party/groups/{right.pk}/meetings/new/"
    form = client.get(url).content.decode()
    assert "刘芳" in form and "出席" in form
    data = {
        "held_on": "2026-11-20",
        "place": "14号楼架空层",
        "topics": "楼道堆物清理\n独居老人结对",
    }
    for member in right.members.all():
        data[f"attendance_{member.pk}"] = "present"
    data[f"attendance_{organised.member('周敏').pk}"] = "excused"
    response = client.post(url, data, follow=True)
    assert "会议记录已保存" in response.content.decode()
    meeting = Meeting.objects.get()
    assert (
        meeting.topics == ["楼道堆物清理", "独居老人结对"] and meeting.recorded_by == group_leader
    )
    assert "出席 3，请假 1" in response.content.decode()


def test_meeting_form_refuses_a_future_date(organised, secretary):
    client = login(secretary)
    url = f"/party/groups/{organised.extra['right'].pk}/meetings/new/"
    response = client.post(url, {"held_on": "2027-01-01", "topics": "议题"})
    assert response.status_code == 400 and "会议日期不能晚于今天" in response.content.decode()
    assert not Meeting.objects.exists()


def test_secretary_appoints_and_ends_posts(organised, secretary):
    client = login(secretary)
    branch = organised.extra["branch"]
    response = client.post(
        f"/party/organisations/{branch.pk}/appoint/",
        {"member": organised.member("赵丽华").pk, "kind": "committee_member"},
        follow=True,
    )
    assert "已任命 赵丽华 为支部委员" in response.content.decode()
    position = Position.objects.get(member=organised.member("赵丽华"), kind="committee_member")
    response = client.post(f"/party/positions/{position.pk}/end/", follow=True)
    assert "已卸任" in response.content.decode()
    position.refresh_from_db()
    assert position.ended_on is not None


def test_appointing_someone_from_another_area_is_refused(organised, secretary):
    from tests.party.conftest import PartyMemberFactory

    stranger = PartyMemberFactory(resident=organised.world.other_resident)
    response = login(secretary).post(
        f"/party/organisations/{organised.extra['branch'].pk}/appoint/",
        {"member": stranger.pk, "kind": "committee_member"},
        follow=True,
    )
    assert "不在本居民区" in response.content.decode()


def test_setting_a_group_contact(organised, branch_secretary):
    left = organised.extra["left"]
    response = login(branch_secretary).post(
        f"/party/organisations/{left.pk}/contact/",
        {"member": organised.member("刘芳").pk},
        follow=True,
    )
    assert "已指定 刘芳 联系" in response.content.decode()


def test_unorganised_area_page_invites_a_proposal(party, secretary):
    html = login(secretary).get(f"/party/areas/{party.world.area.pk}/").content.decode()
    assert "尚未组建" in html and "未编入党小组的楼组" in html


def test_home_link_goes_to_the_area_network(organised, secretary):
    assert login(secretary).get("/party/").url == f"/party/areas/{organised.world.area.pk}/"


def test_group_of_a_dissolved_group_is_gone_for_its_leader(organised, secretary, group_leader):
    move_out(organised.member("陈志强"))
    organise_again = organise  # the rule merges the two groups when he leaves
    organise_again(organised, secretary)
    assert group_of(organised.b13) == organised.extra["left"]
    assert login(group_leader).get("/party/").status_code == 404


def test_buildings_left_alone_for_want_of_neighbours_link_to_the_adjacency_page(party, secretary):
    """13号楼 (1 member) and 14号楼 (2) lose their neighbours: neither can form a group; the
    proposal says so and leads to the compound's adjacency, where the numbers restore the row."""
    BuildingAdjacency.objects.filter(first__compound=party.world.compound_a).delete()
    client = login(secretary)
    proposal_url = f"/party/areas/{party.world.area.pk}/proposal/"
    adjacency_url = f"/compounds/{party.world.compound_a.pk}/adjacency/"
    html = client.get(proposal_url).content.decode()
    assert "无法编入党小组的楼组" in html
    assert html.count(f'href="{adjacency_url}"') == 2
    page = client.get(adjacency_url, {"propose": "1", "row_length": "3"})
    fingerprint = page.context["proposal"]["fingerprint"]
    client.post(f"{adjacency_url}apply/", {"row_length": "3", "fingerprint": fingerprint})
    assert BuildingAdjacency.objects.filter(first__compound=party.world.compound_a).count() == 2
    after = client.get(proposal_url).content.decode()
    assert "无法编入党小组的楼组" not in after and adjacency_url not in after
    assert not PartyOrganisation.objects.exists()  # nothing reorganised without confirmation


def test_a_compound_too_small_for_a_branch_links_to_the_areas_compound_adjacency(party, secretary):
    """绿园九村 (1 member) loses its neighbour 绿园八村: it can join no branch until the
    secretary sets the two side by side again."""
    CompoundAdjacency.objects.all().delete()
    client = login(secretary)
    proposal_url = f"/party/areas/{party.world.area.pk}/proposal/"
    area_adjacency_url = f"/areas/{party.world.area.pk}/adjacency/"
    assert f'href="{area_adjacency_url}"' in client.get(proposal_url).content.decode()
    pair = {"first": party.world.compound_a.pk, "second": party.world.compound_b.pk}
    assert client.post(f"{area_adjacency_url}add/", pair).status_code == 302
    after = client.get(proposal_url).content.decode()
    assert area_adjacency_url not in after and "联合支部" in after
