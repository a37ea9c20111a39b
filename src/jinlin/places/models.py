"""The places of the registry: district … household, and building/compound adjacency."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

MSG_ADJACENT_SELF = "楼组不能与自身相邻"
MSG_ADJACENT_OTHER_COMPOUND = "只有同一小区的楼组之间才能设置相邻关系"
MSG_COMPOUND_ADJACENT_OTHER_AREA = "只有同一居民区的小区之间才能设置相邻关系"
MSG_COMPOUND_ADJACENT_SELF = "小区不能与自身相邻"

_LEADING_NUMBER = re.compile(r"\d+")


def natural_key(text: str) -> tuple[int, str]:
    """Sort 2号楼 before 10号楼."""
    match = _LEADING_NUMBER.search(text or "")
    return (int(match.group()) if match else 10**9, text or "")


class District(models.Model):
    name = models.CharField("区", max_length=50, unique=True)

    class Meta:
        verbose_name = "区"
        verbose_name_plural = "区"

    def __str__(self) -> str:
        return self.name


class Subdistrict(models.Model):
    district = models.ForeignKey(District, verbose_name="区", on_delete=models.PROTECT)
    name = models.CharField("街道/镇", max_length=50)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = "街道/镇"
        verbose_name_plural = "街道/镇"
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="subdistrict_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="街道/镇", on_delete=models.PROTECT)
    name = models.CharField("居民区", max_length=50)
    code = models.SlugField("代码", max_length=40, unique=True, help_text="命令行与导入使用的代码")

    class Meta:
        verbose_name = "居民区"
        verbose_name_plural = "居民区"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaRevision(models.Model):
    """A number that grows with every write changing an area's counts (places.figures): the
    overview keeps a day's figures per area at a revision and recomputes only areas that moved."""

    area = models.OneToOneField(
        Area, primary_key=True, on_delete=models.CASCADE, related_name="+", verbose_name="居民区"
    )
    number = models.PositiveBigIntegerField("修订号", default=0)

    class Meta:
        verbose_name = "居民区数据修订号"
        verbose_name_plural = "居民区数据修订号"

    def __str__(self) -> str:
        return f"{self.area_id}#{self.number}"


class KeptForArea(models.Model):
    """What an area keeps for a day, as computed at its revision (places.figures,
    kept_for_areas): the overview's figures, the care visits due. Derived data, safe to delete."""

    area = models.OneToOneField(Area, primary_key=True, on_delete=models.CASCADE, related_name="+")
    day = models.DateField("日期")
    revision = models.PositiveBigIntegerField("修订号")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.area_id} {self.day} #{self.revision}"


class Compound(models.Model):
    area = models.ForeignKey(
        Area, verbose_name="居民区", on_delete=models.PROTECT, related_name="compounds"
    )
    name = models.CharField("小区", max_length=50)

    class Meta:
        verbose_name = "小区"
        verbose_name_plural = "小区"
        ordering = ["area_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="compound_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Adjacency(models.Model):
    """Two places of one parent side by side, stored once with the lower id first. The twin
    tables (compounds of an area, buildings of a compound) each name their `first` and
    `second`, their constraints and the parent both must share."""

    parent_field: str  # the field both places must share ("area_id", "compound_id")
    msg_self: str
    msg_other_parent: str

    first_id: int
    second_id: int

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.first_id}–{self.second_id}"

    def clean(self) -> None:
        if self.first_id == self.second_id:
            raise ValidationError(self.msg_self)
        first, second = self.first, self.second  # type: ignore[attr-defined]  # each twin declares them
        if getattr(first, self.parent_field) != getattr(second, self.parent_field):
            raise ValidationError(self.msg_other_parent)


class CompoundAdjacency(Adjacency):
    """Two compounds of one area side by side (for joint Party branches)."""

    parent_field = "area_id"
    msg_self = MSG_COMPOUND_ADJACENT_SELF
    msg_other_parent = MSG_COMPOUND_ADJACENT_OTHER_AREA

    first = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Compound, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "小区相邻关系"
        verbose_name_plural = "小区相邻关系"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="compound_adjacency_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="compound_adjacency_ordered"
            ),
        ]


class Building(models.Model):
    """A 楼组: one 号楼, or one stairwell 门洞 of it."""

    compound = models.ForeignKey(
        Compound, verbose_name="小区", on_delete=models.PROTECT, related_name="buildings"
    )
    number = models.CharField("楼号", max_length=20)
    stairwell = models.CharField("门洞", max_length=20, blank=True)
    sort_key = models.IntegerField(default=0, editable=False)
    # The key of the building's public page /b/<token>/ (the QR code on its 亮身份 placard):
    # random, made when first asked for, replaced when a placard's code is abused.
    public_token = models.CharField(
        "公开页令牌", max_length=32, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = "楼组"
        verbose_name_plural = "楼组"
        ordering = ["compound_id", "sort_key", "number", "stairwell"]
        constraints = [
            models.UniqueConstraint(
                fields=["compound", "number", "stairwell"], name="building_unique_number"
            )
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs):
        self.keep_sort_key()
        super().save(*args, **kwargs)

    def keep_sort_key(self) -> None:
        """12号 before 101号: set by save, and by whoever writes buildings in bulk."""
        self.sort_key = natural_key(self.number)[0]

    @property
    def label(self) -> str:
        return building_label(self.number, self.stairwell)


class BuildingAdjacency(Adjacency):
    """Two buildings of one compound next to each other (stored once, lower id first)."""

    parent_field = "compound_id"
    msg_self = MSG_ADJACENT_SELF
    msg_other_parent = MSG_ADJACENT_OTHER_COMPOUND

    first = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "楼组相邻关系"
        verbose_name_plural = "楼组相邻关系"
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="building_adjacency_unique"),
            models.CheckConstraint(
                condition=Q(first__lt=F("second")), name="building_adjacency_ordered"
            ),
        ]


def building_label(number: str, stairwell: str) -> str:
    """12号楼, or 12号楼2门洞 for a building counted by its stairwells."""
    text = f"{number}号楼"
    return f"{text}{stairwell}门洞" if stairwell else text


def address_of(building: Building, room: str) -> str:
    """How a household is written everywhere: 绿园八村12号楼301室 (its building and compound
    given, for callers that hold them already loaded)."""
    return address_text(building.compound.name, building.number, building.stairwell, room)


def address_text(compound: str, number: str, stairwell: str, room: str) -> str:
    """address_of from the values alone (a list reading them with values_list)."""
    return f"{compound}{building_label(number, stairwell)}{room}室"


class Household(models.Model):
    """A 户: one room of a building. Never deleted; an empty household simply has no residents."""

    building = models.ForeignKey(
        Building, verbose_name="楼组", on_delete=models.PROTECT, related_name="households"
    )
    room = models.CharField("室号", max_length=20)
    # Denormalised from the building so that area lists and counts need no joins.
    compound = models.ForeignKey(
        Compound, on_delete=models.PROTECT, related_name="+", editable=False
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    notes = models.TextField("备注", blank=True)
    history = HistoricalRecords(excluded_fields=["compound", "area"])

    class Meta:
        verbose_name = "户"
        verbose_name_plural = "户"
        ordering = ["building_id", "room"]
        constraints = [
            models.UniqueConstraint(fields=["building", "room"], name="household_unique_room")
        ]

    def __str__(self) -> str:
        return f"{self.building.label}{self.room}室"

    def save(self, *args, **kwargs):
        compound = self.building.compound
        self.compound_id = compound.pk
        self.area_id = compound.area_id
        super().save(*args, **kwargs)

    @property
    def address(self) -> str:
        return address_of(self.building, self.room)
