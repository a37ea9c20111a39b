"""楼组活动: what a building's people did together (互助, 卫生, 调解, 新风), and its photos.

Never deleted: a mistaken record is withdrawn with a reason and stays in the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

SUMMARY_MAX = 500
WITHDRAW_REASON_MAX = 200
RESIDENT_COUNT_MAX = 999


class ActivityKind(models.TextChoices):
    MUTUAL_HELP = "mutual_help", "互助"
    HYGIENE = "hygiene", "卫生"
    MEDIATION = "mediation", "调解"
    NEW_CUSTOMS = "new_customs", "新风"


class BuildingActivity(models.Model):
    """One activity of a building, recorded by a 楼组长, a Party member or the committee."""

    building = models.ForeignKey(
        "places.Building", verbose_name="楼组", on_delete=models.PROTECT, related_name="activities"
    )
    area = models.ForeignKey(
        "places.Area",
        verbose_name="居民区",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    kind = models.CharField("类别", max_length=16, choices=ActivityKind.choices)
    held_on = models.DateField("活动日期")
    summary = models.TextField("做了什么", max_length=SUMMARY_MAX)
    party_members = models.ManyToManyField(
        "party.PartyMember", verbose_name="参加的党员", blank=True, related_name="+"
    )
    residents = models.ManyToManyField(
        "people.Resident", verbose_name="参加的居民", blank=True, related_name="+"
    )
    resident_count = models.PositiveIntegerField(
        "参加居民约多少人", default=0, help_text="没有逐一记名时填大约人数"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", default=timezone.now)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_reason = models.CharField("撤回原因", max_length=WITHDRAW_REASON_MAX, blank=True)

    class Meta:
        verbose_name = "楼组活动"
        verbose_name_plural = "楼组活动"
        ordering = ["-held_on", "-id"]
        indexes = [
            models.Index(fields=["building", "-held_on"]),
            models.Index(fields=["area", "held_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.get_kind_display()}"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded on upload (fieldwork.photos: no EXIF, no GPS)."""

    activity = models.ForeignKey(BuildingActivity, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField("照片", upload_to="chain/activities/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "楼组活动照片"
        verbose_name_plural = "楼组活动照片"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"照片 #{self.pk}"
