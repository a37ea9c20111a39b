"""Deadlines: a month's issues are open until its round's deadline, Shanghai time, to the second.

SPEC 纠错有奖: "reports on an October issue by 1 November"; the default deadline is the 1st
of the next month, 23:59:59 in Asia/Shanghai (docs/architecture.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from jinlin.woodpecker import services
from jinlin.woodpecker.conf import default_deadline
from jinlin.woodpecker.models import Report
from tests.woodpecker.conftest import SHANGHAI, report_input


def test_the_default_deadline_is_the_first_of_next_month_at_235959_in_shanghai():
    assert default_deadline(2022, 10) == datetime(2022, 11, 1, 23, 59, 59, tzinfo=SHANGHAI)
    assert default_deadline(2022, 12) == datetime(2023, 1, 1, 23, 59, 59, tzinfo=SHANGHAI)


def test_the_default_deadline_follows_the_settings(settings):
    settings.WOODPECKER = {"DEADLINE_DAY": 31, "DEADLINE_TIME": "18:00:00"}
    # February has no 31st: the last day of the month instead.
    assert default_deadline(2023, 1) == datetime(2023, 2, 28, 18, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (datetime(2022, 11, 1, 23, 59, 0, tzinfo=SHANGHAI), True),  # the last minute begins
        (datetime(2022, 11, 1, 23, 59, 59, 999000, tzinfo=SHANGHAI), True),  # its last instant
        (datetime(2022, 11, 2, 0, 0, 0, tzinfo=SHANGHAI), False),
        (datetime(2022, 11, 1, 15, 59, 59, tzinfo=UTC), True),  # the same edge in UTC
        (datetime(2022, 11, 1, 16, 0, 0, tzinfo=UTC), False),
        (datetime(2022, 11, 1, 20, 0, 0, tzinfo=UTC), False),  # still 1 November in London
    ],
)
def test_the_last_minute_of_the_round_in_shanghai(catalogue, moment, accepted):
    with time_machine.travel(moment, tick=False):
        if accepted:
            report = services.report_submit(data=report_input(catalogue))
            assert report.round == catalogue.october_round
        else:
            with pytest.raises(ValidationError) as caught:
                services.report_submit(data=report_input(catalogue))
            message = caught.value.message_dict["issue"][0]
            assert message.startswith(
                "该期属于2022年10月的评选，已于2022年11月1日 23:59截止，不再受理。"
            )
            assert message.endswith("2022年11月各期的纠错截至2022年12月1日 23:59。")


def test_a_round_may_get_its_own_deadline(catalogue, editor):
    local = datetime(2022, 11, 5, 12, 0, tzinfo=SHANGHAI)
    services.round_update_settings(
        actor=editor,
        round_=catalogue.october_round,
        deadline=local,
        excellent_count=10,
        cash_yuan=100,
        souvenir="帆布袋",
    )
    with time_machine.travel(datetime(2022, 11, 5, 11, 59, tzinfo=SHANGHAI), tick=False):
        services.report_submit(data=report_input(catalogue))
    late = datetime(2022, 11, 5, 12, 0, 1, tzinfo=SHANGHAI)
    with time_machine.travel(late, tick=False), pytest.raises(ValidationError):
        services.report_submit(data=report_input(catalogue))
    assert Report.objects.count() == 1


def test_an_issue_not_yet_out_is_refused(catalogue, editor):
    services.issue_save(
        actor=editor, publication=catalogue.morning, number=121, published_on=date(2022, 10, 26)
    )
    before = datetime(2022, 10, 25, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(before, tick=False), pytest.raises(ValidationError) as caught:
        services.report_submit(
            data=report_input(
                catalogue,
                issue_id=None,
                publication="社区晨报",
                issue_number=121,
                article_id=None,
                article_title="新文章",
            )
        )
    assert caught.value.message_dict["issue"] == [services.MSG_ISSUE_NOT_OUT]


def test_after_the_deadline_the_form_says_the_round_is_closed_and_when_the_next_ends(
    client, catalogue
):
    with time_machine.travel(datetime(2022, 11, 2, 0, 0, 1, tzinfo=SHANGHAI), tick=False):
        page = client.get("/woodpecker/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "本轮纠错已截止" in html
    assert "2022年10月各期的纠错已于 2022年11月1日 23:59 截止，不再受理。" in html
    assert "下一轮（2022年11月各期）截至 2022年12月1日 23:59" in html
    assert 'name="quoted"' not in html


def test_on_the_first_of_the_month_last_months_issues_are_still_open(client, catalogue):
    with time_machine.travel(datetime(2022, 11, 1, 20, 0, tzinfo=SHANGHAI), tick=False):
        page = client.get("/woodpecker/")
        assert timezone.localdate().day == 1
    html = page.content.decode()
    assert "2022年10月各期的纠错截至 <strong>2022年11月1日 23:59</strong>" in html
    assert 'name="quoted"' in html and "社区晨报" in html
