"""Forms of the patrol pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.common.forms import CHOOSE, DATE, TEXT, today
from jinlin.fieldwork.patrols.models import (
    FACILITY_CATEGORIES,
    HAZARD_CATEGORIES,
    FacilityState,
    FindingCategory,
    Severity,
)
from jinlin.fieldwork.photos import MAX_BYTES


class PatrolForm(forms.Form):
    compound = forms.TypedChoiceField(label="小区", coerce=int)
    patrolled_on = forms.DateField(label="巡查日期", initial=today, widget=DATE)
    notes = forms.CharField(label="备注", required=False, widget=TEXT, max_length=2000)

    def __init__(self, *args: Any, compounds: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "compound", [(c.pk, c.name) for c in compounds])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input (Django's documented recipe)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class FindingForm(forms.Form):
    category = forms.ChoiceField(
        label="类别",
        choices=CHOOSE
        + [
            ("安全隐患", [(c.value, c.label) for c in FindingCategory if c in HAZARD_CATEGORIES]),
            ("安全设施", [(c.value, c.label) for c in FindingCategory if c in FACILITY_CATEGORIES]),
            (
                "垃圾分类",
                [(FindingCategory.GARBAGE_SORTING.value, FindingCategory.GARBAGE_SORTING.label)],
            ),
        ],
    )
    building = forms.TypedChoiceField(label="楼组", coerce=int, required=False, empty_value=None)
    place = forms.CharField(
        label="位置", max_length=100, required=False, help_text="如：2楼楼道、南门消防通道"
    )
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NONE)
    facility_state = forms.ChoiceField(
        label="设施状态（安全设施）",
        choices=[("", "—")] + list(FacilityState.choices),
        required=False,
    )
    collection_point = forms.TypedChoiceField(
        label="投放点（垃圾分类）", coerce=int, required=False, empty_value=None
    )
    is_up_to_standard = forms.TypedChoiceField(
        label="分类达标（垃圾分类）",
        choices=[("", "—"), ("1", "达标"), ("0", "不达标")],
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    description = forms.CharField(label="情况描述", required=False, widget=TEXT, max_length=2000)
    photos = MultipleFileField(
        label="照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"JPEG、PNG 或 WebP，每张不超过 {MAX_BYTES // (1024 * 1024)} MB；位置信息会被去除",
    )

    def __init__(
        self, *args: Any, buildings: Sequence[Any] = (), points: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "building", [("", "—")] + [(b.pk, b.label) for b in buildings])
        choices(self, "collection_point", [("", "—")] + [(p.pk, p.name) for p in points])


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="照片",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class FixedForm(forms.Form):
    """确认已修复 of a finding: how it was mended, in a line."""

    note = forms.CharField(
        label="修复情况",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：物业已更换灯泡"}),
        error_messages={"required": "请写明修复情况（如：物业已更换灯泡）"},
    )
