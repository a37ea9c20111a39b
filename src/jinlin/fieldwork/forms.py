"""Forms of the fieldwork pages: shapes and labels only; the rules are in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from jinlin.fieldwork.models import (
    FACILITY_CATEGORIES,
    HAZARD_CATEGORIES,
    Channel,
    ConcernScope,
    Condition,
    Consultation,
    FacilityState,
    Feedback,
    FindingCategory,
    ProposalField,
    Severity,
    Subcategory,
    Urgency,
    VisitMode,
)
from jinlin.fieldwork.photos import MAX_BYTES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
CHOOSE = [("", "请选择")]


def _today() -> Any:
    return timezone.localdate()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", initial=_today, widget=DATE)
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

    def __init__(self, *args: Any, residents: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "全户")] + [(r.pk, r.name) for r in residents]  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    resident = forms.TypedChoiceField(label="居民", coerce=int)
    field = forms.ChoiceField(label="字段", choices=CHOOSE + list(ProposalField.choices))
    value = forms.CharField(
        label="建议值",
        max_length=2000,
        help_text="健康状况填：良好/慢性病/大病重病/残疾；是否退休填：是/否；兴趣爱好用逗号分隔",
    )
    reason = forms.CharField(label="理由", max_length=200, required=False)

    def __init__(self, *args: Any, residents: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [(r.pk, r.name) for r in residents]  # type: ignore[attr-defined]

    def clean_value(self) -> str:
        from jinlin.people.models import Health, ResidenceStatus

        value = self.cleaned_data["value"].strip()
        # Let workers type the Chinese labels; services expect the stored codes.
        labels = {label: code for code, label in [*Health.choices, *ResidenceStatus.choices]}
        return labels.get(value, value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos in one input (Django's documented recipe)."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "采纳"), ("reject", "不采纳")])
    note = forms.CharField(label="审核意见", max_length=200, required=False)


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

    def __init__(self, *args: Any, compounds: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["compound"].choices = [("", "—")] + [(c.pk, c.name) for c in compounds]  # type: ignore[attr-defined]


class NeedForm(forms.Form):
    real_need = forms.CharField(label="真正诉求", widget=TEXT, max_length=2000)


class PatrolForm(forms.Form):
    compound = forms.TypedChoiceField(label="小区", coerce=int)
    patrolled_on = forms.DateField(label="巡查日期", initial=_today, widget=DATE)
    notes = forms.CharField(label="备注", required=False, widget=TEXT, max_length=2000)

    def __init__(self, *args: Any, compounds: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["compound"].choices = [(c.pk, c.name) for c in compounds]  # type: ignore[attr-defined]


class FindingForm(forms.Form):
    category = forms.ChoiceField(
        label="类别",
        choices=CHOOSE
        + [
            ("安全隐患", [(c.value, c.label) for c in FindingCategory if c in HAZARD_CATEGORIES]),
            ("安全设施", [(c.value, c.label) for c in FindingCategory if c in FACILITY_CATEGORIES]),
            (
                "垃圾分类",
                [(FindingCategory.GARBAGE_SORTING.value, FindingCategory.GARBAGE_SORTING.label)],
            ),
        ],
    )
    building = forms.TypedChoiceField(label="楼组", coerce=int, required=False, empty_value=None)
    place = forms.CharField(
        label="位置", max_length=100, required=False, help_text="如：2楼楼道、南门消防通道"
    )
    severity = forms.ChoiceField(label="严重程度", choices=Severity.choices, initial=Severity.NONE)
    facility_state = forms.ChoiceField(
        label="设施状态（安全设施）",
        choices=[("", "—")] + list(FacilityState.choices),
        required=False,
    )
    collection_point = forms.TypedChoiceField(
        label="投放点（垃圾分类）", coerce=int, required=False, empty_value=None
    )
    is_up_to_standard = forms.TypedChoiceField(
        label="分类达标（垃圾分类）",
        choices=[("", "—"), ("1", "达标"), ("0", "不达标")],
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    description = forms.CharField(label="情况描述", required=False, widget=TEXT, max_length=2000)
    photos = MultipleFileField(
        label="照片",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=f"JPEG、PNG 或 WebP，每张不超过 {MAX_BYTES // (1024 * 1024)} MB；位置信息会被去除",
    )

    def __init__(
        self, *args: Any, buildings: list[Any] = (), points: list[Any] = (), **kwargs: Any
    ) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + [(b.pk, b.label) for b in buildings]  # type: ignore[attr-defined]
        self.fields["collection_point"].choices = [("", "—")] + [(p.pk, p.name) for p in points]  # type: ignore[attr-defined]


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="照片",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CaseForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    scope = forms.ChoiceField(label="性质", choices=ConcernScope.choices, widget=forms.RadioSelect)
    subcategory = forms.ChoiceField(label="类别", choices=CHOOSE + list(Subcategory.choices))
    owner = forms.TypedChoiceField(label="负责人", coerce=int, required=False, empty_value=None)
    compound = forms.TypedChoiceField(label="小区", coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, owners: list[Any] = (), compounds: list[Any] = (), **kwargs: Any
    ) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "我自己")] + [(u.pk, str(u)) for u in owners]  # type: ignore[attr-defined]
        self.fields["compound"].choices = [("", "按证据")] + [(c.pk, c.name) for c in compounds]  # type: ignore[attr-defined]


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

    def __init__(self, *args: Any, owners: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(u.pk, str(u)) for u in owners]  # type: ignore[attr-defined]


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
    helped_on = forms.DateField(label="日期", initial=_today, widget=DATE)


class EvidenceForm(forms.Form):
    case = forms.IntegerField(label="个案编号", min_value=1)


class ConsultationForm(forms.Form):
    veteran = forms.TypedChoiceField(label="咨询对象", coerce=int)
    topic = forms.ChoiceField(label="议题", choices=Consultation.Topic.choices)
    question = forms.CharField(label="咨询事项", widget=TEXT, max_length=2000)
    advice = forms.CharField(label="意见建议", widget=TEXT, max_length=4000)
    follow_up = forms.CharField(label="后续跟进", widget=TEXT, max_length=2000, required=False)
    is_agenda_item = forms.BooleanField(label="列入议事", required=False)
    asked_on = forms.DateField(label="咨询日期", initial=_today, widget=DATE)

    def __init__(self, *args: Any, veterans: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["veteran"].choices = [
            (r.pk, f"{r.name}（{r.household.address}）") for r in veterans
        ]  # type: ignore[attr-defined]


class IntervalForm(forms.Form):
    group = forms.CharField(widget=forms.HiddenInput)
    days = forms.IntegerField(label="走访周期（天）", min_value=1, max_value=365)
