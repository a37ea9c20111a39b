"""Who may record and read which building's activities: the one gate of chain.activities.

- a network member (楼组长, 党员 on its phone): the buildings of its households and those it
  looks after (chain.access.member_households, User.chain_buildings);
- a group leader: the buildings of its Party group; a branch secretary: its branch's compounds;
- the area's secretary: the whole area; a worker: its patch (a record names residents).
Anyone else sees nothing: every page and API answer about a building outside is 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from jinlin.chain.access import is_network_member, member_households
from jinlin.chain.notice_selectors import is_area_staff, led_branch
from jinlin.core.access import personal_scope
from jinlin.core.models import Role, User
from jinlin.party.access import led_organisation
from jinlin.party.models import PartyOrganisation
from jinlin.places.models import Area, Building

MSG_NO_BUILDING = "没有找到该楼组"
MSG_NO_AREA = "没有找到该居民区"


def recordable_buildings(user: User) -> QuerySet[Building]:
    """The buildings whose activities the user may record and read."""
    if not user.is_authenticated or not user.is_active:
        return Building.objects.none()
    if is_network_member(user):
        return Building.objects.filter(
            Q(pk__in=user.chain_buildings.values("pk"))
            | Q(pk__in=member_households(user).values("building_id"))
        )
    if user.role == Role.AREA_SECRETARY and user.area_id is not None:
        return Building.objects.filter(compound__area_id=user.area_id)
    if user.role == Role.WORKER and user.area_id is not None:
        # Its patch only: a record names the residents who took part.
        patch = personal_scope(user)
        return Building.objects.filter(
            Q(compound_id__in=patch.compound_ids) | Q(pk__in=patch.building_ids),
            compound__area_id=user.area_id,
        )
    if user.role in (Role.GROUP_LEADER, Role.BRANCH_SECRETARY):
        organisation = led_organisation(user)
        if organisation is None:
            return Building.objects.none()
        if organisation.level == PartyOrganisation.Level.GROUP:
            return Building.objects.filter(pk__in=organisation.buildings.values("pk"))
        return Building.objects.filter(compound__in=organisation.compounds.values("pk"))
    return Building.objects.none()


def access_building(user: User, building_id: int) -> Building:
    """A building the user may record for, with its compound and area, or 404."""
    try:
        return recordable_buildings(user).select_related("compound__area").get(pk=building_id)
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_BUILDING) from None


def is_activity_staff(user: User, area_id: int) -> bool:
    """The area's secretary and workers: they see every name, also of a mediation."""
    return is_area_staff(user, area_id)


def access_overview_area(user: User, area_id: int) -> tuple[Area, PartyOrganisation | None]:
    """The area of the overview and the branch the user sees it for (None: the whole area):
    its secretary and workers, or a branch secretary of the area; else 404."""
    try:
        area = Area.objects.get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_AREA) from None
    if is_area_staff(user, area.pk):
        return area, None
    branch = led_branch(user, area.pk)
    if branch is None:
        raise Http404(MSG_NO_AREA)
    return area, branch
