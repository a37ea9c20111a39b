"""Forms of the case pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.cases.models import Feedback
from jinlin.fieldwork.common.forms import CHOOSE, DATE, TEXT, today
from jinlin.fieldwork.concerns.models import ConcernScope, Subcategory


class CaseForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    scope = forms.ChoiceField(label="性质", choices=ConcernScope.choices, widget=forms.RadioSelect)
    subcategory = forms.ChoiceField(label="类别", choices=CHOOSE + list(Subcategory.choices))
    owner = forms.TypedChoiceField(label="负责人", coerce=int, required=False, empty_value=None)
    compound = forms.TypedChoiceField(label="小区", coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, owners: Sequence[Any] = (), compounds: Sequence[Any] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "owner", [("", "我自己")] + [(u.pk, str(u)) for u in owners])
        choices(self, "compound", [("", "按证据")] + [(c.pk, c.name) for c in compounds])


class RootCauseForm(forms.Form):
    root_cause = forms.CharField(
        label="症结",
        widget=TEXT,
        max_length=4000,
        help_text="问题的根源是什么？不是居民说了什么，而是为什么会这样。",
    )


class ActionForm(forms.Form):
    description = forms.CharField(label="措施", max_length=200)
    owner = forms.TypedChoiceField(label="责任人", coerce=int)
    due_on = forms.DateField(label="完成期限", widget=DATE)

    def __init__(self, *args: Any, owners: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "owner", [(u.pk, str(u)) for u in owners])


class ActionDoneForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="完成情况", max_length=200, required=False)


class CloseForm(forms.Form):
    outcome = forms.CharField(label="处理结果", widget=TEXT, max_length=4000)
    feedback = forms.ChoiceField(
        label="居民反馈", choices=Feedback.choices, widget=forms.RadioSelect, required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新打开的原因", max_length=500)


class TalentHelpForm(forms.Form):
    talent = forms.IntegerField(label="能人（居民编号）", widget=forms.HiddenInput)
    skill = forms.CharField(label="特长", max_length=20, required=False)
    description = forms.CharField(label="相助内容", max_length=200)
    helped_on = forms.DateField(label="日期", initial=today, widget=DATE)


class EvidenceForm(forms.Form):
    case = forms.IntegerField(label="个案编号", min_value=1)


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(
        label="并入个案",
        coerce=int,
        help_text="同一问题的另一个案：本案的证据和措施并入该个案，本案以“已合并”结案",
    )
    reason = forms.CharField(label="合并原因", max_length=200, required=False)

    def __init__(self, *args: Any, cases: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "into", CHOOSE + [(c.pk, f"#{c.pk} {c.title}") for c in cases])
