"""闻 Listen: what residents bring 民声诉求, by channel, with the words and the real need."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin


class Channel(models.TextChoices):
    OFFICE = "office", "来访"
    PHONE = "phone", "电话"
    HOME_VISIT = "home_visit", "入户"
    ONLINE = "online", "网上"
    BUILDING_LEADER = "building_leader", "楼组长转达"
    # Passed on by a network member from its phone (chain.Contact): the worker fills the real need.
    PARTY_MEMBER = "party_member", "党员转达"


class ConcernScope(models.TextChoices):
    FAMILY = "family", "家庭事"
    COMMUNITY = "community", "社区事"


class Subcategory(models.TextChoices):
    NEIGHBOUR_DISPUTE = "neighbour_dispute", "邻里纠纷"
    FAMILY_CONFLICT = "family_conflict", "家庭矛盾"
    PROPERTY = "property", "物业管理"
    ENVIRONMENT = "environment", "环境卫生"
    SAFETY = "safety", "安全隐患"
    FACILITIES = "facilities", "设施维修"
    PARKING = "parking", "停车"
    ELDERLY_CARE = "elderly_care", "养老服务"
    EMPLOYMENT = "employment", "就业"
    HEALTH = "health", "医疗健康"
    HARDSHIP = "hardship", "生活困难"
    EDUCATION = "education", "教育"
    PARTY_WORK = "party_work", "党建工作"
    OTHER = "other", "其他"


class Urgency(models.TextChoices):
    NORMAL = "normal", "一般"
    URGENT = "urgent", "紧急"
    CRITICAL = "critical", "特急"


class Concern(PlaceMixin):
    """What a resident brought 民声诉求: the words as said and the real need as understood."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="居民",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("渠道", max_length=20, choices=Channel.choices)
    scope = models.CharField("性质", max_length=10, choices=ConcernScope.choices)
    subcategory = models.CharField("类别", max_length=20, choices=Subcategory.choices)
    words = models.TextField("原话")
    real_need = models.TextField("真正诉求", blank=True)
    urgency = models.CharField(
        "紧急程度", max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    received_at = models.DateTimeField("受理时间", default=timezone.now)
    # By name: a concern may come from a visit, but concerns do not import the visits part.
    visit = models.ForeignKey(
        "fieldwork.Visit",
        verbose_name="入户走访",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "民声诉求"
        verbose_name_plural = "民声诉求"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["area", "received_at"]),
            models.Index(fields=["compound", "received_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_subcategory_display()}：{(self.real_need or self.words)[:30]}"

    @property
    def is_anonymous(self) -> bool:
        return self.resident_id is None and self.household_id is None
