"""The ledger page's form: which ledger, of what, over which days, in which format."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from jinlin.core.models import User
from jinlin.ledgers.columns import LEDGER_LABELS, month_range, range_problem
from jinlin.ledgers.selectors import MSG_NOT_FOUND, choosable_places, choosable_workers

MSG_RANGE_NEEDED = "请选择月份，或填写开始和结束日期"
MSG_NOT_A_MONTH = "月份的格式是 2026-11"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LedgerForm(forms.Form):
    kind = forms.ChoiceField(label="台账", choices=list(LEDGER_LABELS.items()))
    scope = forms.ChoiceField(
        label="范围（居民区、小区或经办人）", error_messages={"invalid_choice": MSG_NOT_FOUND}
    )
    month = forms.CharField(
        label="月份",
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
        help_text="选了月份就不必填日期",
    )
    start = forms.DateField(label="开始日期", required=False, widget=DATE)
    end = forms.DateField(label="结束日期", required=False, widget=DATE)
    fmt = forms.ChoiceField(
        label="格式",
        choices=[("xlsx", "Excel（.xlsx）"), ("pdf", "PDF（打印）")],
        initial="xlsx",
        widget=forms.RadioSelect,
    )
    unmasked = forms.BooleanField(
        label="完整信息（显示健康情况、敏感类别，将记入审计日志）", required=False
    )
    reason = forms.CharField(label="事由（完整信息必填）", required=False, max_length=200)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas, compounds = choosable_places(user)
        workers = choosable_workers(user)
        options: list[Any] = []
        if areas:
            options.append(("居民区", [(f"area:{a.pk}", a.name) for a in areas]))
        if compounds:
            options.append(("小区", [(f"compound:{c.pk}", c.name) for c in compounds]))
        if workers:
            options.append(
                ("经办人", [(f"worker:{w.pk}", w.display_name or w.username) for w in workers])
            )
        field = self.fields["scope"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        month = (data.get("month") or "").strip()
        start: date | None = data.get("start")
        end: date | None = data.get("end")
        if month:
            found = month_range(month)
            if found is None:
                self.add_error("month", MSG_NOT_A_MONTH)
                return data
            start, end = found
        if start is None or end is None:
            if not self.errors:
                self.add_error("end", MSG_RANGE_NEEDED)
            return data
        problem = range_problem(start, end)
        if problem:
            self.add_error("end", problem)
            return data
        data["start"], data["end"] = start, end
        scope = data.get("scope") or ""
        if ":" in scope:
            what, _, ident = scope.partition(":")
            data["scope_ids"] = {f"{what}_id": int(ident)}
        return data
