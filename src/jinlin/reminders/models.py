"""Who wants the daily digest 每日提醒 when and where, the area's WeCom robot, and the rows that
make each digest and each escalation 上报 happen once."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

DEFAULT_DIGEST_TIME = time(8, 0)


class DigestPreference(models.Model):
    """A user's digest: at what time of day (Asia/Shanghai) and by which channels beyond the
    page (the notification centre always gets it). No row: 08:00, the page only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    send_at = models.TimeField("每日提醒时间", default=DEFAULT_DIGEST_TIME)
    by_email = models.BooleanField("同时发送邮件", default=False)
    by_wecom = models.BooleanField("同时发到居民区企业微信群", default=False)

    class Meta:
        verbose_name = "每日提醒设置"
        verbose_name_plural = "每日提醒设置"

    def __str__(self) -> str:
        return f"{self.user_id} {self.send_at:%H:%M}"


class AreaChannel(models.Model):
    """An area's WeCom (企业微信) group robot: the webhook its secretary pasted in."""

    area = models.OneToOneField(
        "places.Area", on_delete=models.CASCADE, related_name="reminder_channel"
    )
    wecom_webhook = models.URLField("企业微信群机器人地址", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "居民区提醒渠道"
        verbose_name_plural = "居民区提醒渠道"

    def __str__(self) -> str:
        return f"area {self.area_id}"


class Channel(models.TextChoices):
    PAGE = "page", "站内通知"
    EMAIL = "email", "邮件"
    WECOM = "wecom", "企业微信"


class DigestSent(models.Model):
    """One user's digest of one day on one channel. Claimed (row created) before sending, marked
    sent after: a run killed in between leaves an unsent claim that a later run takes over once it
    is stale; a sent row is never sent again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    on = models.DateField("日期")
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    was_empty = models.BooleanField(default=False)  # nothing was due: nothing was sent
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "每日提醒发送记录"
        verbose_name_plural = "每日提醒发送记录"
        constraints = [
            models.UniqueConstraint(fields=["user", "on", "channel"], name="digest_once_a_day"),
        ]
        indexes = [models.Index(fields=["on", "user"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.on} {self.channel}"


class Level(models.TextChoices):
    SECRETARY = "secretary", "居民区书记/主任"
    SUBDISTRICT = "subdistrict", "街道/镇"


class Escalation(models.Model):
    """One step of an escalation 上报: an overdue case action or an unanswered concern told to
    the area's secretary, then to the subdistrict. One row per thing and step."""

    action = models.ForeignKey(
        "fieldwork.CaseAction", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    concern = models.ForeignKey(
        "fieldwork.Concern", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField("上报至", max_length=12, choices=Level.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    reason = models.CharField("原因", max_length=200)
    told = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="已通知", blank=True)

    class Meta:
        verbose_name = "上报"
        verbose_name_plural = "上报"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__isnull=False, concern__isnull=True)
                | Q(action__isnull=True, concern__isnull=False),
                name="escalation_of_one_thing",
            ),
            models.UniqueConstraint(
                fields=["action", "level"],
                condition=Q(action__isnull=False),
                name="escalation_action_once",
            ),
            models.UniqueConstraint(
                fields=["concern", "level"],
                condition=Q(concern__isnull=False),
                name="escalation_concern_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.reason}"
