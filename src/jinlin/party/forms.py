"""Forms of the Party pages: a group meeting, a post, a contact between levels."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from jinlin.core.web import choices
from jinlin.party.models import Attendance, PartyMember, Position

MAX_TOPICS = 20


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label="会议日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label="地点", max_length=100, required=False)
    topics = forms.CharField(
        label="议题（每行一个）",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    notes = forms.CharField(
        label="会议记录", max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, members: list[PartyMember], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["held_on"].initial = timezone.localdate()
        for member in members:
            self.fields[f"attendance_{member.pk}"] = forms.ChoiceField(
                label=member.resident.name,
                choices=Attendance.Status.choices,
                initial=Attendance.Status.PRESENT,
                required=False,
            )

    def topic_list(self) -> list[str]:
        lines = self.cleaned_data["topics"].splitlines()
        return [line.strip() for line in lines if line.strip()][:MAX_TOPICS]

    def attendance_by_member(self) -> dict[int, str]:
        return {
            m.pk: self.cleaned_data[f"attendance_{m.pk}"] or Attendance.Status.ABSENT
            for m in self.members
        }

    def attendance_fields(self):
        return [self[f"attendance_{m.pk}"] for m in self.members]


class AppointForm(forms.Form):
    member = forms.TypedChoiceField(label="党员", coerce=int)
    kind = forms.ChoiceField(label="职务")

    def __init__(self, *args, members: list[tuple[int, str]], kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "member", list(members))
        labels = dict(Position.Kind.choices)
        choices(self, "kind", [(kind, labels[kind]) for kind in kinds])


class ContactForm(forms.Form):
    member = forms.TypedChoiceField(label="联系委员", coerce=int)

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "member", list(members))


class VolunteerInviteForm(forms.Form):
    """A 楼组长 or volunteer: a name and the buildings it looks after."""

    name = forms.CharField(label="姓名", max_length=50)
    buildings = forms.TypedMultipleChoiceField(
        label="楼组", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, buildings: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "buildings", list(buildings))
        self.fields["name"].error_messages["required"] = "请填写姓名"
        self.fields["buildings"].error_messages.update(
            required="请至少选择一个楼组", invalid_choice="所选楼组不在本居民区"
        )
