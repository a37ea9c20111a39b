"""Kept figures of the overviews: one day's counts of an area at the revision they were
computed from (overview.figures); recomputed when the area's revision or the day moves on."""

from __future__ import annotations

from django.db import models

from jinlin.places.models import KeptForArea


class AreaFigures(KeptForArea):
    figures = models.JSONField("数字")

    class Meta:
        verbose_name = "居民区概况数字"
        verbose_name_plural = "居民区概况数字"
