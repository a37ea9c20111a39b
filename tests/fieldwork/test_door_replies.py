"""The worker's side of the residents' door: a 扫码 concern on 今日, the reply and 办结 on the
concern's page, the callback phone masked until unmasked with a reason, lateness after 2
working days on 今日 and on the secretary's dashboard."""

from __future__ import annotations

from datetime import datetime

import pytest
import time_machine

from jinlin.core.models import AuditEvent
from jinlin.fieldwork.concerns import services
from jinlin.fieldwork.concerns.models import Concern, Rating
from jinlin.fieldwork.summary.selectors import dashboard, today
from tests.fieldwork.conftest import SHANGHAI, jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def raised(world) -> Concern:
    """Raised on Tuesday 25 November 2025 at 09:00, with a callback phone and a photo."""
    return services.concern_raise_public(
        building=world.building_a,
        words="楼道灯坏了一星期",
        room="301",
        phone="13812345678",
        photo=jpeg_bytes(),
    )


def test_the_worker_replies_and_closes_on_the_concern_page(raised, worker_in, as_user):
    client = as_user(worker_in)
    url = f"/concerns/{raised.pk}/"
    page = client.get(url).content.decode()
    assert "居民扫码提交" in page and "待回复" in page
    assert "138****5678" in page and "13812345678" not in page
    refused = client.post(url, {"action": "reply", "reply-reply": "  "})
    assert refused.status_code == 200 and "这个字段是必填项" in refused.content.decode()
    closing_early = client.post(url, {"action": "close"}, follow=True)
    assert services.MSG_CLOSE_NEEDS_REPLY in closing_early.content.decode()
    assert (
        client.post(url, {"action": "reply", "reply-reply": "已报修，周三修好"}).status_code == 302
    )
    assert client.post(url, {"action": "close"}).status_code == 302
    raised.refresh_from_db()
    assert raised.reply == "已报修，周三修好" and raised.replied_by == worker_in
    assert raised.closed_at is not None
    assert AuditEvent.objects.filter(object_type="concern", reason="回复扫码诉求").exists()


def test_the_callback_phone_is_unmasked_with_a_reason_audited(raised, worker_in, as_user):
    client = as_user(worker_in)
    url = f"/concerns/{raised.pk}/"
    assert (
        "13812345678"
        not in client.post(url, {"action": "phone", "phone-reason": ""}).content.decode()
    )
    shown = client.post(url, {"action": "phone", "phone-reason": "回电了解情况"})
    assert "13812345678" in shown.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.UNMASK, object_type="concern")
    assert event.reason == "回电了解情况" and event.fields == ["callback_phone"]


def test_the_photo_is_served_only_within_scope(raised, worker_in, worker_out, as_user):
    assert as_user(worker_in).get(f"/concerns/{raised.pk}/photo/").status_code == 200
    assert as_user(worker_out).get(f"/concerns/{raised.pk}/photo/").status_code == 404
    assert as_user(worker_out).get(f"/concerns/{raised.pk}/").status_code == 404


def test_the_concern_is_on_the_patch_workers_today_only(raised, worker_in, worker_out):
    assert raised.pk in [line.pk for line in today(worker_in).concerns]
    assert raised.pk not in [line.pk for line in today(worker_out).concerns]


def test_unanswered_after_two_working_days_is_late(raised, worker_in, secretary, as_user):
    # Raised Tuesday just after 09:00 (the clock ticks): late from Thursday at that time.
    with time_machine.travel(datetime(2025, 11, 27, 8, 59, tzinfo=SHANGHAI)):
        assert today(worker_in).late_concerns == []
        assert dashboard(raised.area_id).late_concerns == []
    with time_machine.travel(datetime(2025, 11, 27, 9, 5, tzinfo=SHANGHAI)):
        assert [line.pk for line in today(worker_in).late_concerns] == [raised.pk]
        assert [line.pk for line in dashboard(raised.area_id).late_concerns] == [raised.pk]
        assert "扫码诉求逾期未回复" in as_user(worker_in).get("/today/").content.decode()
        board = as_user(secretary).get(f"/areas/{raised.area_id}/fieldwork/")
        assert board.status_code == 200 and f"诉求 #{raised.pk}" in board.content.decode()
        services.concern_reply(concern=raised, actor=worker_in, reply="马上来看")
        assert today(worker_in).late_concerns == []


def test_a_weekend_does_not_count(world, worker_in):
    with time_machine.travel(datetime(2025, 11, 28, 17, 0, tzinfo=SHANGHAI)):  # Friday
        concern = services.concern_raise_public(building=world.building_a, words="噪音")
    with time_machine.travel(datetime(2025, 12, 1, 18, 0, tzinfo=SHANGHAI)):  # Monday
        assert today(worker_in).late_concerns == []
    with time_machine.travel(datetime(2025, 12, 2, 17, 0, tzinfo=SHANGHAI)):  # Tuesday
        assert [line.pk for line in today(worker_in).late_concerns] == [concern.pk]


def test_an_unsatisfied_rating_is_on_the_secretarys_dashboard(raised, worker_in, secretary):
    services.concern_reply(concern=raised, actor=worker_in, reply="已修好")
    services.concern_close(concern=raised, actor=worker_in)
    services.concern_rate(concern=raised, rating=Rating.UNSATISFIED, note="没修好")
    assert dashboard(raised.area_id).review_concerns == [raised]
    services.concern_close(concern=raised, actor=secretary)
    assert dashboard(raised.area_id).review_concerns == []


def test_only_door_concerns_take_replies(concern, worker_in):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=services.MSG_NOT_PUBLIC):
        services.concern_reply(concern=concern, actor=worker_in, reply="好")


def test_the_concern_list_shows_where_a_door_concern_stands(raised, worker_in, as_user):
    client = as_user(worker_in)
    assert "待回复" in client.get("/concerns/", {"channel": "qr_code"}).content.decode()
    services.concern_reply(concern=raised, actor=worker_in, reply="已报修")
    services.concern_close(concern=raised, actor=worker_in)
    services.concern_rate(concern=raised, rating=Rating.SATISFIED)
    html = client.get("/concerns/", {"channel": "qr_code"}).content.decode()
    assert "已办结·满意" in html
