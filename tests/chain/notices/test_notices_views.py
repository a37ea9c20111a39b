"""The notice pages: list and 发通知, one notice's reach, the member's phone page."""

from __future__ import annotations

from django.urls import reverse

from jinlin.chain.models import Notice, Reach
from tests.chain.notices.conftest import group_of, publish
from tests.factories import HouseholdFactory, ResidentFactory


def test_secretary_posts_to_a_building_and_lands_on_its_reach(organised, secretary, as_user):
    client = as_user(secretary)
    url = reverse("chain_notices", args=[organised.world.area.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "发通知" in text and "在楼组扫码页公开" in text and "13号楼" in text
    response = client.post(
        url,
        {
            "title": "停水通知",
            "body": "明天停水",
            "buildings": [organised.b13.pk],
            "is_public": "on",
        },
    )
    notice = Notice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("chain_notice", args=[notice.pk])
    assert notice.is_public and list(notice.buildings.all()) == [organised.b13]
    listing = client.get(url).content.decode()
    assert "停水通知" in listing and "0%" in listing


def test_a_refused_post_shows_the_message_and_stores_nothing(organised, secretary, as_user):
    client = as_user(secretary)
    other = organised.world.other_resident.household.building
    response = client.post(
        reverse("chain_notices", args=[organised.world.area.pk]),
        {"title": "", "body": "x", "buildings": [other.pk]},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写标题" in text and "所选楼组不属于本居民区" in text
    assert Notice.objects.count() == 0


def test_who_sees_the_notices_pages(
    organised, secretary, worker_out, branch_secretary, editor, member, as_user
):
    area = organised.world.area
    notice = publish(secretary, area)
    url = reverse("chain_notice", args=[notice.pk])
    for user in (secretary, worker_out):  # the area's staff
        assert as_user(user).get(url).status_code == 200
    for user in (editor, member, branch_secretary):  # not its sender, not the area's staff
        assert as_user(user).get(url).status_code == 404
    list_url = reverse("chain_notices", args=[area.pk])
    assert as_user(editor).get(list_url).status_code == 404
    assert as_user(member).get(list_url).status_code == 404
    branch_page = as_user(branch_secretary).get(list_url)
    assert branch_page.status_code == 200 and "停水通知" not in branch_page.content.decode()
    # The worker sees but does not post.
    assert "发通知" not in as_user(worker_out).get(list_url).content.decode()
    assert as_user(worker_out).post(list_url, {"title": "t", "body": "b"}).status_code == 404


def test_reach_page_refreshes_itself_and_answers_htmx_with_the_part(
    organised, secretary, member, as_user
):
    notice = publish(secretary, organised.world.area, group_ids=[group_of(organised.b13).pk])
    Reach.objects.create(
        notice=notice, household=organised.households["13-101"], how="in_person", marked_by=member
    )
    client = as_user(secretary)
    url = reverse("chain_notice", args=[notice.pk])
    text = client.get(url).content.decode()
    assert 'hx-trigger="every 30s"' in text
    assert "1</strong> / 4 户已传达" in text
    assert "绿园八村14号楼201室" in text  # not told yet, with its contact
    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert part.lstrip().startswith('<div id="reach"') and "<html" not in part


def test_staff_mark_from_the_notice_page(organised, secretary, worker_in, as_user):
    notice = publish(secretary, organised.world.area, building_ids=[organised.b12.pk])
    household = organised.households["12-302"]
    response = as_user(worker_in).post(
        reverse("chain_notice_mark", args=[notice.pk]), {"household": household.pk, "how": "phone"}
    )
    assert response.status_code == 302
    assert Reach.objects.get(notice=notice, household=household).how == "phone"
    outside = organised.households["3-502"]  # not in this notice
    response = as_user(secretary).post(
        reverse("chain_notice_mark", args=[notice.pk]), {"household": outside.pk, "how": "phone"}
    )
    assert response.status_code == 404


def test_withdraw_from_the_page(organised, secretary, worker_in, as_user):
    notice = publish(secretary, organised.world.area)
    url = reverse("chain_notice_withdraw", args=[notice.pk])
    assert as_user(worker_in).post(url).status_code == 404
    assert as_user(secretary).post(url).status_code == 302
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None


# --- the member's page ------------------------------------------------------------------------


def test_member_marks_its_households_with_htmx_and_without(organised, secretary, member, as_user):
    notice = publish(secretary, organised.world.area)
    client = as_user(member)
    page = client.get(reverse("member_notices")).content.decode()
    assert "停水通知" in page and "绿园八村13号楼101室" in page and "13号楼102室" in page
    assert "绿园八村12号楼" not in page and "999室" not in page  # not its building; an empty flat
    for label in ("当面", "电话", "微信", "张贴", "联系不上"):
        assert f">{label}</button>" in page
    household = organised.households["13-101"]
    url = reverse("member_notice_mark", args=[notice.pk, household.pk])
    row = client.post(url, {"how": "in_person"}, headers={"HX-Request": "true"})
    assert row.status_code == 200
    assert "✓ 当面" in row.content.decode() and "<html" not in row.content.decode()
    # The notice's count above the rows follows the tap (out of band): one of its two told.
    assert f'id="told-{notice.pk}" hx-swap-oob="true">已传达 1/2 户' in row.content.decode()
    plain = client.post(url, {"how": "phone"})  # again, without JavaScript: changes the way
    assert plain.status_code == 302 and plain["Location"] == reverse("member_notices")
    reach = Reach.objects.get(notice=notice, household=household)
    assert (reach.how, reach.marked_by) == ("phone", member)
    assert Reach.objects.count() == 1


def test_member_may_not_mark_others_households(organised, secretary, member, as_user):
    notice = publish(secretary, organised.world.area)
    only_12 = publish(secretary, organised.world.area, building_ids=[organised.b12.pk])
    client = as_user(member)
    for notice_id, household in (
        (notice.pk, organised.households["12-301"]),  # not its household
        (only_12.pk, organised.households["13-101"]),  # its household, not in that notice
        (notice.pk, organised.world.other_resident.household),
    ):
        url = reverse("member_notice_mark", args=[notice_id, household.pk])
        assert client.post(url, {"how": "phone"}).status_code == 404
    assert Reach.objects.count() == 0
    # A staff account has no member page.
    assert as_user(secretary).get(reverse("member_notices")).status_code == 404


def _more_households(organised, count: int) -> None:
    for n in range(count):
        household = HouseholdFactory(building=organised.b13, room=f"{600 + n}")
        ResidentFactory(household=household, name=f"住户{n}")


def test_pages_take_a_fixed_number_of_queries(
    organised, secretary, member, as_user, django_assert_max_num_queries
):
    area = organised.world.area
    notices = [
        publish(secretary, area),
        publish(secretary, area, building_ids=[organised.b13.pk]),
        publish(secretary, area, group_ids=[group_of(organised.b13).pk]),
    ]
    Reach.objects.create(notice=notices[0], household=organised.households["13-101"], how="posted")
    staff, phone = as_user(secretary), as_user(member)
    staff.get(reverse("chain_notices", args=[area.pk]))  # warm the caches (is_demo, …)
    phone.get(reverse("member_notices"))
    counts = []
    for round_ in range(2):
        if round_:
            _more_households(organised, 6)
            publish(secretary, area, compound_ids=[organised.world.compound_a.pk])
        with django_assert_max_num_queries(20) as reach_page:
            assert staff.get(reverse("chain_notice", args=[notices[0].pk])).status_code == 200
        with django_assert_max_num_queries(20) as member_page:
            assert phone.get(reverse("member_notices")).status_code == 200
        with django_assert_max_num_queries(25) as list_page:
            assert staff.get(reverse("chain_notices", args=[area.pk])).status_code == 200
        counts.append((len(reach_page), len(member_page), len(list_page)))
    assert counts[0] == counts[1]  # more households and notices, no more queries
