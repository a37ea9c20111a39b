"""Writes of reminders: a user's digest preference, an area's WeCom robot, sending the day's
digests, escalating what is overdue. The two runs are idempotent: each digest (user, day,
channel) and each escalation step (thing, level) has its unique row."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from jinlin.core.models import Role, User
from jinlin.core.notifications import notify
from jinlin.fieldwork.cases.models import CaseAction
from jinlin.fieldwork.cases.services import case_record_escalation
from jinlin.fieldwork.concerns.models import Concern
from jinlin.fieldwork.due import add_working_days, reply_deadline, working_days_after
from jinlin.reminders import channels, digest_text, selectors
from jinlin.reminders.digest_text import Digest
from jinlin.reminders.models import (
    AreaChannel,
    Channel,
    DigestPreference,
    DigestSent,
    Escalation,
    Level,
)

logger = logging.getLogger(__name__)

MSG_WEBHOOK = "企业微信群机器人地址应形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…"
MSG_NOT_SECRETARY = "只有本居民区的书记/主任可以设置群机器人"
MSG_EMAIL_NEEDED = "您的账号没有邮箱地址，无法通过邮件接收提醒；请联系居民区书记添加"
MSG_WECOM_NEEDED = "本居民区还没有设置企业微信群机器人，请先请书记设置"
WECOM_HOST = "qyapi.weixin.qq.com"
WECOM_PATH = "/cgi-bin/webhook/send"
# A claim not marked sent after this long belongs to a run that died: a later run takes it over.
STALE_CLAIM = timedelta(minutes=10)


# --- settings ---------------------------------------------------------------------------------


def _local_webhooks_allowed() -> bool:
    return bool(settings.DEBUG or settings.JINLIN.get("WECOM_ALLOW_LOCAL"))


def check_webhook(url: str) -> str:
    """A WeCom group-robot webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…;
    http://127.0.0.1:PORT/… too when DEBUG or JINLIN_WECOM_ALLOW_LOCAL (a local receiver)."""
    url = url.strip()
    parts = urlsplit(url)
    if (
        parts.scheme == "https"
        and parts.hostname == WECOM_HOST
        and parts.port is None
        and parts.path == WECOM_PATH
        and parts.query.startswith("key=")
        and len(parts.query) > len("key=")
        and not parts.username
        and not parts.password
    ):
        return url
    if parts.scheme == "http" and parts.hostname == "127.0.0.1" and _local_webhooks_allowed():
        return url
    raise ValidationError(MSG_WEBHOOK, code="webhook")


@transaction.atomic
def preference_save(
    *, user: User, send_at: time, by_email: bool, by_wecom: bool
) -> DigestPreference:
    if by_email and not user.email:
        raise ValidationError(MSG_EMAIL_NEEDED, code="email")
    if by_wecom and not (
        (channel := selectors.channel_of(user)) is not None and channel.wecom_webhook
    ):
        raise ValidationError(MSG_WECOM_NEEDED, code="wecom")
    preference, _ = DigestPreference.objects.update_or_create(
        user=user,
        defaults={"send_at": send_at, "by_email": by_email, "by_wecom": by_wecom},
    )
    return preference


@transaction.atomic
def area_channel_save(*, actor: User, webhook: str) -> AreaChannel:
    """The area's secretary sets (or, with an empty address, removes) the area's robot."""
    if actor.role != Role.AREA_SECRETARY or actor.area_id is None:
        raise PermissionDenied(MSG_NOT_SECRETARY)
    checked = check_webhook(webhook) if webhook.strip() else ""
    channel, _ = AreaChannel.objects.update_or_create(
        area_id=actor.area_id,
        defaults={"wecom_webhook": checked, "updated_by": actor, "updated_at": timezone.now()},
    )
    return channel


# --- the daily digest ---------------------------------------------------------------------------


@dataclass
class DigestRun:
    users: int = 0  # users whose digest was built
    sent: int = 0  # messages sent (page, email, WeCom)
    empty: int = 0  # digests with nothing due (nothing sent)
    failed: int = 0  # messages that failed (tried again next run)


def _base_url() -> str:
    return str(settings.JINLIN.get("PUBLIC_BASE_URL") or "")


def _claim(*, user: User, day: date, channel: str, now: datetime) -> DigestSent | None:
    """The row of this digest, claimed for this run; None when sent already or another run is
    on it."""
    try:
        with transaction.atomic():
            return DigestSent.objects.create(
                user=user, on=day, channel=channel, claimed_at=now, attempts=1
            )
    except IntegrityError:
        pass
    taken = (
        DigestSent.objects.filter(user=user, on=day, channel=channel, sent_at__isnull=True)
        .filter(was_empty=False)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_CLAIM))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not taken:
        return None
    return DigestSent.objects.get(user=user, on=day, channel=channel)


def _deliver(*, channel: str, user: User, digest: Digest, webhook: str) -> None:
    if channel == Channel.EMAIL:
        channels.send_email(
            to=user.email,
            subject=digest_text.email_subject(digest),
            body=digest_text.email_body(digest, _base_url()),
        )
    elif channel == Channel.WECOM:
        channels.post_wecom(url=webhook, content=digest_text.wecom_markdown(digest, _base_url()))


def _send_page(*, user: User, digest: Digest, now: datetime) -> bool:
    """The page's copy: the claim, the notification and the mark in one transaction."""
    with transaction.atomic():
        row = _claim(user=user, day=digest.on, channel=Channel.PAGE, now=now)
        if row is None:
            return False
        if digest.is_empty:
            row.was_empty = True
            row.save(update_fields=["was_empty"])
            return False
        notify(
            user=user,
            kind="digest",
            title=digest_text.page_title(digest),
            link=reverse("fieldwork_today"),
            key=f"digest:{digest.on.isoformat()}",
        )
        row.sent_at = now
        row.save(update_fields=["sent_at"])
    return True


def _send_outside(
    *, channel: str, user: User, digest: Digest, webhook: str, now: datetime, run: DigestRun
) -> None:
    row = _claim(user=user, day=digest.on, channel=channel, now=now)
    if row is None:
        return
    if digest.is_empty:
        DigestSent.objects.filter(pk=row.pk).update(was_empty=True)
        return
    try:
        _deliver(channel=channel, user=user, digest=digest, webhook=webhook)
    except channels.ChannelError as error:
        # No address, no name, no content: the user's id, the channel and the kind of error.
        logger.warning("digest via %s failed for user %s: %s", channel, user.pk, error)
        DigestSent.objects.filter(pk=row.pk).update(claimed_at=None)
        run.failed += 1
        return
    DigestSent.objects.filter(pk=row.pk).update(sent_at=now)
    run.sent += 1


def digests_send(*, now: datetime | None = None) -> DigestRun:
    """Sends each user's digest of today once, at or after the user's time (Asia/Shanghai):
    the page always, email and WeCom when chosen. A digest with nothing due sends nothing."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    day = local.date()
    done = selectors.sent_today(day)
    run = DigestRun()
    for user in selectors.digest_candidates():
        preference = selectors.preference_of(user)
        if local.time() < preference.send_at:
            continue
        area_channel = selectors.channel_of(user)
        webhook = area_channel.wecom_webhook if area_channel else ""
        wanted = [Channel.PAGE.value]
        if preference.by_email and user.email:
            wanted.append(Channel.EMAIL.value)
        if preference.by_wecom and webhook:
            wanted.append(Channel.WECOM.value)
        todo = [channel for channel in wanted if (user.pk, channel) not in done]
        if not todo:
            continue
        digest = selectors.digest_for(user, now)
        run.users += 1
        if digest.is_empty:
            run.empty += 1
        for channel in todo:
            if channel == Channel.PAGE:
                run.sent += _send_page(user=user, digest=digest, now=now)
            else:
                _send_outside(
                    channel=channel, user=user, digest=digest, webhook=webhook, now=now, run=run
                )
    return run


# --- escalation 上报 -----------------------------------------------------------------------------


def _after() -> int:
    return int(settings.JINLIN.get("ESCALATE_AFTER_WORKING_DAYS", 2))


def _more() -> int:
    return int(settings.JINLIN.get("ESCALATE_TO_SUBDISTRICT_WORKING_DAYS", 3))


def _escalate_action(
    *, action: CaseAction, level: str, told: list[User], reason: str, now: datetime
) -> Escalation | None:
    try:
        with transaction.atomic():
            step = Escalation.objects.create(action=action, level=level, at=now, reason=reason)
            step.told.set(told)
            case_record_escalation(
                action=action, told=told, reason=reason, level_label=Level(level).label
            )
            link = (
                reverse("fieldwork_case", args=[action.case_id])
                if level == Level.SECRETARY
                else reverse("fieldwork_dashboard", args=[action.case.area_id])
            )
            _tell(
                told,
                title=f"上报：个案 #{action.case_id}（{action.case.area}）{reason}",
                link=link,
                key=f"escalation:action:{action.pk}:{level}",
            )
    except IntegrityError:
        return None  # another run took this step
    return step


def _escalate_concern(
    *, concern: Concern, level: str, told: list[User], reason: str, now: datetime
) -> Escalation | None:
    try:
        with transaction.atomic():
            step = Escalation.objects.create(concern=concern, level=level, at=now, reason=reason)
            step.told.set(told)
            link = (
                reverse("fieldwork_concern", args=[concern.pk])
                if level == Level.SECRETARY
                else reverse("fieldwork_dashboard", args=[concern.area_id])
            )
            _tell(
                told,
                title=f"上报：民声诉求 #{concern.pk}（{concern.area}）{reason}",
                link=link,
                key=f"escalation:concern:{concern.pk}:{level}",
            )
    except IntegrityError:
        return None
    return step


def escalations_run(*, now: datetime | None = None) -> list[Escalation]:
    """An open case action overdue by JINLIN_ESCALATE_AFTER_WORKING_DAYS working days, or a door
    concern unanswered past its reply deadline, goes to the area's secretary; after
    JINLIN_ESCALATE_TO_SUBDISTRICT_WORKING_DAYS more working days (0: never), to the
    subdistrict's admins. Each step once. Returns the steps taken now."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    after, more = _after(), _more()
    actions = selectors.overdue_actions(day)
    concerns = selectors.unanswered_concerns(now)
    done = selectors.escalated_steps([a.pk for a in actions], [c.pk for c in concerns])
    areas = {a.case.area for a in actions} | {c.area for c in concerns}
    secretaries = selectors.secretaries_by_area({area.pk for area in areas})
    admins = selectors.admins_by_subdistrict({area.subdistrict_id for area in areas})
    taken: list[Escalation] = []

    for action in actions:
        levels = [Level.SECRETARY] + ([Level.SUBDISTRICT] if more > 0 else [])
        if all(("action", action.pk, level) in done for level in levels):
            continue  # every step taken: nothing to count
        first_day = add_working_days(action.due_on, after)
        if day < first_day:
            continue
        reason = (
            f"措施逾期 {working_days_after(action.due_on, day)} 个工作日"
            f"（期限 {action.due_on:%Y-%m-%d}）"
        )
        steps = [(Level.SECRETARY, first_day, secretaries.get(action.case.area_id, []))]
        if more > 0:
            steps.append(
                (
                    Level.SUBDISTRICT,
                    add_working_days(first_day, more),
                    admins.get(action.case.area.subdistrict_id, []),
                )
            )
        for level, from_day, told in steps:
            if day >= from_day and ("action", action.pk, level) not in done:
                step = _escalate_action(
                    action=action, level=level, told=told, reason=reason, now=now
                )
                if step is not None:
                    taken.append(step)

    local_now = timezone.localtime(now)
    for concern in concerns:
        levels = [Level.SECRETARY] + ([Level.SUBDISTRICT] if more > 0 else [])
        if all(("concern", concern.pk, level) in done for level in levels):
            continue
        deadline = reply_deadline(timezone.localtime(concern.received_at))
        if local_now < deadline:
            continue
        reason = f"超过答复期限（{deadline:%Y-%m-%d %H:%M}）仍未回复居民"
        concern_steps = [(Level.SECRETARY, secretaries.get(concern.area_id, []))]
        if more > 0 and day >= add_working_days(deadline.date(), more):
            concern_steps.append((Level.SUBDISTRICT, admins.get(concern.area.subdistrict_id, [])))
        for level, told in concern_steps:
            if ("concern", concern.pk, level) not in done:
                step = _escalate_concern(
                    concern=concern, level=level, told=told, reason=reason, now=now
                )
                if step is not None:
                    taken.append(step)
    return taken


def reminders_run(*, now: datetime | None = None) -> tuple[DigestRun, list[Escalation]]:
    """One run of both: what the periodic task and `jinlin reminders run` do."""
    now = now or timezone.now()
    return digests_send(now=now), escalations_run(now=now)


def _tell(told: list[User], *, title: str, link: str, key: str) -> None:
    for user in told:
        notify(user=user, kind="escalation", title=title, link=link, key=key)
