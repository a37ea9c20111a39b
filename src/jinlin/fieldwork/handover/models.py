"""转交 records: who handed which open cases and concerns (and which patch) to whom, and why.

A case's timeline also says it (CaseEvent 转交); a concern has no timeline of its own, so its
handovers are read from here (its 转交记录). Append-only, as the audit log is.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Reassignment(models.Model):
    """One act of 转交 by the area secretary: one item, or all a leaving worker's open work."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    # The leaving worker of a whole handover; None when single items of any owner moved.
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="原负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接手人",
        on_delete=models.PROTECT,
        related_name="reassignments_received",
    )
    reason = models.CharField("转交原因", max_length=200)
    actions_moved = models.PositiveIntegerField("转交的未完成措施", default=0)
    # The names of the compounds and buildings of the patch that moved, as they were then.
    patch_places = models.JSONField("转交的包片", default=list, blank=True)

    class Meta:
        verbose_name = "转交"
        verbose_name_plural = "转交"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["to_user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} → {self.to_user_id}"


class ReassignedItem(models.Model):
    """One case or concern of a 转交, with its owner before."""

    reassignment = models.ForeignKey(Reassignment, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey(
        "fieldwork.Case",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reassignments",
    )
    concern = models.ForeignKey(
        "fieldwork.Concern",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reassignments",
    )
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="原负责人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "转交事项"
        verbose_name_plural = "转交事项"
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, concern__isnull=True)
                | Q(case__isnull=True, concern__isnull=False),
                name="reassigned_item_exactly_one",
            )
        ]

    def __str__(self) -> str:
        return f"转交 #{self.reassignment_id}"
