"""Forms for residents and groups; every message in Chinese and naming its field."""

from __future__ import annotations

from typing import Any

from django import forms

from jinlin.core.idnumber import IdNumberError, normalise_phone, parse_id_number
from jinlin.people.groups import GROUPS, MANUAL_CODES, TALENT_SKILLS, GroupKind
from jinlin.people.models import ContactRelation, LifeStatus, Resident

MSG_PHONE = "电话号码应为11位手机号（1开头）或带区号的固定电话"


class ResidentForm(forms.ModelForm):
    hobbies_text = forms.CharField(label="兴趣爱好", required=False, help_text="用逗号或空格分隔")

    class Meta:
        model = Resident
        fields = [
            "name",
            "gender",
            "birth_date",
            "id_number",
            "phone",
            "relation_to_head",
            "residence_status",
            "employer",
            "occupation",
            "is_retired",
            "health",
            "health_notes",
            "political_status",
            "notes",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].required = False
        self.fields["birth_date"].help_text = "可不填，按身份证号自动得出"
        self.fields["gender"].required = False
        if self.instance.pk:
            self.fields["hobbies_text"].initial = "，".join(self.instance.hobbies or [])

    def validate_unique(self) -> None:
        """Nothing here: a resident's one unique field is its ID number, and that it is someone
        else's is the service's refusal, which records it (a taken number says that its holder
        is registered). The database's constraint stays behind both."""

    def clean_id_number(self) -> str:
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except IdNumberError as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except ValueError:
            raise forms.ValidationError(MSG_PHONE) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = data.get("id_number")
        if number:
            parsed = parse_id_number(number)
            if not data.get("birth_date"):
                data["birth_date"] = parsed.birth_date
                self.instance.birth_date = parsed.birth_date
            if not data.get("gender"):
                data["gender"] = parsed.gender
                self.instance.gender = parsed.gender
        text = data.get("hobbies_text") or ""
        data["hobbies"] = [
            t for t in text.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if t
        ]
        return data


class LeaveForm(forms.Form):
    status = forms.ChoiceField(
        label="变动", choices=[(LifeStatus.MOVED_OUT, "迁出"), (LifeStatus.DECEASED, "死亡")]
    )
    on = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ManualGroupForm(forms.Form):
    """The groups a person may assign by hand in the resident's area (people.catalogue): the
    built-in manual ones and the area's own in use, those kept for the secretary only to one."""

    group = forms.ChoiceField(
        label="群体",
        choices=[(str(code), GROUPS[code].label) for code in GROUPS if code in MANUAL_CODES],
    )
    reason = forms.CharField(label="认定理由", max_length=200)
    skills = forms.MultipleChoiceField(
        label="特长（社区能人）",
        required=False,
        choices=[(s, s) for s in TALENT_SKILLS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, kinds: list[GroupKind] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            field = self.fields["group"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [(kind.code, kind.label) for kind in kinds]


class UnmaskForm(forms.Form):
    field = forms.ChoiceField(
        choices=[
            ("id_number", "身份证号"),
            ("phone", "电话"),
            ("health", "健康"),
            ("sensitive_groups", "敏感群体"),
        ]
    )
    reason = forms.CharField(label="事由", max_length=200)


class EmergencyContactForm(forms.Form):
    """紧急联系人: a relative or neighbour outside the household."""

    name = forms.CharField(label="姓名", max_length=50)
    relation = forms.ChoiceField(label="关系", choices=ContactRelation.choices)
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="11位手机号，或带区号的固定电话（如 021-62345678）",
    )
    holds_key = forms.BooleanField(label="持有钥匙（可开门）", required=False)
    note = forms.CharField(
        label="备注",
        max_length=200,
        required=False,
        help_text="如：住在同小区5号楼，白天上班",
    )

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except ValueError:
            raise forms.ValidationError(MSG_PHONE) from None


class ContactUnmaskForm(forms.Form):
    reason = forms.CharField(label="事由", max_length=200)
