"""Reads of single records for the pages and the API: a group's meetings and current members,
a member of an area, a post."""

from __future__ import annotations

from jinlin.party.models import Meeting, PartyMember, PartyOrganisation, Position


def group_meetings(group: PartyOrganisation, limit: int) -> list[Meeting]:
    """The group's latest meetings with their attendance."""
    return list(Meeting.objects.filter(group=group).prefetch_related("attendance")[:limit])


def group_current_members(group: PartyOrganisation) -> list[PartyMember]:
    """The group's members still living here, by building and household."""
    return list(
        PartyMember.objects.filter(group=group, resident__status="current")
        .select_related("resident")
        .order_by("resident__building_id", "resident__household_id", "id")
    )


def member_in_area(member_id: int | None, area_id: int) -> PartyMember | None:
    if member_id is None:
        return None
    return (
        PartyMember.objects.select_related("resident")
        .filter(pk=member_id, resident__area_id=area_id)
        .first()
    )


def position_by_id(position_id: int) -> Position | None:
    return (
        Position.objects.select_related("organisation", "member__resident")
        .filter(pk=position_id)
        .first()
    )
