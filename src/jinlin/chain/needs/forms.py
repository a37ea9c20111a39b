"""The forms of the needs pages: 发布需求 (the committee) and 完成 (the member); their messages
are the services'."""

from __future__ import annotations

from django import forms

from jinlin.chain.needs.models import (
    DESCRIPTION_MAX,
    NOTE_MAX,
    PEOPLE_MAX,
    PEOPLE_MIN,
    PLACE_MAX,
    TITLE_MAX,
)
from jinlin.chain.needs.services import (
    MSG_DESCRIPTION_LONG,
    MSG_HOURS,
    MSG_NOTE_LONG,
    MSG_NOTE_REQUIRED,
    MSG_PEOPLE,
    MSG_PLACE_LONG,
    MSG_PLACE_REQUIRED,
    MSG_STARTS_REQUIRED,
    MSG_TITLE_LONG,
    MSG_TITLE_REQUIRED,
)

MSG_STARTS_INVALID = "请填写正确的时间，如 2026-12-05 09:00"
_NUMBER_ERRORS = (
    "required",
    "invalid",
    "min_value",
    "max_value",
    "max_digits",
    "max_decimal_places",
    "max_whole_digits",
    "step_size",
)


def _hours_field(*, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label="时长（小时）",
        required=required,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5", "max": "24"}),
        error_messages=dict.fromkeys(_NUMBER_ERRORS, MSG_HOURS),
    )


class NeedForm(forms.Form):
    title = forms.CharField(
        label="需求",
        max_length=TITLE_MAX,
        error_messages={"required": MSG_TITLE_REQUIRED, "max_length": MSG_TITLE_LONG},
    )
    description = forms.CharField(
        label="说明",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": MSG_DESCRIPTION_LONG},
    )
    place = forms.CharField(
        label="地点",
        max_length=PLACE_MAX,
        error_messages={"required": MSG_PLACE_REQUIRED, "max_length": MSG_PLACE_LONG},
    )
    starts_at = forms.DateTimeField(
        label="时间",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": MSG_STARTS_REQUIRED, "invalid": MSG_STARTS_INVALID},
    )
    hours = _hours_field(required=True)
    people_needed = forms.IntegerField(
        label="需要人数",
        min_value=PEOPLE_MIN,
        max_value=PEOPLE_MAX,
        error_messages=dict.fromkeys(_NUMBER_ERRORS, MSG_PEOPLE),
    )


class CompleteForm(forms.Form):
    """完成: a line about it, and the hours served (the need's hours unless changed)."""

    note = forms.CharField(
        label="做了什么（一句话）",
        max_length=NOTE_MAX,
        error_messages={"required": MSG_NOTE_REQUIRED, "max_length": MSG_NOTE_LONG},
    )
    hours = _hours_field(required=False)
