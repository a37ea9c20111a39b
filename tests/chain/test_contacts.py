"""Up the chain: a member logs a contact with one of its households; what it passes on becomes a
concern (党员转达) on the worker's 今日; /me/ shows the last contact, a stale mark and what
became of what it passed on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jinlin.chain.models import Contact
from jinlin.core.models import Role, User
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns.models import Channel, Concern, ConcernScope, Subcategory
from jinlin.fieldwork.summary.selectors import new_concerns
from tests.conftest import login

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 25)  # tests/party's frozen day


@pytest.fixture
def member(organised) -> User:
    """A 楼组长 looking after 13号楼 of 绿园八村 (101 and 102 lived in, 999 empty)."""
    user = User.objects.create_user(
        username="louzu13",
        password="correct-horse-battery",
        role=Role.NETWORK_MEMBER,
        area=organised.world.area,
        display_name="楼组长老周",
    )
    user.chain_buildings.set([organised.b13])
    return user


@pytest.fixture
def household(organised):
    return organised.b13.households.get(room="101")


@pytest.fixture
def elsewhere(organised):
    return organised.b3.households.first()


def post(client, household, **data):
    data.setdefault("contacted_on", TODAY.isoformat())
    data.setdefault("how", "in_person")
    return client.post(f"/me/households/{household.pk}/contact/", data)


def test_logging_a_contact(member, household):
    client = login(member)
    page = client.get(f"/me/households/{household.pk}/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "13号楼101室" in html and "当面" in html and "微信" in html
    response = post(client, household, how="phone", note="身体还好")
    assert response.status_code == 302 and response["Location"] == "/me/"
    contact = Contact.objects.get()
    assert (contact.household, contact.member, contact.how) == (household, member, "phone")
    assert contact.contacted_on == TODAY and contact.note == "身体还好" and contact.concern is None
    assert not Concern.objects.filter(channel=Channel.PARTY_MEMBER).exists()
    home = client.get("/me/").content.decode()
    assert "已记录" in home and "转达的事已交给社工" not in home
    assert "上次联系：2026-11-25" in home
    assert f'href="/me/households/{household.pk}/contact/"' in home


def test_passing_on_reaches_the_workers_today(member, household, worker_in):
    client = login(member)
    response = post(client, household, passed_on="楼道灯坏了一个月，老人晚上下楼不方便")
    assert response.status_code == 302
    concern = Concern.objects.get(channel=Channel.PARTY_MEMBER)
    assert Contact.objects.get().concern == concern
    assert concern.words == "楼道灯坏了一个月，老人晚上下楼不方便"
    assert concern.get_channel_display() == "党员转达"
    assert (concern.scope, concern.subcategory) == (ConcernScope.FAMILY, Subcategory.OTHER)
    assert concern.real_need == "" and concern.recorded_by == member
    assert (concern.household, concern.building_id, concern.compound_id, concern.area_id) == (
        household,
        household.building_id,
        household.compound_id,
        household.area_id,
    )
    assert "已记录；转达的事已交给社工" in client.get("/me/").content.decode()
    assert concern.pk in [line.pk for line in new_concerns(worker_in)]
    today = login(worker_in).get("/today/")
    assert today.status_code == 200
    assert "楼道灯坏了一个月" in today.content.decode()


def test_member_cannot_log_for_anothers_household(member, elsewhere):
    client = login(member)
    assert client.get(f"/me/households/{elsewhere.pk}/contact/").status_code == 404
    assert post(client, elsewhere, passed_on="不该存").status_code == 404
    response = client.post(
        f"/api/v1/me/households/{elsewhere.pk}/contacts",
        {"how": "phone", "passed_on": "不该存"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Contact.objects.exists() and not Concern.objects.exists()


def test_other_roles_get_404(worker_in, household):
    client = login(worker_in)
    assert client.get(f"/me/households/{household.pk}/contact/").status_code == 404
    assert post(client, household).status_code == 404
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contacted_on": (TODAY + timedelta(days=1)).isoformat()}, "联系日期不能晚于今天"),
        ({"note": "长" * 201}, "备注最多 200 个字"),
        ({"passed_on": "长" * 501}, "需要转达的事最多 500 个字"),
        ({"how": "posted"}, "联系方式应为：当面、电话、微信"),
        ({"contacted_on": ""}, "请填写联系日期"),
    ],
)
def test_bad_input_is_refused_with_nothing_stored(member, household, data, message):
    data.setdefault("passed_on", "要转达")
    response = post(login(member), household, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Contact.objects.exists() and not Concern.objects.exists()


def test_stale_mark_after_n_days(member, household, settings):
    client = login(member)
    html = client.get("/me/").content.decode()
    assert "尚未联系" in html and "超过30天未联系" in html
    post(client, household, contacted_on=(TODAY - timedelta(days=30)).isoformat())
    card = _card(client.get("/me/").content.decode(), household)
    assert "上次联系：2026-10-26" in card and "未联系" not in card
    Contact.objects.update(contacted_on=TODAY - timedelta(days=31))
    card = _card(client.get("/me/").content.decode(), household)
    assert "超过30天未联系" in card
    settings.JINLIN = {**settings.JINLIN, "CONTACT_STALE_DAYS": 60}
    card = _card(client.get("/me/").content.decode(), household)
    assert "未联系" not in card


def _card(html: str, household) -> str:
    start = html.index(f'id="household-{household.pk}"')
    return html[start : html.index("</article>", start)]


def test_passed_on_shows_what_became_of_it(member, household, worker_in):
    client = login(member)
    post(client, household, passed_on="想申请助餐")
    concern = Concern.objects.get()
    html = client.get("/me/").content.decode()
    assert "我转达的事" in html and "想申请助餐" in html and "待社工处理" in html
    concern.real_need = "独居老人助餐"
    concern.save()
    html = client.get("/me/").content.decode()
    assert "社工已了解" in html and "独居老人助餐" not in html
    case = case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(title="助餐", scope="family", subcategory="elderly_care"),
        evidence=[concern],
    )
    html = client.get("/me/").content.decode()
    assert f"已立案：{case.get_status_display()}" in html and "助餐" in html


def test_api_happy_path_bad_input(member, household):
    client = login(member)
    url = f"/api/v1/me/households/{household.pk}/contacts"
    response = client.post(
        url, {"how": "wechat", "note": "问好", "passed_on": "门禁坏了"}, "application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    concern = Concern.objects.get()
    assert body["concern_id"] == concern.pk and body["contacted_on"] == TODAY.isoformat()
    assert body["household_id"] == household.pk and body["how"] == "wechat"
    assert body["message"] == "已记录；转达的事已交给社工"
    plain = client.post(url, {"how": "phone"}, "application/json")
    assert plain.status_code == 201 and plain.json()["concern_id"] is None
    for bad, message in (
        ({"how": "phone", "contacted_on": "2026-11-26"}, "联系日期不能晚于今天"),
        ({"how": "phone", "note": "长" * 201}, "最多 200 个字"),
        ({"how": "carrier-pigeon"}, "应为以下之一：in_person、phone、wechat"),
    ):
        refused = client.post(url, bad, "application/json")
        assert refused.status_code == 422, refused.content
        assert any(message in row["message"] for row in refused.json()["detail"])
    assert Contact.objects.count() == 2 and Concern.objects.count() == 1


def test_query_count_on_me_stays_fixed(member, household, organised, django_assert_num_queries):
    client = login(member)
    post(client, household, passed_on="第一件事")
    client.get("/me/")
    # The page's 5 (its session is not written again within a minute), then the last
    # contacts, the passed-on concerns and their cases.
    with django_assert_num_queries(8):
        client.get("/me/")
    other = organised.b13.households.get(room="102")
    for n in range(5):
        post(client, other, passed_on=f"第{n}件", how="phone")
    with django_assert_num_queries(8):
        html = client.get("/me/").content.decode()
    assert "第4件" in html
