"""What every fieldwork record shares: where it belongs."""

from __future__ import annotations

from django.db import models


class PlaceMixin(models.Model):
    """Where a record belongs, denormalised for access filters (core.access.Scope.q)."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name="小区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    building = models.ForeignKey(
        "places.Building",
        verbose_name="楼组",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True
