"""问/望: visits to households, their intervals per group, and proposed record updates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin
from jinlin.people.groups import GROUPS
from jinlin.places.models import KeptForArea

VISITING_GROUP_CHOICES = [
    (str(kind.code), kind.label) for kind in GROUPS.values() if kind.default_visit_days is not None
]


class VisitMode(models.TextChoices):
    IN_PERSON = "in_person", "入户"
    PHONE = "phone", "电话"


class Condition(models.TextChoices):
    GOOD = "good", "良好"
    FAIR = "fair", "一般"
    POOR = "poor", "较差"
    URGENT = "urgent", "需紧急关注"


class VisitInterval(models.Model):
    """An area's own visit interval for one group; without a row the SPEC default applies."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.CASCADE, related_name="+"
    )
    # A built-in visiting group (VISITING_GROUP_CHOICES) or an area's own group with a visit
    # interval (people.GroupDefinition); the services check which.
    group = models.CharField("群体", max_length=30)
    days = models.PositiveSmallIntegerField("走访周期（天）")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField("设置时间", default=timezone.now)

    class Meta:
        verbose_name = "走访周期"
        verbose_name_plural = "走访周期"
        constraints = [
            models.UniqueConstraint(fields=["area", "group"], name="visit_interval_unique"),
            models.CheckConstraint(
                condition=Q(days__gte=1) & Q(days__lte=365), name="visit_interval_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{dict(VISITING_GROUP_CHOICES).get(self.group, self.group)}：每{self.days}天"


class Visit(PlaceMixin):
    """A visit to a household 走访: in person (入户走访, 望) or by phone; logs care visits (问)."""

    household = models.ForeignKey(
        "places.Household",
        verbose_name="户",
        on_delete=models.PROTECT,
        related_name="fieldwork_visits",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name="走访对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField("走访日期")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="走访人",
        on_delete=models.PROTECT,
        related_name="visits",
    )
    mode = models.CharField(
        "方式", max_length=10, choices=VisitMode.choices, default=VisitMode.IN_PERSON
    )
    condition = models.CharField(
        "状况", max_length=10, choices=Condition.choices, default=Condition.GOOD
    )
    family_situation = models.TextField("家庭情况", blank=True)
    health = models.TextField("健康情况", blank=True)
    living_habits = models.TextField("生活习惯", blank=True)
    needs = models.TextField("需求", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "走访记录"
        verbose_name_plural = "走访记录"
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["household", "visited_on"]),
            models.Index(fields=["area", "visited_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_mode_display()}走访"


class ProposalField(models.TextChoices):
    """Fields of a resident's record a visit may propose to change."""

    PHONE = "phone", "联系电话"
    HEALTH = "health", "健康状况"
    HEALTH_NOTES = "health_notes", "健康备注"
    EMPLOYER = "employer", "工作单位/原单位"
    OCCUPATION = "occupation", "职业"
    IS_RETIRED = "is_retired", "已退休"
    RESIDENCE_STATUS = "residence_status", "居住状态"
    HOBBIES = "hobbies", "兴趣爱好"
    NOTES = "notes", "备注"


SENSITIVE_PROPOSAL_FIELDS = frozenset(
    {ProposalField.PHONE, ProposalField.HEALTH, ProposalField.HEALTH_NOTES}
)


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已采纳"
    REJECTED = "rejected", "未采纳"


class RecordProposal(PlaceMixin):
    """A change to a resident's record proposed during a visit, for someone who may edit it."""

    visit = models.ForeignKey(
        Visit, verbose_name="走访", on_delete=models.PROTECT, related_name="proposals"
    )
    resident = models.ForeignKey(
        "people.Resident", verbose_name="居民", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField("字段", max_length=20, choices=ProposalField.choices)
    value = models.JSONField("建议值")
    reason = models.CharField("理由", max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField("提出时间", default=timezone.now)
    status = models.CharField(
        "状态", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)

    class Meta:
        verbose_name = "档案更新建议"
        verbose_name_plural = "档案更新建议"
        ordering = ["-proposed_at", "-id"]
        indexes = [models.Index(fields=["area", "status"])]

    def __str__(self) -> str:
        return f"{self.get_field_display()}（{self.get_status_display()}）"


class KeptDues(KeptForArea):
    """An area's care visits due on a day, as computed at its revision (places.figures): 今日,
    the dashboard and the overviews read them until a write moves the area or the day turns
    (visits/selectors.py, kept_area_dues)."""

    # One list per household due: [household, due_on, days_overdue, reason group, interval,
    # groups, residents, last visit, compound, building] (visits/selectors.py).
    dues = models.JSONField("应走访")

    class Meta:
        verbose_name = "居民区应走访（留存）"
        verbose_name_plural = "居民区应走访（留存）"
