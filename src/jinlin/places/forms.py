"""Forms of the registry's place pages: adjacency between the buildings of a compound."""

from __future__ import annotations

from typing import Any

from django import forms

from jinlin.places.models import Building
from jinlin.places.services import MAX_ROW_LENGTH, MSG_ROW_LENGTH

MSG_CHOOSE_BUILDING = "请选择本小区的楼组"
MSG_TWO_DIFFERENT = "请选择两个不同的楼组"


class AdjacencyPairForm(forms.Form):
    """Two buildings of the compound (to become, or stop being, neighbours)."""

    first = forms.TypedChoiceField(
        label="楼组", coerce=int, error_messages={"invalid_choice": MSG_CHOOSE_BUILDING}
    )
    second = forms.TypedChoiceField(
        label="与之相邻的楼组",
        coerce=int,
        error_messages={"invalid_choice": MSG_CHOOSE_BUILDING},
    )

    def __init__(self, *args: Any, buildings: list[Building], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "请选择")] + [(str(b.pk), b.label) for b in buildings]
        for name in ("first", "second"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["required"] = MSG_CHOOSE_BUILDING

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", MSG_TWO_DIFFERENT)
        return data


class ProposalForm(forms.Form):
    """How the building numbers are read: how many 号楼 a row (empty: chosen for the size)."""

    row_length = forms.IntegerField(
        label="每排楼数",
        required=False,
        min_value=1,
        max_value=MAX_ROW_LENGTH,
        error_messages={
            "invalid": MSG_ROW_LENGTH,
            "min_value": MSG_ROW_LENGTH,
            "max_value": MSG_ROW_LENGTH,
        },
        widget=forms.NumberInput(attrs={"placeholder": "自动", "inputmode": "numeric"}),
    )
    fingerprint = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
