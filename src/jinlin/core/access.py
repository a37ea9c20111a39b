"""Who may see what: the one place every read path starts from.

SPEC "Users and what they may see": object-level access is the rule; a worker asking for a
resident outside its patch gets 404, in pages, API and exports alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jinlin.core.models import AreaOpening, Role, User
from jinlin.places.models import Area, Building, Compound, Household

UNMASKABLE_FIELDS = ("id_number", "phone", "health", "sensitive_groups")

# Which fields each role may ask to see whole (each look is audited).
UNMASK_POLICY: dict[str, frozenset[str]] = {
    Role.AREA_SECRETARY: frozenset(UNMASKABLE_FIELDS),
    Role.WORKER: frozenset(UNMASKABLE_FIELDS),
    Role.SUBDISTRICT_ADMIN: frozenset(UNMASKABLE_FIELDS),
    Role.BRANCH_SECRETARY: frozenset({"phone"}),
    Role.GROUP_LEADER: frozenset({"phone"}),
    Role.EDITOR: frozenset(),
}


@dataclass(frozen=True)
class Scope:
    """Personal data a user may see: whole areas, whole compounds, single buildings."""

    everything: bool = False
    area_ids: frozenset[int] = field(default_factory=frozenset)
    compound_ids: frozenset[int] = field(default_factory=frozenset)
    building_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.area_ids or self.compound_ids or self.building_ids)

    def q(self, building_field: str = "building_id") -> Q:
        """A filter for any model with `area_id`, `compound_id` and a building field."""
        if self.everything:
            return Q()
        if self.is_empty:
            return Q(pk__in=[])
        condition = Q(pk__in=[])
        if self.area_ids:
            condition |= Q(area_id__in=self.area_ids)
        if self.compound_ids:
            condition |= Q(compound_id__in=self.compound_ids)
        if self.building_ids:
            condition |= Q(**{f"{building_field}__in": self.building_ids})
        return condition


def opened_area_ids(user: User) -> frozenset[int]:
    now = timezone.now()
    return frozenset(
        AreaOpening.objects.filter(user=user, expires_at__gt=now).values_list("area_id", flat=True)
    )


def personal_scope(user: User) -> Scope:
    """The scope of personal data (residents, households) for this user; cached per object."""
    cached = getattr(user, "_jinlin_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._jinlin_scope = scope  # type: ignore[attr-defined]
    return scope


def forget_scope(user: User) -> None:
    if hasattr(user, "_jinlin_scope"):
        del user._jinlin_scope  # type: ignore[attr-defined]


def _compute_scope(user: User) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope()
    if user.is_superuser:
        return Scope(everything=True)
    role = user.role
    if role == Role.AREA_SECRETARY:
        return Scope(area_ids=frozenset([user.area_id])) if user.area_id else Scope()
    if role == Role.SUBDISTRICT_ADMIN:
        return Scope(area_ids=opened_area_ids(user))
    if role == Role.WORKER:
        return Scope(
            compound_ids=frozenset(user.patch_compounds.values_list("id", flat=True)),
            building_ids=frozenset(user.patch_buildings.values_list("id", flat=True)),
        )
    if role == Role.BRANCH_SECRETARY:
        organisation = user.party_organisation
        compounds = set(user.patch_compounds.values_list("id", flat=True))
        if organisation is not None:
            compounds |= set(organisation.compounds.values_list("id", flat=True))
        return Scope(compound_ids=frozenset(compounds))
    if role == Role.GROUP_LEADER:
        organisation = user.party_organisation
        if organisation is None:
            return Scope()
        return Scope(building_ids=frozenset(organisation.buildings.values_list("id", flat=True)))
    return Scope()


def aggregate_area_ids(user: User) -> frozenset[int] | None:
    """Areas whose counts (no personal data) the user may see; None means all."""
    if user.is_superuser:
        return None
    if user.role == Role.SUBDISTRICT_ADMIN and user.subdistrict_id:
        return frozenset(
            Area.objects.filter(subdistrict_id=user.subdistrict_id).values_list("id", flat=True)
        )
    scope = personal_scope(user)
    areas = set(scope.area_ids)
    if scope.compound_ids:
        areas |= set(
            Compound.objects.filter(id__in=scope.compound_ids).values_list("area_id", flat=True)
        )
    if scope.building_ids:
        areas |= set(
            Building.objects.filter(id__in=scope.building_ids).values_list(
                "compound__area_id", flat=True
            )
        )
    return frozenset(areas)


# --- querysets: every list starts here ---------------------------------------------------


def visible_areas(user: User) -> QuerySet[Area]:
    ids = aggregate_area_ids(user)
    areas = Area.objects.all()
    return areas if ids is None else areas.filter(id__in=ids)


def visible_compounds(user: User) -> QuerySet[Compound]:
    scope = personal_scope(user)
    if scope.everything:
        return Compound.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(id__in=scope.compound_ids)
    if scope.building_ids:
        condition |= Q(buildings__id__in=scope.building_ids)
    return Compound.objects.filter(condition).distinct()


def visible_buildings(user: User) -> QuerySet[Building]:
    scope = personal_scope(user)
    if scope.everything:
        return Building.objects.all()
    condition = Q(pk__in=[])
    if scope.area_ids:
        condition |= Q(compound__area_id__in=scope.area_ids)
    if scope.compound_ids:
        condition |= Q(compound_id__in=scope.compound_ids)
    if scope.building_ids:
        condition |= Q(id__in=scope.building_ids)
    return Building.objects.filter(condition)


def visible_households(user: User) -> QuerySet[Household]:
    return Household.objects.filter(personal_scope(user).q())


def visible_residents(user: User):  # type: ignore[no-untyped-def]
    from jinlin.people.models import Resident

    return Resident.objects.filter(personal_scope(user).q())


def visible_memberships(user: User):  # type: ignore[no-untyped-def]
    from jinlin.people.models import GroupMembership

    return GroupMembership.objects.filter(
        personal_scope(user).q(building_field="resident__building_id")
    )


# --- gatekeepers: one object or 404 --------------------------------------------------------


def access_area(user: User, area_id: int) -> Area:
    """An area whose aggregates the user may see."""
    try:
        return visible_areas(user).get(pk=area_id)
    except (Area.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该居民区") from None


def access_compound(user: User, compound_id: int) -> Compound:
    try:
        return visible_compounds(user).select_related("area").get(pk=compound_id)
    except (Compound.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该小区") from None


def access_building(user: User, building_id: int) -> Building:
    try:
        return visible_buildings(user).select_related("compound__area").get(pk=building_id)
    except (Building.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该楼组") from None


def access_household(user: User, household_id: int) -> Household:
    try:
        return (
            visible_households(user).select_related("building__compound__area").get(pk=household_id)
        )
    except (Household.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该户") from None


def access_resident(user: User, resident_id: int):  # type: ignore[no-untyped-def]
    from jinlin.people.models import Resident

    try:
        return (
            visible_residents(user)
            .select_related("household__building__compound__area")
            .get(pk=resident_id)
        )
    except (Resident.DoesNotExist, ValueError, TypeError):
        raise Http404("没有找到该居民") from None


# --- unmasking ---------------------------------------------------------------------------


def can_unmask(user: User, field_name: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return field_name in UNMASK_POLICY.get(user.role, frozenset())


def can_manage_area(user: User, area_id: int) -> bool:
    """Writes on the registry of an area (adjacency, groups, imports): its secretary."""
    if user.is_superuser:
        return True
    return user.role == Role.AREA_SECRETARY and user.area_id == area_id


def can_see_personal_data(user: User) -> bool:
    return not personal_scope(user).is_empty
