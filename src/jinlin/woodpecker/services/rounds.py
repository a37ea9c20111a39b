"""Rounds: their settings, the confirmed awards and the ledger of what was handed over."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jinlin.core.audit import audit, update_audited
from jinlin.core.models import AuditEvent, User
from jinlin.woodpecker.conf import default_deadline, setting
from jinlin.woodpecker.models import Award, AwardKind, LedgerEntry, ReportStatus, Round
from jinlin.woodpecker.selectors.awards import round_result
from jinlin.woodpecker.selectors.catalogue import deadline_label
from jinlin.woodpecker.services.common import clean_text, refuse, require_editor

MSG_ROUND_CONFIRMED = "{round}的评奖已确认，不能再修改评判；如需修改，请先撤销确认"
MSG_DEADLINE_NEEDED = "请填写截止时间"
MSG_COUNT_RANGE = "名额应在 0 到 100 之间"
MSG_ROUND_STILL_OPEN = "{round}的评选尚未截止（截至{deadline}），截止后才能确认评奖"
MSG_ROUND_PENDING = "还有 {n} 份报告未评判，全部评判后才能确认评奖"
MSG_ALREADY_CONFIRMED = "{round}的评奖已经确认"
MSG_NOT_CONFIRMED = "{round}的评奖尚未确认"
MSG_LEDGER_EXISTS = "该奖项已登记发放，不能撤销确认"
MSG_ALREADY_HANDED = "该奖项已登记发放"
MSG_RECEIVER_NEEDED = "请填写领取人"
MSG_CASH_NEEDED = "请填写发放金额"
MSG_SOUVENIR_NEEDED = "请填写发放的纪念品"
MSG_HANDED_DATE = "发放日期不能晚于今天"


# --- rounds -------------------------------------------------------------------------------------


def round_ensure(*, year: int, month: int) -> Round:
    """The round of a month, created with the settings of the day if it does not exist yet."""
    round_, _ = Round.objects.get_or_create(
        year=year,
        month=month,
        defaults={
            "deadline": default_deadline(year, month),
            "best_count": int(setting("BEST_COUNT")),
            "excellent_count": int(setting("EXCELLENT_COUNT")),
            "cash_yuan": int(setting("CASH_YUAN")),
            "souvenir": str(setting("SOUVENIR")),
            "points": dict(setting("POINTS")),
        },
    )
    return round_


@transaction.atomic
def round_update_settings(
    *,
    actor: User,
    round_: Round,
    deadline: datetime | None,
    excellent_count: int,
    cash_yuan: int,
    souvenir: str,
) -> Round:
    require_editor(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_confirmed:
        raise refuse("deadline", MSG_ROUND_CONFIRMED.format(round=round_.label))
    if deadline is None:
        raise refuse("deadline", MSG_DEADLINE_NEEDED)
    if not 0 <= excellent_count <= 100:
        raise refuse("excellent_count", MSG_COUNT_RANGE)
    souvenir = clean_text(souvenir)[:60] or str(setting("SOUVENIR"))
    update_audited(
        round_,
        {
            "deadline": deadline.replace(microsecond=0),
            "excellent_count": excellent_count,
            "cash_yuan": max(0, cash_yuan),
            "souvenir": souvenir,
        },
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"修改{round_.label}评选设置",
    )
    return round_


# --- awards and the ledger ----------------------------------------------------------------------


@transaction.atomic
def round_confirm_awards(*, actor: User, round_: Round, now: datetime | None = None) -> Round:
    """Freezes the ranking of a closed, fully judged round into awards and its announcement."""
    require_editor(actor)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.is_confirmed:
        raise refuse("round", MSG_ALREADY_CONFIRMED.format(round=round_.label))
    if round_.is_open_at(now):
        raise refuse(
            "round",
            MSG_ROUND_STILL_OPEN.format(
                round=round_.label, deadline=deadline_label(round_.deadline)
            ),
        )
    pending = round_.reports.filter(status=ReportStatus.PENDING).count()
    if pending:
        raise refuse("round", MSG_ROUND_PENDING.format(n=pending))
    result = round_result(round_)
    position = 0
    for kind, standings in (
        (AwardKind.BEST, result.awards.best),
        (AwardKind.EXCELLENT, result.awards.excellent),
    ):
        for standing in standings:
            position += 1
            Award.objects.create(
                round=round_,
                kind=kind,
                position=position,
                reader_key=standing.reader_key,
                display_name=standing.display_name[:40],
                is_nickname=standing.is_nickname,
                points=standing.points,
                report_id=result.latest_report_ids[standing.reader_key],
                cash_yuan=round_.cash_yuan if kind == AwardKind.BEST else 0,
                souvenir=round_.souvenir if kind == AwardKind.EXCELLENT else "",
            )
    update_audited(
        round_,
        {"confirmed_at": now, "confirmed_by": actor, "announcement": result.announcement},
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"确认{round_.label}评奖：{position} 人获奖",
    )
    return round_


@transaction.atomic
def round_reopen_awards(*, actor: User, round_: Round) -> Round:
    """Withdraws a confirmation (to correct a judgement), as long as nothing was handed over."""
    require_editor(actor)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_confirmed:
        raise refuse("round", MSG_NOT_CONFIRMED.format(round=round_.label))
    if LedgerEntry.objects.filter(award__round=round_).exists():
        raise refuse("round", MSG_LEDGER_EXISTS)
    round_.awards.all().delete()
    update_audited(
        round_,
        {"confirmed_at": None, "confirmed_by": None, "announcement": ""},
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_round",
        object_id=round_.code,
        reason=f"撤销{round_.label}评奖确认",
    )
    return round_


@transaction.atomic
def ledger_record(
    *,
    actor: User,
    award: Award,
    handed_over_on: date | None,
    received_by: str,
    cash_yuan: int | None = None,
    souvenir: str = "",
    note: str = "",
) -> LedgerEntry:
    """Records the cash paid to a best woodpecker or the souvenir handed to an excellent one."""
    require_editor(actor)
    award = Award.objects.select_for_update().get(pk=award.pk)
    if LedgerEntry.objects.filter(award=award).exists():
        raise refuse("award", MSG_ALREADY_HANDED)
    received_by = clean_text(received_by)[:40]
    errors: dict[str, str] = {}
    if handed_over_on is None or handed_over_on > timezone.localdate():
        errors["handed_over_on"] = MSG_HANDED_DATE
    if not received_by:
        errors["received_by"] = MSG_RECEIVER_NEEDED
    souvenir = clean_text(souvenir)[:60]
    if award.kind == AwardKind.BEST:
        cash_yuan = award.cash_yuan if cash_yuan is None else cash_yuan
        if cash_yuan is None or cash_yuan <= 0:
            errors["cash_yuan"] = MSG_CASH_NEEDED
    else:
        souvenir = souvenir or award.souvenir
        if not souvenir:
            errors["souvenir"] = MSG_SOUVENIR_NEEDED
    if errors:
        raise ValidationError(errors)
    assert handed_over_on is not None  # refused above when missing
    entry = LedgerEntry.objects.create(
        award=award,
        cash_yuan=(cash_yuan or 0) if award.kind == AwardKind.BEST else 0,
        souvenir=souvenir if award.kind == AwardKind.EXCELLENT else "",
        handed_over_on=handed_over_on,
        received_by=received_by,
        note=clean_text(note)[:200],
        recorded_by=actor,
    )
    what = f"奖金 {entry.cash_yuan} 元" if entry.cash_yuan else f"纪念品 {entry.souvenir}"
    audit(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        object_type="woodpecker_award",
        object_id=award.pk,
        reason=f"登记发放：{award.round.label} {award.get_kind_display()} {what}",
    )
    return entry
