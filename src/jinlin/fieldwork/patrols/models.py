"""望 Observe: patrols through a compound, their findings and photos, collection points."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jinlin.fieldwork.common.models import PlaceMixin


class Severity(models.TextChoices):
    NONE = "none", "无隐患"
    LOW = "low", "轻微"
    MEDIUM = "medium", "一般"
    HIGH = "high", "严重"


SEVERITY_RANK = {Severity.NONE: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}


class FindingKind(models.TextChoices):
    HAZARD = "hazard", "安全隐患"
    FACILITY = "facility", "安全设施"
    GARBAGE = "garbage", "垃圾分类"


class FindingCategory(models.TextChoices):
    """SPEC "望 Observe": hazards, the state of safety facilities, garbage sorting."""

    STAIRWELL_CLUTTER = "stairwell_clutter", "楼道堆物"
    FLYING_LEAD = "flying_lead", "飞线充电/电动车室内充电"
    FIRE_LANE = "fire_lane", "消防通道堵塞"
    FALLING_OBJECTS = "falling_objects", "高空坠物隐患"
    ILLEGAL_STRUCTURE = "illegal_structure", "违章搭建"
    OTHER_HAZARD = "other_hazard", "其他隐患"
    EXTINGUISHER = "extinguisher", "灭火器"
    HYDRANT = "hydrant", "消火栓"
    CAMERA = "camera", "监控探头"
    DOOR_ACCESS = "door_access", "门禁"
    LIGHTS = "lights", "楼道照明"
    LIFT = "lift", "电梯"
    GARBAGE_SORTING = "garbage_sorting", "垃圾分类"


HAZARD_CATEGORIES = frozenset(
    {
        FindingCategory.STAIRWELL_CLUTTER,
        FindingCategory.FLYING_LEAD,
        FindingCategory.FIRE_LANE,
        FindingCategory.FALLING_OBJECTS,
        FindingCategory.ILLEGAL_STRUCTURE,
        FindingCategory.OTHER_HAZARD,
    }
)


FACILITY_CATEGORIES = frozenset(
    {
        FindingCategory.EXTINGUISHER,
        FindingCategory.HYDRANT,
        FindingCategory.CAMERA,
        FindingCategory.DOOR_ACCESS,
        FindingCategory.LIGHTS,
        FindingCategory.LIFT,
    }
)


def finding_kind(category: str) -> str:
    if category in HAZARD_CATEGORIES:
        return FindingKind.HAZARD
    if category in FACILITY_CATEGORIES:
        return FindingKind.FACILITY
    return FindingKind.GARBAGE


class FacilityState(models.TextChoices):
    OK = "ok", "完好"
    DAMAGED = "damaged", "损坏"
    MISSING = "missing", "缺失"
    EXPIRED = "expired", "过期/失效"


class CollectionPoint(models.Model):
    """A garbage collection point 垃圾投放点 of a compound."""

    area = models.ForeignKey(
        "places.Area", verbose_name="居民区", on_delete=models.PROTECT, related_name="+"
    )
    compound = models.ForeignKey(
        "places.Compound",
        verbose_name="小区",
        on_delete=models.PROTECT,
        related_name="collection_points",
    )
    name = models.CharField("名称", max_length=50)
    is_active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "垃圾投放点"
        verbose_name_plural = "垃圾投放点"
        ordering = ["compound_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["compound", "name"], name="collection_point_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Patrol(PlaceMixin):
    """A walk through a compound 巡查, recording findings."""

    patrolled_on = models.DateField("巡查日期")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="巡查人",
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    notes = models.TextField("备注", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    class Meta:
        verbose_name = "巡查"
        verbose_name_plural = "巡查"
        ordering = ["-patrolled_on", "-id"]
        indexes = [models.Index(fields=["area", "patrolled_on"])]

    def __str__(self) -> str:
        return f"{self.patrolled_on:%Y-%m-%d} 巡查"


class Finding(PlaceMixin):
    """One thing a patrol found: a hazard, a facility's state, or a collection point's sorting."""

    patrol = models.ForeignKey(
        Patrol, verbose_name="巡查", on_delete=models.PROTECT, related_name="findings"
    )
    found_on = models.DateField("发现日期")
    kind = models.CharField("类型", max_length=10, choices=FindingKind.choices, editable=False)
    category = models.CharField("类别", max_length=30, choices=FindingCategory.choices)
    place = models.CharField("位置", max_length=100, help_text="如：12号楼2楼楼道、南门消防通道")
    severity = models.CharField(
        "严重程度", max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    facility_state = models.CharField(
        "设施状态", max_length=10, choices=FacilityState.choices, blank=True
    )
    collection_point = models.ForeignKey(
        CollectionPoint,
        verbose_name="垃圾投放点",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    is_up_to_standard = models.BooleanField("分类达标", null=True, blank=True)
    description = models.TextField("情况描述", blank=True)
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    # A hazard or a broken facility is open until someone confirms it mended (a broken lamp is
    # tracked until it is fixed, with or without a case).
    fixed_at = models.DateTimeField("确认修复时间", null=True, blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    fixed_note = models.CharField("修复情况", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"
        ordering = ["-found_on", "-id"]
        indexes = [
            models.Index(fields=["area", "found_on"]),
            models.Index(fields=["collection_point", "found_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.place}"

    @property
    def is_problem(self) -> bool:
        return self.severity != Severity.NONE

    @property
    def needs_fixing(self) -> bool:
        """A hazard or a facility found wanting: it has a state, open until confirmed fixed (a
        garbage-sorting check is a measurement, not a thing to mend)."""
        return self.is_problem and self.kind in (FindingKind.HAZARD, FindingKind.FACILITY)

    @property
    def is_open(self) -> bool:
        return self.needs_fixing and self.fixed_at is None


class FindingPhoto(models.Model):
    """A photo of a finding, re-encoded on upload (no EXIF, so no GPS position)."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="photos")
    image = models.FileField("照片", upload_to="fieldwork/findings/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "巡查照片"
        verbose_name_plural = "巡查照片"

    def __str__(self) -> str:
        return f"照片 #{self.pk}"
