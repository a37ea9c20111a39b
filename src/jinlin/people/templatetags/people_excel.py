"""`{% export_links area_id=… compound=… %}`: the export (and, for the secretary, import) links
of a list page, offered only to those with personal data in reach."""

from __future__ import annotations

from django import template

from jinlin.core.access import can_manage_area, can_see_personal_data, can_unmask

register = template.Library()


@register.inclusion_tag("people/_export_links.html", takes_context=True)
def export_links(
    context: template.Context,
    area_id: int,
    compound: int | None = None,
    building: int | None = None,
    group: str | None = None,
) -> dict[str, object]:
    user = context["user"]
    query = "&".join(
        f"{name}={value}"
        for name, value in (("compound", compound), ("building", building), ("group", group))
        if value
    )
    return {
        "area_id": area_id,
        "compound": compound or "",
        "building": building or "",
        "group": group or "",
        "query": query,
        "shown": user.is_authenticated and can_see_personal_data(user),
        "may_unmask": user.is_authenticated and can_unmask(user, "id_number"),
        "may_import": user.is_authenticated
        and not compound
        and not building
        and not group
        and can_manage_area(user, area_id),
        "csrf_token": context.get("csrf_token"),
    }
