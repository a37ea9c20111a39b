"""Notices sent down the chain and, for each household, whether and how it was told; members'
contacts. The 楼组 activities (chain.activities.models) and the 双报到 needs list
(chain.needs.models) live in their own packages and are named here so that Django sees them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jinlin.chain.activities.models import ActivityKind, ActivityPhoto, BuildingActivity
from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim

__all__ = [
    "CONTACT_NOTE_MAX",
    "CONTACT_PASSED_ON_MAX",
    "CONTACT_WAYS",
    "ActivityKind",
    "ActivityPhoto",
    "BuildingActivity",
    "ClaimStatus",
    "Contact",
    "Need",
    "NeedClaim",
    "Notice",
    "Reach",
]


class Notice(models.Model):
    """停水, 疫苗接种, 防汛 …: sent by the committee or a branch to the whole area, or to some
    compounds, buildings or Party groups; every household in reach should be told."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=60)
    body = models.TextField("内容", max_length=2000)
    compounds = models.ManyToManyField(
        "places.Compound", verbose_name="小区", blank=True, related_name="+"
    )
    buildings = models.ManyToManyField(
        "places.Building", verbose_name="楼组", blank=True, related_name="+"
    )
    groups = models.ManyToManyField(
        "party.PartyOrganisation", verbose_name="党小组", blank=True, related_name="+"
    )
    is_public = models.BooleanField(
        "公开", default=False, help_text="公开的通知也出现在楼组的扫码页上"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("发布时间", default=timezone.now)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class Reach(models.Model):
    """How a household was told of a notice (or that it could not be reached), by whom."""

    class How(models.TextChoices):
        IN_PERSON = "in_person", "当面"
        PHONE = "phone", "电话"
        WECHAT = "wechat", "微信"
        POSTED = "posted", "张贴"
        UNREACHABLE = "unreachable", "联系不上"

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reaches")
    household = models.ForeignKey(
        "places.Household", verbose_name="户", on_delete=models.PROTECT, related_name="+"
    )
    how = models.CharField("方式", max_length=12, choices=How.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="传达人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    marked_at = models.DateTimeField("传达时间", default=timezone.now)

    class Meta:
        verbose_name = "通知传达"
        verbose_name_plural = "通知传达"
        constraints = [
            models.UniqueConstraint(fields=["notice", "household"], name="reach_once_per_household")
        ]

    def __str__(self) -> str:
        return f"{self.notice_id}:{self.household_id}={self.how}"


# How a member contacts a household: the notices' ways, less 张贴 and 联系不上.
CONTACT_WAYS = (Reach.How.IN_PERSON, Reach.How.PHONE, Reach.How.WECHAT)
CONTACT_NOTE_MAX = 200
CONTACT_PASSED_ON_MAX = 500


class Contact(models.Model):
    """A network member's contact with one of its households (记一次联系); what it was asked
    to pass on becomes a concern for the worker (fieldwork, channel 党员转达)."""

    household = models.ForeignKey(
        "places.Household", verbose_name="户", on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="联络员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    contacted_on = models.DateField("联系日期", default=timezone.localdate)
    how = models.CharField(
        "方式", max_length=12, choices=[(way.value, way.label) for way in CONTACT_WAYS]
    )
    note = models.CharField("备注", max_length=CONTACT_NOTE_MAX, blank=True)
    passed_on = models.TextField("需要转达的事", max_length=CONTACT_PASSED_ON_MAX, blank=True)
    concern = models.ForeignKey(
        "fieldwork.Concern",
        verbose_name="转达的诉求",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["member", "household", "-contacted_on"])]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_how_display()}"
