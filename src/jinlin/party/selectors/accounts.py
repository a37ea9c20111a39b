"""The network member accounts of an area, for the secretary's invitation page."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from jinlin.core.models import Role, User
from jinlin.places.models import Building


def network_accounts(area_id: int) -> QuerySet[User]:
    """Its members, 楼组长 and volunteers with their buildings, in three queries."""
    return (
        User.objects.filter(role=Role.NETWORK_MEMBER, area_id=area_id)
        .select_related("party_member__resident")
        .prefetch_related(
            Prefetch(
                "chain_buildings",
                queryset=Building.objects.select_related("compound"),
            )
        )
        .order_by("display_name", "pk")
    )


def area_buildings(area_id: int) -> list[tuple[int, str]]:
    """The buildings of an area as (id, 小区 + 楼号) choices, in one query."""
    return [
        (building.pk, f"{building.compound.name}{building.label}")
        for building in Building.objects.filter(compound__area_id=area_id)
        .select_related("compound")
        .order_by("compound__name", "sort_key", "number", "stairwell")
    ]
