"""Writes on places: households and adjacency, each checked and transactional."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from jinlin.places.models import Building, BuildingAdjacency, Household

MSG_ROOM = "室号不能为空，且不超过20个字符"
MSG_HOUSEHOLD_EXISTS = "该楼组已有此室号"


@transaction.atomic
def household_create(*, building: Building, room: str) -> Household:
    room = room.strip()
    if not room or len(room) > 20:
        raise ValidationError({"room": MSG_ROOM})
    try:
        with transaction.atomic():
            return Household.objects.create(building=building, room=room)
    except IntegrityError:
        raise ValidationError({"room": MSG_HOUSEHOLD_EXISTS}) from None


@transaction.atomic
def adjacency_add(*, first: Building, second: Building) -> BuildingAdjacency:
    """Record that two buildings of one compound are neighbours (idempotent)."""
    low, high = sorted([first, second], key=lambda b: b.pk)
    edge = BuildingAdjacency(first=low, second=high)
    edge.clean()
    existing = BuildingAdjacency.objects.filter(first=low, second=high).first()
    return (
        existing
        if existing is not None
        else BuildingAdjacency.objects.create(first=low, second=high)
    )
