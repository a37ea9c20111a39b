"""A contact member 联系党员 for every household of a Party group's territory.

SPEC 三级联络管理网: "every household gets exactly one contact member … loads within a group
differ by at most one; among such assignments, members contact households of their own
building as much as possible."

Pure rules: no Django. Ties are settled by the code-point order of ids (fast for millions of
households, and never shown), so the result depends only on the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from jinlin.party.formation import PlanningInputError


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    building: str
    can_contact: bool = True  # False for members excused for age or health


@dataclass(frozen=True, slots=True)
class Household:
    id: str
    building: str


@dataclass(frozen=True, slots=True)
class Assignment:
    contacts: dict[str, str]  # household id → member id
    uncovered: tuple[str, ...]  # households of a group with no member able to take contacts
    loads: dict[str, int]  # member id → households, for every member able to take contacts


def assign_households(members: Iterable[Member], households: Iterable[Household]) -> Assignment:
    """Give each household of one group exactly one able member.

    Loads differ by at most one; among such assignments, the number of households contacted
    by a member of their own building is the largest possible. With H households and M able
    members, r = H mod M members take H // M + 1; the extra places go first where they keep a
    household in its building.
    """
    able_by_building: dict[str, list[str]] = {}
    able: list[str] = []
    member_ids: set[str] = set()
    for member in members:
        if member.id in member_ids:
            raise PlanningInputError(f'duplicate member id "{member.id}"')
        member_ids.add(member.id)
        if member.can_contact:
            able.append(member.id)
            able_by_building.setdefault(member.building, []).append(member.id)
    households_by_building: dict[str, list[str]] = {}
    household_count = 0
    for household in households:
        households_by_building.setdefault(household.building, []).append(household.id)
        household_count += 1
    household_ids = [h for ids in households_by_building.values() for h in ids]
    if len(set(household_ids)) != household_count:
        seen: set[str] = set()
        for household_id in household_ids:
            if household_id in seen:
                raise PlanningInputError(f'duplicate household id "{household_id}"')
            seen.add(household_id)
    if not able:
        return Assignment({}, tuple(sorted(household_ids)), {})

    able.sort()
    buildings = sorted(households_by_building)
    for ids in households_by_building.values():
        ids.sort()
    for ids in able_by_building.values():
        ids.sort()
    base, extras = divmod(household_count, len(able))
    loads = dict.fromkeys(able, base)
    # An extra place keeps a household in its building only where the building has more
    # households than its members' base loads cover.
    for building in buildings:
        if not extras:
            break
        local_members = able_by_building.get(building, [])
        short = len(households_by_building[building]) - len(local_members) * base
        for member_id in local_members[: max(0, min(short, extras))]:
            loads[member_id] += 1
            extras -= 1
    for member_id in able:
        if not extras:
            break
        if loads[member_id] == base:
            loads[member_id] += 1
            extras -= 1

    contacts: dict[str, str] = {}
    room = dict(loads)
    elsewhere: list[str] = []
    for building in buildings:
        waiting = households_by_building[building]
        taken = 0
        for member_id in able_by_building.get(building, []):
            share = min(room[member_id], len(waiting) - taken)
            for household_id in waiting[taken : taken + share]:
                contacts[household_id] = member_id
            room[member_id] -= share
            taken += share
        elsewhere.extend(waiting[taken:])
    position = 0
    for member_id in able:
        share = room[member_id]
        for household_id in elsewhere[position : position + share]:
            contacts[household_id] = member_id
        position += share
    return Assignment(contacts, (), loads)


def same_building_pairs(
    contacts: Mapping[str, str], members: Iterable[Member], households: Iterable[Household]
) -> int:
    """How many households are contacted by a member living in their own building."""
    member_building = {member.id: member.building for member in members}
    return sum(
        1
        for household in households
        if household.id in contacts
        and member_building.get(contacts[household.id]) == household.building
    )
