"""Forms of the consultation pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.common.forms import DATE, TEXT, today
from jinlin.fieldwork.consultations.models import Consultation


class ConsultationForm(forms.Form):
    veteran = forms.TypedChoiceField(label="咨询对象", coerce=int)
    topic = forms.ChoiceField(label="议题", choices=Consultation.Topic.choices)
    question = forms.CharField(label="咨询事项", widget=TEXT, max_length=2000)
    advice = forms.CharField(label="意见建议", widget=TEXT, max_length=4000)
    follow_up = forms.CharField(label="后续跟进", widget=TEXT, max_length=2000, required=False)
    is_agenda_item = forms.BooleanField(label="列入议事", required=False)
    asked_on = forms.DateField(label="咨询日期", initial=today, widget=DATE)

    def __init__(self, *args: Any, veterans: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "veteran", [(r.pk, f"{r.name}（{r.household.address}）") for r in veterans])
