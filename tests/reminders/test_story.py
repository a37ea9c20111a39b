"""The frozen-clock story of issue 15: a 独居老人's care visit falls overdue, the digest reaches
the page, email (Django's outbox and a local SMTP sink) and a local WeCom receiver; an overdue
case action is escalated to the secretary after two working days with 国庆 2026 in between,
then to the subdistrict; nothing is sent twice."""

from __future__ import annotations

from datetime import date, datetime, time
from email.header import decode_header, make_header
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from jinlin.core.models import Notification
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.models import CaseEvent
from jinlin.fieldwork.visits import services as visit_services
from jinlin.reminders.models import AreaChannel, DigestPreference, DigestSent, Escalation, Level
from jinlin.reminders.services import escalations_run, reminders_run

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), SHANGHAI)


@pytest.fixture
def story(world, worker_in, secretary, webhook_receiver, allow_local_webhook):
    """Tuesday 22 September 2026: 张建国 (独居老人, every 7 days) is visited; a case about him
    gets an action owned by the worker, due Wednesday 30 September, the eve of 国庆."""
    worker_in.email = "shegong@example.org"
    worker_in.display_name = "李社工"
    worker_in.save()
    secretary.display_name = "王书记"
    secretary.save()
    AreaChannel.objects.create(area=world.area, wecom_webhook=webhook_receiver.url)
    DigestPreference.objects.create(
        user=worker_in, send_at=time(8, 30), by_email=True, by_wecom=True
    )
    with time_machine.travel(at(date(2026, 9, 22), 9), tick=False):
        visit_services.visit_record(
            actor=worker_in,
            data=visit_services.VisitInput(
                household_id=world.household_a.pk, visited_on=date(2026, 9, 22)
            ),
        )
        case = case_services.case_open(
            actor=worker_in,
            data=case_services.CaseInput(
                title="独居老人夜间跌倒无人知晓",
                scope="family",
                subcategory="elderly_care",
                household_id=world.household_a.pk,
            ),
        )
        case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="缺少紧急呼叫手段")
        case_services.case_record_plan(
            case=case,
            actor=worker_in,
            actions=[
                case_services.ActionInput(
                    description="安装一键呼叫设备", owner_id=worker_in.pk, due_on=date(2026, 9, 30)
                )
            ],
        )
    return case


def run_at(moment: datetime):
    with time_machine.travel(moment, tick=False):
        return reminders_run(now=timezone.now())


def test_the_visit_falls_overdue_and_the_digest_reaches_every_channel(
    story, world, worker_in, as_user, webhook_receiver
):
    # Monday 28 September: visited six days ago, nothing due; nothing is sent.
    run_at(at(date(2026, 9, 28), 9))
    assert not Notification.objects.filter(user=worker_in).exists()
    assert mail.outbox == [] and webhook_receiver.posts == []

    # Wednesday 30 September, 08:00: the visit is a day overdue, but the worker chose 08:30.
    run_at(at(date(2026, 9, 30), 8))
    assert not Notification.objects.filter(user=worker_in).exists()

    run_at(at(date(2026, 9, 30), 8, 35))
    [note] = Notification.objects.filter(user=worker_in, kind="digest")
    assert "待走访 1 户（其中逾期 1 户）" in note.title
    assert "个案措施 1 项" in note.title
    page = as_user(worker_in).get("/notifications/").content.decode()
    assert "待走访 1 户（其中逾期 1 户）" in page
    assert 'aria-label="通知（1 条未读）"' in page

    [email] = mail.outbox
    assert email.to == ["shegong@example.org"]
    assert "每日提醒" in email.subject
    assert "张**" in email.body and "张建国" not in email.body
    assert "13812345678" not in email.body and "1381" not in email.body
    assert world.resident.id_number not in email.body

    [post] = webhook_receiver.posts
    assert post["msgtype"] == "markdown"
    content = post["markdown"]["content"]
    assert "李社工" in content and "待走访 1 户" in content
    assert "张建国" not in content and "13812345678" not in content

    # The task runs every five minutes: nothing goes twice.
    run_at(at(date(2026, 9, 30), 8, 40))
    run_at(at(date(2026, 9, 30), 17, 0))
    assert Notification.objects.filter(user=worker_in, kind="digest").count() == 1
    assert len(mail.outbox) == 1 and len(webhook_receiver.posts) == 1
    assert DigestSent.objects.filter(user=worker_in, sent_at__isnull=False).count() == 3


def test_a_real_smtp_server_receives_the_digest(story, worker_in, smtp_sink):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_sink.port,
        EMAIL_USE_TLS=False,
        EMAIL_TIMEOUT=5,
    ):
        run_at(at(date(2026, 9, 30), 9))
    [message] = smtp_sink.received
    assert message["To"] == "shegong@example.org"
    assert "每日提醒" in str(make_header(decode_header(message["Subject"])))
    body = message.get_payload(decode=True).decode(message.get_content_charset() or "utf-8")
    assert "待走访 1 户" in body and "张**" in body and "张建国" not in body


def test_a_failing_webhook_is_tried_again_on_the_next_run(story, worker_in, webhook_receiver):
    webhook_receiver.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    run_at(at(date(2026, 9, 30), 9))
    assert len(webhook_receiver.posts) == 1
    assert DigestSent.objects.get(user=worker_in, channel="wecom").sent_at is None
    assert len(mail.outbox) == 1  # the other channels went

    webhook_receiver.answer = {"errcode": 0}
    run_at(at(date(2026, 9, 30), 9, 5))
    assert len(webhook_receiver.posts) == 2
    assert DigestSent.objects.get(user=worker_in, channel="wecom").sent_at is not None
    assert len(mail.outbox) == 1


def test_a_run_killed_after_claiming_loses_nothing(story, worker_in):
    # A run died after claiming the email (the row exists, nothing was sent).
    DigestSent.objects.create(
        user=worker_in, on=date(2026, 9, 30), channel="email", claimed_at=at(date(2026, 9, 30), 9)
    )
    run_at(at(date(2026, 9, 30), 9, 5))  # the claim is fresh: perhaps still sending; left alone
    assert mail.outbox == []
    run_at(at(date(2026, 9, 30), 9, 20))  # stale: taken over and sent, once
    run_at(at(date(2026, 9, 30), 9, 25))
    assert len(mail.outbox) == 1


def test_escalation_reaches_the_secretary_after_two_working_days_across_national_day(
    story, world, worker_in, secretary, admin, as_user
):
    case = story
    # Due Wednesday 30 September. 1–7 October are 国庆 holidays; Thursday 8 October is the first
    # working day overdue, Friday 9 October the second.
    for day in [date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 7), date(2026, 10, 8)]:
        run_at(at(day, 9))
        assert not Escalation.objects.exists(), day
        assert not Notification.objects.filter(user=secretary, kind="escalation").exists()

    run_at(at(date(2026, 10, 9), 9))
    [step] = Escalation.objects.all()
    assert step.level == Level.SECRETARY
    assert list(step.told.all()) == [secretary]
    [note] = Notification.objects.filter(user=secretary, kind="escalation")
    assert f"个案 #{case.pk}" in note.title and "逾期 2 个工作日" in note.title
    assert note.link == f"/cases/{case.pk}/"

    [event] = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ESCALATED)
    assert "王书记" in event.text and "逾期 2 个工作日" in event.text
    timeline = as_user(secretary).get(f"/cases/{case.pk}/").content.decode()
    assert "上报" in timeline and "已上报居民区书记/主任：王书记" in timeline

    # Three more working days (Saturday 10 October is a 调休 working day): Tuesday 13 October
    # the subdistrict is told; Monday 12 October not yet.
    run_at(at(date(2026, 10, 12), 9))
    assert not Escalation.objects.filter(level=Level.SUBDISTRICT).exists()
    run_at(at(date(2026, 10, 13), 9))
    [up] = Escalation.objects.filter(level=Level.SUBDISTRICT)
    assert list(up.told.all()) == [admin]
    assert Notification.objects.filter(user=admin, kind="escalation").count() == 1

    # Every later run finds each step taken.
    run_at(at(date(2026, 10, 14), 9))
    run_at(at(date(2026, 10, 14), 9, 5))
    assert Escalation.objects.count() == 2
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ESCALATED).count() == 2
    assert Notification.objects.filter(kind="escalation").count() == 2


def test_a_done_action_is_not_escalated(story, worker_in):
    action = story.actions.get()
    with time_machine.travel(at(date(2026, 10, 8), 9), tick=False):
        case_services.case_complete_action(action=action, actor=worker_in, note="已安装")
    run_at(at(date(2026, 10, 9), 9))
    assert not Escalation.objects.exists()


def test_no_subdistrict_step_when_set_to_zero(story, settings, admin):
    settings.JINLIN = {**settings.JINLIN, "ESCALATE_TO_SUBDISTRICT_WORKING_DAYS": 0}
    run_at(at(date(2026, 10, 30), 9))
    assert list(Escalation.objects.values_list("level", flat=True)) == [Level.SECRETARY]


def test_an_unanswered_door_concern_goes_to_the_secretary(world, secretary):
    from jinlin.fieldwork.models import Concern

    received = at(date(2026, 9, 29), 10)
    concern = Concern.objects.create(
        area=world.area,
        compound=world.compound_a,
        channel="door",
        scope="public",
        subcategory=Concern._meta.get_field("subcategory").choices[0][0],
        words="楼道灯坏了",
        received_at=received,
        receipt="R-TEST-1",
    )
    # Reply deadline: two working days after Tuesday 29 September: Wednesday 30 September, then
    # (国庆 in between) Thursday 8 October, 10:00.
    escalations_run(now=at(date(2026, 10, 8), 9, 59))
    assert not Escalation.objects.exists()
    escalations_run(now=at(date(2026, 10, 8), 10, 0))
    [step] = Escalation.objects.all()
    assert step.concern == concern and list(step.told.all()) == [secretary]
    assert Notification.objects.filter(user=secretary, link=f"/concerns/{concern.pk}/").exists()


def test_digest_is_built_with_a_fixed_number_of_queries(
    story, world, worker_in, django_assert_max_num_queries
):
    from jinlin.reminders.selectors import digest_for
    from tests.factories import HouseholdFactory, ResidentFactory

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        worker = type(worker_in).objects.get(pk=worker_in.pk)
        with CaptureQueriesContext(connection) as queries:
            digest_for(worker, at(date(2026, 9, 30), 9))
        return len(queries)

    few = count()
    for n in range(8):
        household = HouseholdFactory(building=world.building_a, room=f"9{n:02d}")
        ResidentFactory(household=household, name=f"赵{n}", birth_date=date(1940, 1, 1))
    assert count() == few


def test_the_secretarys_digest_counts_late_door_concerns_and_claims_to_confirm(world, secretary):
    from decimal import Decimal

    from jinlin.chain.needs.models import Need, NeedClaim
    from jinlin.core.models import Role
    from jinlin.fieldwork.models import Concern
    from jinlin.reminders.digest_text import page_title
    from jinlin.reminders.selectors import digest_for
    from tests.factories import UserFactory

    Concern.objects.create(
        area=world.area,
        compound=world.compound_a,
        channel="door",
        scope="public",
        subcategory=Concern._meta.get_field("subcategory").choices[0][0],
        words="楼道灯坏了",
        received_at=at(date(2026, 9, 28), 10),
        receipt="R-TEST-2",
    )
    need = Need.objects.create(
        area=world.area,
        title="陪同就医",
        place="社区卫生服务中心",
        starts_at=at(date(2026, 10, 12), 9),
        hours=Decimal("2.0"),
        people_needed=2,
    )
    member = UserFactory(role=Role.NETWORK_MEMBER, area=world.area)
    NeedClaim.objects.create(need=need, member=member)
    digest = digest_for(secretary, at(date(2026, 9, 30), 11))
    title = page_title(digest)
    assert "逾期未回复的民声诉求 1 件" in title
    assert "待确认的服务认领 1 项" in title
    assert "待走访 2 户" in title  # the secretary's patch is the whole area
