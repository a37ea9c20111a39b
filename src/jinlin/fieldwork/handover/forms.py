"""Forms of the 转交 pages: one case or concern, or all a leaving worker holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from jinlin.core.web import choices
from jinlin.fieldwork.common.forms import CHOOSE
from jinlin.fieldwork.handover.services import (
    MSG_FROM_INVALID,
    MSG_REASON_NEEDED,
    MSG_TARGET_INVALID,
    REASON_MAX,
)

REASON = forms.Textarea(attrs={"rows": 2, "maxlength": REASON_MAX})


def _worker_choices(workers: Sequence[Any]) -> list[tuple[Any, str]]:
    return CHOOSE + [(w.pk, str(w)) for w in workers]


class ReassignForm(forms.Form):
    to_user = forms.TypedChoiceField(
        label="接手人", coerce=int, error_messages={"required": MSG_TARGET_INVALID}
    )
    reason = forms.CharField(
        label="转交原因",
        widget=REASON,
        max_length=REASON_MAX,
        error_messages={"required": MSG_REASON_NEEDED},
        help_text="如：陆佳怡调离，工作交王敏接手",
    )

    def __init__(self, *args: Any, workers: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "to_user", _worker_choices(workers))


class HandoverForm(ReassignForm):
    from_user = forms.TypedChoiceField(
        label="交出工作的社工",
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={"required": MSG_FROM_INVALID},
    )
    include_patch = forms.BooleanField(label="包片一并转交", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        workers: Sequence[Any] = (),
        leaving: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, workers=workers, **kwargs)
        choices(self, "from_user", [(w.pk, str(w)) for w in leaving])
        self.order_fields(["from_user", "to_user", "include_patch", "reason"])
