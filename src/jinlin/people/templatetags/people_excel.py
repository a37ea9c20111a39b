"""`{% export_links area_id=… compound=… %}`: the export (and, for the secretary, import) links
of a list page, offered only to those with personal data in reach."""

from __future__ import annotations

from django import template

from jinlin.core.access import can_manage_area, can_see_personal_data, can_unmask
from jinlin.people.sheet import KIND_HOUSEHOLDS, KIND_PARTY, KIND_RESIDENTS

register = template.Library()


@register.inclusion_tag("people/_export_links.html", takes_context=True)
def export_links(
    context: template.Context,
    area_id: int,
    compound: int | None = None,
    building: int | None = None,
    group: str | None = None,
    kind: str = KIND_RESIDENTS,
) -> dict[str, object]:
    """`kind` other than residents (households, party-members) writes that import's columns."""
    user = context["user"]
    query = "&".join(
        f"{name}={value}"
        for name, value in (
            ("compound", compound),
            ("building", building),
            ("group", group),
            ("kind", "" if kind == KIND_RESIDENTS else kind),
        )
        if value
    )
    return {
        "area_id": area_id,
        "kind": "" if kind == KIND_RESIDENTS else kind,
        "what": {KIND_HOUSEHOLDS: "户", KIND_PARTY: "党员名册"}.get(kind, ""),
        "compound": compound or "",
        "building": building or "",
        "group": group or "",
        "query": query,
        "shown": user.is_authenticated and can_see_personal_data(user),
        "may_unmask": user.is_authenticated and can_unmask(user, "id_number"),
        "may_import": user.is_authenticated
        and kind == KIND_RESIDENTS
        and not compound
        and not building
        and not group
        and can_manage_area(user, area_id),
        "csrf_token": context.get("csrf_token"),
    }
