"""Forms of the concern pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.common.forms import CHOOSE, TEXT
from jinlin.fieldwork.concerns.models import Channel, ConcernScope, Subcategory, Urgency


class ConcernForm(forms.Form):
    channel = forms.ChoiceField(label="渠道", choices=CHOOSE + list(Channel.choices))
    scope = forms.ChoiceField(label="性质", choices=ConcernScope.choices, widget=forms.RadioSelect)
    subcategory = forms.ChoiceField(label="类别", choices=CHOOSE + list(Subcategory.choices))
    words = forms.CharField(
        label="原话", widget=TEXT, max_length=5000, help_text="居民怎么说的，就怎么记"
    )
    real_need = forms.CharField(
        label="真正诉求",
        widget=TEXT,
        max_length=2000,
        required=False,
        help_text="听完以后，您理解的居民真正想要的是什么",
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=Urgency.choices, initial=Urgency.NORMAL)
    compound = forms.TypedChoiceField(
        label="小区（匿名或社区事）", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, compounds: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "compound", [("", "—")] + [(c.pk, c.name) for c in compounds])


class NeedForm(forms.Form):
    real_need = forms.CharField(label="真正诉求", widget=TEXT, max_length=2000)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="给居民的回复",
        widget=TEXT,
        max_length=2000,
        help_text="居民凭回执看到这段话：说清怎么办、何时办好",
    )


class PhoneReasonForm(forms.Form):
    reason = forms.CharField(label="查看事由", max_length=100, help_text="如：回电了解情况")
