"""Who may see and change which Party data, built on core.access.

SPEC "Users": the area secretary sees everything of its area; a branch secretary the Party data
of its branch; a group leader its members and their contact households; a worker sees Party data
only inside its patch; a subdistrict admin only in an area it opened; an editor nothing.
Anything else is 404, in pages, API and placards alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from jinlin.core.access import can_manage_area, personal_scope
from jinlin.core.models import Role, User
from jinlin.party.models import PartyOrganisation
from jinlin.places.models import Area, Building, Compound

MSG_NO_AREA = "没有找到该居民区的党组织"
MSG_NO_ORGANISATION = "没有找到该党组织"
MSG_NO_BUILDING = "没有找到该楼组"
MSG_NO_COMPOUND = "没有找到该小区"
MSG_NO_MEETING = "没有找到该会议记录"


@dataclass(frozen=True)
class PartyScope:
    """The Party data of one area a user may see: all of it, or that of some buildings."""

    area: Area
    building_ids: frozenset[int] | None  # None: the whole area
    may_reorganise: bool = False
    led: PartyOrganisation | None = None  # the branch or group the user leads, if any

    @property
    def is_whole_area(self) -> bool:
        return self.building_ids is None

    def sees_building(self, building_id: int) -> bool:
        return self.building_ids is None or building_id in self.building_ids

    def sees_any(self, building_ids: Iterable[int]) -> bool:
        if self.building_ids is None:
            return True
        return any(b in self.building_ids for b in building_ids)


def led_organisation(user: User) -> PartyOrganisation | None:
    """The active branch of a branch secretary, or the active group of a group leader."""
    organisation = user.party_organisation if user.party_organisation_id else None
    if organisation is None or not organisation.is_active:
        return None
    if user.role == Role.BRANCH_SECRETARY and organisation.level == PartyOrganisation.Level.BRANCH:
        return organisation
    if user.role == Role.GROUP_LEADER and organisation.level == PartyOrganisation.Level.GROUP:
        return organisation
    return None


def party_scope(user: User, area: Area) -> PartyScope | None:
    """What of this area's Party data the user may see; None when nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if can_manage_area(user, area.pk):
        return PartyScope(area, None, may_reorganise=True)
    if user.role == Role.SUBDISTRICT_ADMIN:
        return PartyScope(area, None) if area.pk in personal_scope(user).area_ids else None
    if user.role in (Role.BRANCH_SECRETARY, Role.GROUP_LEADER):
        organisation = led_organisation(user)
        if organisation is None or organisation.area_id != area.pk:
            return None
        if organisation.level == PartyOrganisation.Level.BRANCH:
            ids = Building.objects.filter(compound__in=organisation.compounds.all())
        else:
            ids = organisation.buildings.all()
        return PartyScope(area, frozenset(ids.values_list("id", flat=True)), led=organisation)
    if user.role == Role.WORKER:
        patch = personal_scope(user)
        in_patch = Q(compound_id__in=patch.compound_ids) | Q(id__in=patch.building_ids)
        patch_ids = frozenset(
            Building.objects.filter(in_patch, compound__area=area).values_list("id", flat=True)
        )
        return PartyScope(area, patch_ids) if patch_ids else None
    return None


def home_area(user: User) -> Area | None:
    """The area whose network a user starts from (the nav link)."""
    if user.area_id:
        return user.area
    organisation = led_organisation(user)
    return organisation.area if organisation is not None else None


# --- gatekeepers: the object and the scope, or 404 ----------------------------------------


def access_party_area(user: User, area_id: int) -> PartyScope:
    try:
        area = Area.objects.select_related("subdistrict").get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_AREA) from None
    scope = party_scope(user, area)
    if scope is None:
        raise Http404(MSG_NO_AREA)
    return scope


def access_organisation(user: User, organisation_id: int) -> tuple[PartyOrganisation, PartyScope]:
    """A branch or group whose territory the user may see (the area organisation and dissolved
    ones only for whole-area viewers)."""
    try:
        organisation = PartyOrganisation.objects.select_related("area", "parent").get(
            pk=organisation_id
        )
    except (PartyOrganisation.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_ORGANISATION) from None
    scope = party_scope(user, organisation.area)
    if scope is None:
        raise Http404(MSG_NO_ORGANISATION)
    if scope.is_whole_area:
        return organisation, scope
    if scope.led is not None and scope.led.pk == organisation.pk:
        return organisation, scope
    if not organisation.is_active or organisation.level == PartyOrganisation.Level.AREA:
        raise Http404(MSG_NO_ORGANISATION)
    if organisation.level == PartyOrganisation.Level.BRANCH:
        territory = Building.objects.filter(compound__in=organisation.compounds.all())
    else:
        territory = organisation.buildings.all()
    if not scope.sees_any(territory.values_list("id", flat=True)):
        raise Http404(MSG_NO_ORGANISATION)
    return organisation, scope


def access_group(user: User, group_id: int) -> tuple[PartyOrganisation, PartyScope]:
    organisation, scope = access_organisation(user, group_id)
    if organisation.level != PartyOrganisation.Level.GROUP:
        raise Http404(MSG_NO_ORGANISATION)
    return organisation, scope


def access_party_building(user: User, building_id: int) -> tuple[Building, PartyScope]:
    try:
        building = Building.objects.select_related("compound__area").get(pk=building_id)
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_BUILDING) from None
    scope = party_scope(user, building.compound.area)
    if scope is None or not scope.sees_building(building.pk):
        raise Http404(MSG_NO_BUILDING)
    return building, scope


def access_party_compound(user: User, compound_id: int) -> tuple[Compound, PartyScope]:
    """A compound all of whose buildings the user may see (its placards are one document)."""
    try:
        compound = Compound.objects.select_related("area").get(pk=compound_id)
    except (Compound.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NO_COMPOUND) from None
    scope = party_scope(user, compound.area)
    if scope is None:
        raise Http404(MSG_NO_COMPOUND)
    if not scope.is_whole_area:
        ids = set(compound.buildings.values_list("id", flat=True))
        if not ids or scope.building_ids is None or not ids <= scope.building_ids:
            raise Http404(MSG_NO_COMPOUND)
    return compound, scope


# --- writes ----------------------------------------------------------------------------------


def can_reorganise(user: User, area: Area) -> bool:
    """Applying a proposal, and appointing the area's and branches' committees: the area
    secretary."""
    return can_manage_area(user, area.pk)


def can_run_group(user: User, group: PartyOrganisation) -> bool:
    """A group's leader, household contacts and branch contact: the area secretary and the
    secretary of the group's branch."""
    if can_manage_area(user, group.area_id):
        return True
    led = led_organisation(user)
    return (
        led is not None
        and led.level == PartyOrganisation.Level.BRANCH
        and (group.parent_id == led.pk)
    )


def can_record_meeting(user: User, group: PartyOrganisation) -> bool:
    """Its meetings: also the group's own leader."""
    if can_run_group(user, group):
        return True
    led = led_organisation(user)
    return led is not None and led.pk == group.pk


# --- invitations: members on their own phones (chain) ---------------------------------------


def can_invite_members(scope: PartyScope | None) -> bool:
    """Inviting Party members to sign in on their phones: the area secretary (its area) and a
    branch secretary (the members living in its branch's compounds)."""
    if scope is None:
        return False
    if scope.may_reorganise:
        return True
    return scope.led is not None and scope.led.level == PartyOrganisation.Level.BRANCH


def can_invite_member(user: User, area: Area, building_id: int) -> bool:
    """The member living in this building of this area."""
    scope = party_scope(user, area)
    return can_invite_members(scope) and scope is not None and scope.sees_building(building_id)


def can_invite_volunteers(user: User, area_id: int) -> bool:
    """楼组长 and volunteers who need not be Party members: the area secretary only."""
    return can_manage_area(user, area_id)
