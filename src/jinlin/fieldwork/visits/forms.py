"""Forms of the visit pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.common.forms import CHOOSE, DATE, TEXT, today
from jinlin.fieldwork.visits.models import Condition, ProposalField, VisitMode


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", initial=today, widget=DATE)
    mode = forms.ChoiceField(
        label="方式",
        choices=VisitMode.choices,
        initial=VisitMode.IN_PERSON,
        widget=forms.RadioSelect,
    )
    resident = forms.TypedChoiceField(
        label="走访对象", coerce=int, required=False, empty_value=None
    )
    condition = forms.ChoiceField(label="状况", choices=Condition.choices, initial=Condition.GOOD)
    family_situation = forms.CharField(
        label="家庭情况", required=False, widget=TEXT, max_length=2000
    )
    health = forms.CharField(label="健康情况", required=False, widget=TEXT, max_length=2000)
    living_habits = forms.CharField(label="生活习惯", required=False, widget=TEXT, max_length=2000)
    needs = forms.CharField(label="需求", required=False, widget=TEXT, max_length=2000)

    def __init__(self, *args: Any, residents: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "resident", [("", "全户")] + [(r.pk, r.name) for r in residents])


class ProposalForm(forms.Form):
    resident = forms.TypedChoiceField(label="居民", coerce=int)
    field = forms.ChoiceField(label="字段", choices=CHOOSE + list(ProposalField.choices))
    value = forms.CharField(
        label="建议值",
        max_length=2000,
        # The choices of the fields that have them, offered as the worker types (visit_detail).
        widget=forms.TextInput(attrs={"list": "proposal-values", "autocomplete": "off"}),
        help_text="健康状况填：良好/慢性病/大病重病/残疾；是否退休填：是/否；兴趣爱好用逗号分隔",
    )
    reason = forms.CharField(label="理由", max_length=200, required=False)

    def __init__(self, *args: Any, residents: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "resident", [(r.pk, r.name) for r in residents])

    def clean_value(self) -> str:
        from jinlin.people.models import Health, ResidenceStatus

        value = self.cleaned_data["value"].strip()
        # Let workers type the Chinese labels; services expect the stored codes.
        labels = {label: code for code, label in [*Health.choices, *ResidenceStatus.choices]}
        return labels.get(value, value)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "采纳"), ("reject", "不采纳")])
    note = forms.CharField(label="审核意见", max_length=200, required=False)


class IntervalForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput)
    days = forms.IntegerField(label="走访周期（天）", min_value=1, max_value=365)
