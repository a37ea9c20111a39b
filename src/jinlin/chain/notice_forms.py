"""The forms of the notice pages: posting a notice, marking how a household was told."""

from __future__ import annotations

from django import forms

from jinlin.chain.models import Reach
from jinlin.chain.notice_services import (
    BODY_MAX,
    MSG_BAD_HOW,
    MSG_BODY_LONG,
    MSG_BODY_REQUIRED,
    MSG_TITLE_LONG,
    MSG_TITLE_REQUIRED,
    TITLE_MAX,
)


def _ids_field(label: str) -> forms.TypedMultipleChoiceField:
    return forms.TypedMultipleChoiceField(
        label=label,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"所选{label}不属于本居民区"},
    )


class NoticeForm(forms.Form):
    """发通知: title, body, the audience (none chosen = the whole area), public or not.
    The choices of the audience are set by the view from `audience_choices`."""

    title = forms.CharField(
        label="标题",
        max_length=TITLE_MAX,
        error_messages={"required": MSG_TITLE_REQUIRED, "max_length": MSG_TITLE_LONG},
    )
    body = forms.CharField(
        label="内容",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": MSG_BODY_REQUIRED, "max_length": MSG_BODY_LONG},
    )
    compounds = _ids_field("小区")
    buildings = _ids_field("楼组")
    groups = _ids_field("党小组")
    is_public = forms.BooleanField(label="在楼组扫码页公开", required=False)

    def __init__(self, *args, audience=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options: dict[str, list[tuple[int, str]]] = {"compounds": [], "buildings": [], "groups": []}
        for row in audience:
            options["compounds"].append((row.compound.pk, row.compound.name))
            options["buildings"] += [(b.pk, b.label) for b in row.buildings]
            options["groups"] += [(g.pk, g.name) for g in row.groups]
        for name, values in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = values

    def chosen(self, name: str) -> set[int]:
        """The ids ticked in the submitted data (for showing the boxes again)."""
        if not self.is_bound:
            return set()
        values = set()
        for value in self.data.getlist(name) if hasattr(self.data, "getlist") else ():
            if str(value).isdigit():
                values.add(int(value))
        return values


class ReachForm(forms.Form):
    how = forms.ChoiceField(
        label="方式",
        choices=Reach.How.choices,
        error_messages={"required": MSG_BAD_HOW, "invalid_choice": MSG_BAD_HOW},
    )


class StaffReachForm(ReachForm):
    household = forms.IntegerField(min_value=1, error_messages={"required": "请选择户"})
