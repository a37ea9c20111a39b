"""Kept figures of the overviews: one day's counts of an area at the revision they were
computed from (overview.figures); recomputed when the area's revision or the day moves on."""

from __future__ import annotations

from django.db import models


class AreaFigures(models.Model):
    area = models.OneToOneField(
        "places.Area", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField("日期")
    revision = models.PositiveBigIntegerField("修订号")
    figures = models.JSONField("数字")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "居民区概况数字"
        verbose_name_plural = "居民区概况数字"

    def __str__(self) -> str:
        return f"{self.area_id} {self.day} #{self.revision}"
