"""/reminders/settings/: a user's digest time and channels, the secretary's WeCom robot; bad
input refused in Chinese with nothing changed."""

from __future__ import annotations

from datetime import time

import pytest

from jinlin.reminders.forms import MSG_TIME
from jinlin.reminders.models import AreaChannel, DigestPreference
from jinlin.reminders.services import (
    MSG_EMAIL_NEEDED,
    MSG_NOT_SECRETARY,
    MSG_WEBHOOK,
    MSG_WECOM_NEEDED,
)

pytestmark = pytest.mark.django_db
GOOD_WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0"


def save_preference(client, **data):
    return client.post("/reminders/settings/", {"form": "preference", **data})


def test_a_worker_chooses_a_time_and_email(worker_in, as_user):
    worker_in.email = "shegong@example.org"
    worker_in.save()
    client = as_user(worker_in)
    page = client.get("/reminders/settings/").content.decode()
    assert "每日提醒时间" in page and 'value="08:00"' in page
    assert "企业微信群机器人地址" not in page  # the secretary's part
    response = save_preference(client, send_at="07:15", by_email="on")
    assert response.status_code == 302
    preference = DigestPreference.objects.get(user=worker_in)
    assert preference.send_at == time(7, 15) and preference.by_email and not preference.by_wecom
    assert 'value="07:15"' in client.get("/reminders/settings/").content.decode()


@pytest.mark.parametrize("bad", ["25:00", "8点", "", "07:60"])
def test_a_bad_time_is_refused_and_nothing_changes(worker_in, as_user, bad):
    DigestPreference.objects.create(user=worker_in, send_at=time(9, 0))
    response = save_preference(as_user(worker_in), send_at=bad)
    assert response.status_code == 400
    assert MSG_TIME in response.content.decode()
    assert DigestPreference.objects.get(user=worker_in).send_at == time(9, 0)


def test_email_without_an_address_is_refused(worker_in, as_user):
    response = save_preference(as_user(worker_in), send_at="08:00", by_email="on")
    assert response.status_code == 400
    assert MSG_EMAIL_NEEDED in response.content.decode()
    assert not DigestPreference.objects.exists()


def test_wecom_without_the_areas_robot_is_refused(worker_in, as_user):
    response = save_preference(as_user(worker_in), send_at="08:00", by_wecom="on")
    assert MSG_WECOM_NEEDED in response.content.decode()
    assert not DigestPreference.objects.exists()


def test_the_secretary_sets_the_areas_robot(world, secretary, as_user):
    client = as_user(secretary)
    response = client.post(
        "/reminders/settings/", {"form": "channel", "wecom_webhook": GOOD_WEBHOOK}
    )
    assert response.status_code == 302
    assert AreaChannel.objects.get(area=world.area).wecom_webhook == GOOD_WEBHOOK


@pytest.mark.parametrize(
    "bad",
    [
        "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",  # not https
        "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=abc",
        "https://evil.example/cgi-bin/webhook/send?key=abc",
        "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",  # no key
        "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc",
        "http://127.0.0.1:8080/hook",  # a local receiver, not allowed in production
        "javascript:alert(1)",
        "不是网址",
    ],
)
def test_a_bad_webhook_is_refused_in_chinese_and_nothing_changes(
    world, secretary, as_user, bad, settings
):
    settings.DEBUG = False
    AreaChannel.objects.create(area=world.area, wecom_webhook=GOOD_WEBHOOK)
    response = as_user(secretary).post(
        "/reminders/settings/", {"form": "channel", "wecom_webhook": bad}
    )
    assert response.status_code == 400
    assert MSG_WEBHOOK in response.content.decode()
    assert AreaChannel.objects.get(area=world.area).wecom_webhook == GOOD_WEBHOOK


def test_a_local_receiver_is_allowed_only_when_the_setting_says_so(
    world, secretary, as_user, allow_local_webhook
):
    as_user(secretary).post(
        "/reminders/settings/", {"form": "channel", "wecom_webhook": "http://127.0.0.1:8080/hook"}
    )
    assert AreaChannel.objects.get(area=world.area).wecom_webhook == "http://127.0.0.1:8080/hook"


def test_a_worker_cannot_set_the_areas_robot(world, worker_in, as_user):
    response = as_user(worker_in).post(
        "/reminders/settings/", {"form": "channel", "wecom_webhook": GOOD_WEBHOOK}
    )
    assert response.status_code == 400  # the form is shown again; nothing saved
    assert not AreaChannel.objects.exists()


def test_the_service_refuses_a_non_secretary(worker_in):
    from django.core.exceptions import PermissionDenied

    from jinlin.reminders.services import area_channel_save

    with pytest.raises(PermissionDenied, match=MSG_NOT_SECRETARY):
        area_channel_save(actor=worker_in, webhook=GOOD_WEBHOOK)


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get("/reminders/settings/")
    assert response.status_code == 302 and "/login/" in response["Location"]
