"""Who may see and do what in fieldwork, built on core.access.personal_scope.

SPEC "Users": a worker sees records of its patch (and cases it owns or has an action in);
the area secretary sees its whole area; a subdistrict admin only an area it opened; other
roles see no fieldwork at all. Anything else is 404, in pages, API and command alike.

Each part's selectors hold its own querysets and gatekeepers (visible_visits, access_case, …),
built on fieldwork_scope here.
"""

from __future__ import annotations

from jinlin.core.access import Scope, personal_scope
from jinlin.core.models import Role, User

FIELDWORK_ROLES = frozenset({Role.AREA_SECRETARY, Role.WORKER, Role.SUBDISTRICT_ADMIN})
WRITER_ROLES = frozenset({Role.AREA_SECRETARY, Role.WORKER})


def fieldwork_scope(user: User) -> Scope:
    """The places whose fieldwork records the user may see."""
    if not user.is_authenticated:
        return Scope()
    if user.is_superuser:
        return personal_scope(user)
    if user.role not in FIELDWORK_ROLES:
        return Scope()
    return personal_scope(user)


def can_write(user: User) -> bool:
    """Recording fieldwork: the area's secretary and its workers (not the subdistrict)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in WRITER_ROLES


def can_hand_over(user: User, area_id: int | None) -> bool:
    """转交 (issue 12): the area's secretary hands work from one worker to another; a subdistrict
    admin may for an area it has opened (its reason audited), as it may see that area's people."""
    if area_id is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if user.role == Role.AREA_SECRETARY:
        return user.area_id == area_id
    if user.role == Role.SUBDISTRICT_ADMIN:
        return area_id in personal_scope(user).area_ids
    return False


def may_hand_over_at_all(user: User) -> bool:
    """Roles that hand over work somewhere: a worker never does (403 on the API)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.role in (Role.AREA_SECRETARY, Role.SUBDISTRICT_ADMIN)


def visible_residents_q(user: User):
    from jinlin.people.models import Resident

    return Resident.objects.filter(fieldwork_scope(user).q())


def can_see_dashboard(user: User, area_id: int) -> bool:
    """The area dashboard: the area's secretary and the subdistrict (aggregates only)."""
    if user.is_superuser:
        return True
    if user.role == Role.AREA_SECRETARY:
        return user.area_id == area_id
    return user.role == Role.SUBDISTRICT_ADMIN
