"""问 Ask: consultations of the think tank 智囊团 (三老, 社区能人)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin

THINK_TANK_GROUPS = ("retired_cadre", "model_worker", "veteran_member", "talent")


class Consultation(PlaceMixin):
    """Asking a member of the think tank 智囊团 (三老, 社区能人) for advice."""

    class Topic(models.TextChoices):
        PARTY_WORK = "party_work", "党建工作"
        COMMUNITY = "community", "社区治理"

    veteran = models.ForeignKey(
        "people.Resident", verbose_name="咨询对象", on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField("议题", max_length=20, choices=Topic.choices)
    question = models.TextField("咨询事项")
    advice = models.TextField("意见建议")
    follow_up = models.TextField("后续跟进", blank=True)
    is_agenda_item = models.BooleanField("列入议事", default=False)
    asked_on = models.DateField("咨询日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "三老咨询"
        verbose_name_plural = "三老咨询"
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asked_on:%Y-%m-%d} {self.get_topic_display()}咨询"
