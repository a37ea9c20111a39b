"""The form of a member's contact (记一次联系): its messages are the service's."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from jinlin.chain.models import CONTACT_NOTE_MAX, CONTACT_PASSED_ON_MAX, CONTACT_WAYS
from jinlin.chain.services import MSG_DATE_REQUIRED, MSG_HOW, MSG_NOTE_LONG, MSG_PASSED_ON_LONG


class ContactForm(forms.Form):
    contacted_on = forms.DateField(
        label="联系日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": MSG_DATE_REQUIRED, "invalid": "请填写正确的日期"},
    )
    how = forms.ChoiceField(
        label="方式",
        choices=[(way.value, way.label) for way in CONTACT_WAYS],
        widget=forms.RadioSelect,
        error_messages={"required": MSG_HOW, "invalid_choice": MSG_HOW},
    )
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=CONTACT_NOTE_MAX,
        widget=forms.TextInput(attrs={"maxlength": CONTACT_NOTE_MAX}),
        error_messages={"max_length": MSG_NOTE_LONG},
    )
    passed_on = forms.CharField(
        label="需要转达的事",
        required=False,
        max_length=CONTACT_PASSED_ON_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="住户托您告诉社工的事；填了就会交给社工",
        error_messages={"max_length": MSG_PASSED_ON_LONG},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {"contacted_on": timezone.localdate(), "how": "in_person"})
        super().__init__(*args, **kwargs)


FRESHNESS_DAYS_MAX = 365
MSG_FRESHNESS_DAYS = f"天数应为 1 到 {FRESHNESS_DAYS_MAX} 之间的整数"


class FreshnessForm(forms.Form):
    """多少天未联系 on the contact-freshness page (a GET form)."""

    days = forms.IntegerField(
        label="多少天未联系",
        min_value=1,
        max_value=FRESHNESS_DAYS_MAX,
        error_messages={
            "required": MSG_FRESHNESS_DAYS,
            "invalid": MSG_FRESHNESS_DAYS,
            "min_value": MSG_FRESHNESS_DAYS,
            "max_value": MSG_FRESHNESS_DAYS,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
