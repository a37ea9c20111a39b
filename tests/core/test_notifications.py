"""The notification centre: the bell's count on every page, the list, opening, 全部标为已读."""

from __future__ import annotations

import pytest

from jinlin.core.models import Notification
from jinlin.core.notifications import notify

pytestmark = pytest.mark.django_db


def test_bell_shows_unread_count_in_its_label_without_a_query(worker_in, as_user):
    notify(user=worker_in, kind="test", title="今日有 2 户待走访", link="/fieldwork/today/")
    notify(user=worker_in, kind="test", title="个案措施逾期", link="/fieldwork/cases/")
    page = as_user(worker_in).get("/account/").content.decode()
    assert 'aria-label="通知（2 条未读）"' in page
    assert 'href="/notifications/"' in page


def test_the_list_shows_newest_first_and_opening_marks_read(worker_in, as_user):
    notify(user=worker_in, kind="test", title="第一条", link="/account/")
    notify(user=worker_in, kind="test", title="第二条", link="/account/")
    client = as_user(worker_in)
    page = client.get("/notifications/").content.decode()
    assert page.index("第二条") < page.index("第一条")
    first = Notification.objects.get(title="第一条")
    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == "/account/"
    first.refresh_from_db()
    assert first.is_read
    assert 'aria-label="通知（1 条未读）"' in client.get("/account/").content.decode()


def test_mark_all_read_empties_the_count(worker_in, as_user):
    for n in range(3):
        notify(user=worker_in, kind="test", title=f"第{n}条", link="/account/")
    client = as_user(worker_in)
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 3 条通知标为已读" in response.content.decode()
    assert not Notification.objects.filter(user=worker_in, read_at__isnull=True).exists()
    worker_in.refresh_from_db()
    assert worker_in.unread_notifications == 0


def test_mark_all_read_refuses_get(worker_in, as_user):
    notify(user=worker_in, kind="test", title="一条", link="/account/")
    assert as_user(worker_in).get("/notifications/read-all/").status_code == 405
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_another_users_notification_is_404_and_stays_unread(worker_in, worker_out, as_user):
    notify(user=worker_out, kind="test", title="别人的通知", link="/account/")
    theirs = Notification.objects.get(user=worker_out)
    client = as_user(worker_in)
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert "别人的通知" not in client.get("/notifications/").content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_a_key_notifies_once(worker_in):
    assert notify(user=worker_in, kind="digest", title="每日提醒", link="/", key="d:1")
    assert not notify(user=worker_in, kind="digest", title="每日提醒", link="/", key="d:1")
    worker_in.refresh_from_db()
    assert worker_in.unread_notifications == 1
    assert Notification.objects.filter(user=worker_in).count() == 1


def test_links_leave_nowhere_outside_jinlin(worker_in):
    with pytest.raises(ValueError):
        notify(user=worker_in, kind="test", title="x", link="https://example.com/")
    with pytest.raises(ValueError):
        notify(user=worker_in, kind="test", title="x", link="//example.com/")


def test_the_list_page_costs_a_fixed_number_of_queries(
    worker_in, as_user, django_assert_max_num_queries
):
    client = as_user(worker_in)
    for n in range(30):
        notify(user=worker_in, kind="test", title=f"第{n}条", link="/account/")
    with django_assert_max_num_queries(6):
        assert client.get("/notifications/").status_code == 200
