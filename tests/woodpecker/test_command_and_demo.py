"""`jinlin woodpecker announce --round YYYY-MM`, and the demo newspaper (SPEC's September 2022)."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jinlin.demo.newspaper import generate_newspaper
from jinlin.woodpecker import services
from jinlin.woodpecker.models import Award, LedgerEntry, Publication, Report
from tests.woodpecker.conftest import SHANGHAI, in_september

SEPTEMBER_2022 = (
    "2022年9月优秀“啄木鸟”:叶玲珠、陈霖源、严志彬、风行天下(昵称)、abbill(昵称)\n"
    "2022年9月最佳“啄木鸟”:小飞"
)


def announce(code: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("woodpecker", "announce", "--round", code, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_announce_prints_the_confirmed_announcement_exactly(catalogue, editor):
    best = in_september(catalogue, 0, reader_name="小飞", contact="13900000001")
    nick = in_september(
        catalogue,
        3,
        reader_name="abbill",
        is_nickname=True,
        contact="abbill2008",
        quoted="气氛热烈",
        correction="气氛热闹",
    )
    services.report_judge(actor=editor, report=best, verdict="valid", severity="major")
    services.report_judge(actor=editor, report=nick, verdict="valid", severity="minor")
    out, err = announce("2022-09")
    assert "尚未确认" in err
    services.round_confirm_awards(
        actor=editor, round_=catalogue.september_round, now=datetime(2022, 10, 5, tzinfo=SHANGHAI)
    )
    out, err = announce("2022-09")
    assert out == "2022年9月优秀“啄木鸟”:abbill(昵称)\n2022年9月最佳“啄木鸟”:小飞\n"
    assert err == ""


def test_announce_refuses_an_unknown_round(db):
    with pytest.raises(CommandError, match="没有找到 2022-9x"):
        announce("2022-9x")


def test_the_demo_newspaper_has_the_specs_september_2022(db):
    summary = generate_newspaper(seed=7, today=date(2023, 3, 15))
    assert summary.announcement == SEPTEMBER_2022
    out, _ = announce("2022-09")
    assert out == SEPTEMBER_2022 + "\n"
    assert Publication.objects.count() == 2
    assert Award.objects.count() == 6 and LedgerEntry.objects.count() == 4
    # The previous month is partly judged, this month's reports wait.
    assert Report.objects.filter(round__year=2023, round__month=2, status="pending").count() == 2
    assert (
        Report.objects.filter(round__year=2023, round__month=3).exclude(status="pending").count()
        == 0
    )
    assert generate_newspaper(seed=7, today=date(2023, 3, 15)).publications == 0  # once only
