"""The forms of the activity pages: recording an activity (phone first) and withdrawing one.
Their messages are the service's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from jinlin.chain.activities.models import (
    RESIDENT_COUNT_MAX,
    SUMMARY_MAX,
    WITHDRAW_REASON_MAX,
    ActivityKind,
)
from jinlin.chain.activities.services import (
    MSG_COUNT,
    MSG_DATE_REQUIRED,
    MSG_KIND,
    MSG_MEMBER_OUTSIDE,
    MSG_REASON_LONG,
    MSG_REASON_REQUIRED,
    MSG_RESIDENT_OUTSIDE,
    MSG_SUMMARY_LONG,
    MSG_SUMMARY_REQUIRED,
)
from jinlin.core.web import choices
from jinlin.fieldwork.patrols.forms import MultipleFileField, MultipleFileInput
from jinlin.fieldwork.photos import MAX_BYTES, max_per_finding
from jinlin.party.models import PartyMember
from jinlin.people.models import Resident


class ActivityForm(forms.Form):
    """记楼组活动: kind, date, what was done, who took part, photos. The participants offered
    are the building's (selectors.building_party_members / building_residents)."""

    kind = forms.ChoiceField(
        label="活动类别",
        choices=ActivityKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": MSG_KIND, "invalid_choice": MSG_KIND},
    )
    held_on = forms.DateField(
        label="活动日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": MSG_DATE_REQUIRED, "invalid": "请填写正确的日期"},
    )
    summary = forms.CharField(
        label="做了什么",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": MSG_SUMMARY_REQUIRED, "max_length": MSG_SUMMARY_LONG},
    )
    party_members = forms.TypedMultipleChoiceField(
        label="参加的党员",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": MSG_MEMBER_OUTSIDE},
    )
    residents = forms.TypedMultipleChoiceField(
        label="参加的居民",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": MSG_RESIDENT_OUTSIDE},
    )
    resident_count = forms.IntegerField(
        label="另有居民约多少人",
        required=False,
        min_value=0,
        max_value=RESIDENT_COUNT_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        help_text="没有逐一勾选时，填大约人数",
        error_messages={
            "invalid": MSG_COUNT,
            "min_value": MSG_COUNT,
            "max_value": MSG_COUNT,
        },
    )
    photos = MultipleFileField(
        label="照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=(
            f"最多 {max_per_finding()} 张，每张不超过 {MAX_BYTES // (1024 * 1024)} MB；"
            "位置信息会被去除"
        ),
    )

    def __init__(
        self,
        *args: Any,
        party_members: Sequence[PartyMember] = (),
        residents: Sequence[Resident] = (),
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        choices(self, "party_members", [(m.pk, m.resident.name) for m in party_members])
        choices(
            self,
            "residents",
            [(r.pk, f"{r.name}（{r.household.room}室）") for r in residents],
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回原因",
        max_length=WITHDRAW_REASON_MAX,
        error_messages={"required": MSG_REASON_REQUIRED, "max_length": MSG_REASON_LONG},
    )
