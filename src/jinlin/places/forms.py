"""Forms of the registry's place pages: adjacency between the buildings of a compound and
between the compounds of an area."""

from __future__ import annotations

from typing import Any

from django import forms

from jinlin.places.services import MAX_ROW_LENGTH, MSG_ROW_LENGTH

BUILDINGS = ("楼组", "本小区的楼组")
COMPOUNDS = ("小区", "本居民区的小区")


class AdjacencyPairForm(forms.Form):
    """Two buildings of a compound, or two compounds of an area (`noun`: BUILDINGS or
    COMPOUNDS), to become or stop being neighbours."""

    first = forms.TypedChoiceField(coerce=int)
    second = forms.TypedChoiceField(coerce=int)

    def __init__(
        self,
        *args: Any,
        options: list[tuple[int, str]],
        noun: tuple[str, str] = BUILDINGS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.noun = noun
        choose = f"请选择{noun[1]}"
        choices = [("", "请选择")] + [(str(pk), label) for pk, label in options]
        for name, label in (("first", noun[0]), ("second", f"与之相邻的{noun[0]}")):
            field = self.fields[name]
            field.label = label
            field.choices = choices  # type: ignore[attr-defined]  # a ChoiceField's
            field.error_messages["required"] = choose
            field.error_messages["invalid_choice"] = choose

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("first") and data.get("first") == data.get("second"):
            self.add_error("second", f"请选择两个不同的{self.noun[0]}")
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
