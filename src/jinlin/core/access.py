"""Who may see what: the scope of a user and the unmasking policy, every read path's start.

SPEC "Users and what they may see": object-level access is the rule; a worker asking for a
resident outside its patch gets 404, in pages, API and exports alike. The querysets and
gatekeepers built on the scope live beside the models they filter: places.access (areas,
compounds, buildings, households) and people.access (residents, memberships).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from jinlin.core.models import AreaOpening, Role, User

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
    user._jinlin_scope = scope  # type: ignore[attr-defined]  # kept on the instance
    return scope


def forget_scope(user: User) -> None:
    if hasattr(user, "_jinlin_scope"):
        del user._jinlin_scope


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
