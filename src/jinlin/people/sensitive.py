"""Lists of a sensitive group's members (困难, 大病重病, 失独, an area's own such as 低保): who may open one, and the record
each opening leaves. Pages, API and exports decide here, the same way (docs/security.md).
"""

from __future__ import annotations

from django.http import HttpRequest

from jinlin.core.access import can_unmask
from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, User
from jinlin.people.catalogue import is_sensitive


def may_list_group(user: User | None, group: str) -> bool:
    """Members of a sensitive group only for roles that may see sensitive groups whole (not
    for the operator's command line, which acts as nobody)."""
    if not is_sensitive(group):
        return True
    return user is not None and can_unmask(user, "sensitive_groups")


def record_group_list(
    *,
    user: User | None,
    group: str,
    area_id: int | None,
    count: int,
    channel: str,
    request: HttpRequest | None = None,
    actor_name: str = "",
) -> None:
    """One view_sensitive event per opening of a sensitive list (page, api, export), with how
    many people it named; nothing for the other groups."""
    if not is_sensitive(group):
        return
    audit(
        actor=user,
        action=AuditEvent.Action.VIEW_SENSITIVE,
        object_type="group",
        object_id=group,
        fields=[f"count:{count}", f"via:{channel}"],
        request=request,
        area_id=area_id,
        actor_name=actor_name,
    )
