"""The residents' forms: a concern on a building's page, a rating on a receipt."""

from __future__ import annotations

from django import forms

from jinlin.core.throttle import honeypot_field
from jinlin.fieldwork.concerns.models import Rating
from jinlin.fieldwork.concerns.services import RATING_NOTE_MAX, WORDS_MAX


class ConcernForm(forms.Form):
    """Only shapes here: the service checks the words, the room and the phone (in Chinese)."""

    words = forms.CharField(
        label="您想说的事",
        required=False,
        max_length=WORDS_MAX * 2,  # the service says "1000字以内"; this only stops a flood
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": "用您自己的话写下发生了什么，如：楼道灯坏了一星期"}
        ),
    )
    room = forms.CharField(
        label="室号（可不填）",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "如 301"}),
    )
    phone = forms.CharField(
        label="回电号码（可不填）",
        required=False,
        max_length=30,
        help_text="只有居委会工作人员能看到，用于回电",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    photo = forms.FileField(label="照片（可不传）", required=False)
    website = honeypot_field()


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label="您对办理结果", choices=Rating.choices, widget=forms.RadioSelect, required=False
    )
    note = forms.CharField(label="说一句（可不填）", required=False, max_length=RATING_NOTE_MAX * 2)
    website = honeypot_field()
