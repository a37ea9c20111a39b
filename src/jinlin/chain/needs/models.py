"""Needs the committee publishes (服务需求) and the members' claims on them (认领).

Nothing here is ever deleted: a need is withdrawn (撤回), a claim withdrawn or declined; the done
claims are the record of hours served that the 双报到 reports count.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

TITLE_MAX = 60
DESCRIPTION_MAX = 500
PLACE_MAX = 60
NOTE_MAX = 200
PEOPLE_MIN, PEOPLE_MAX = 1, 50
HOURS_MIN, HOURS_MAX = Decimal("0.5"), Decimal("24")


class Need(models.Model):
    """帮独居老人买菜, 楼道清理, 陪同就医 …: where, when, for how long, how many people."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("需求", max_length=TITLE_MAX)
    description = models.TextField("说明", max_length=DESCRIPTION_MAX, blank=True)
    place = models.CharField("地点", max_length=PLACE_MAX)
    starts_at = models.DateTimeField("时间")
    hours = models.DecimalField("预计时长（小时/人）", max_digits=3, decimal_places=1)
    people_needed = models.PositiveSmallIntegerField("需要人数")
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
        verbose_name = "服务需求"
        verbose_name_plural = "服务需求"
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["area", "starts_at"])]

    def __str__(self) -> str:
        return self.title


class ClaimStatus(models.TextChoices):
    CLAIMED = "claimed", "已认领"
    CONFIRMED = "confirmed", "已确认"
    DECLINED = "declined", "未采纳"
    WITHDRAWN = "withdrawn", "已撤回"
    DONE = "done", "已完成"


# The claims that take a place of a need's `people_needed`.
HOLDING_PLACE = (ClaimStatus.CLAIMED, ClaimStatus.CONFIRMED, ClaimStatus.DONE)


class NeedClaim(models.Model):
    """A member's claim on a need. One claim per member and need unless withdrawn (a member
    who withdrew may claim again; one the committee declined may not)."""

    need = models.ForeignKey(
        Need, verbose_name="服务需求", on_delete=models.PROTECT, related_name="claims"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="认领人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "状态", max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.CLAIMED
    )
    claimed_at = models.DateTimeField("认领时间", default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="确认或不采纳的居委会工作人员",
    )
    decided_at = models.DateTimeField("确认时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_note = models.CharField("完成情况", max_length=NOTE_MAX, blank=True)
    hours_served = models.DecimalField(
        "服务时长（小时）", max_digits=3, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = "认领"
        verbose_name_plural = "认领"
        ordering = ["claimed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["need", "member"],
                condition=~Q(status="withdrawn"),
                name="need_claim_once_per_member",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(hours_served__isnull=False),
                name="need_claim_done_has_hours",
            ),
        ]
        indexes = [models.Index(fields=["member", "status"])]

    def __str__(self) -> str:
        return f"{self.need_id}:{self.member_id}={self.status}"
