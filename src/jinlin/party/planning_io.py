"""JSON in and out for planners: `jinlin party organize` and `jinlin party assign` call these.

Pure: no Django. Bad input raises PlanningInputError naming where, e.g.
`compounds[2].adjacency[5]: unknown building "7"`. Unknown keys are refused so typos show.

organize input:  {"threshold": 3, "compounds": [{"id": "…", "buildings": [{"id": "…",
                 "members": 4}], "adjacency": [["…", "…"]]}]}   (threshold, adjacency optional)
organize output: {"threshold": 3, "compounds": [{"id": "…", "groups": [{"buildings": ["…"],
                 "members": 4}], "unplaceable": [{"buildings": ["…"], "members": 2,
                 "reason": "…"}]}]}
assign input:    {"groups": [{"id": "…", "members": [{"id": "…", "building": "…",
                 "can_contact": true}], "households": [{"id": "…", "building": "…"}]}]}
assign output:   {"assignments": {"<household id>": "<member id>"}, "uncovered": ["…"]}
                 ("uncovered" only when some household has no able member in its group)
Output lists and keys come in natural order of ids ("2" before "10").
"""

from __future__ import annotations

import json
from typing import Any

from jinlin.party.assignment import Household, Member, assign_households
from jinlin.party.formation import (
    DEFAULT_THRESHOLD,
    Building,
    PlanningInputError,
    propose_groups,
)
from jinlin.places.layout import natural_key

JsonObject = dict[str, Any]


def organize_from_json(text: str) -> JsonObject:
    """Propose Party groups for every compound in the input (see the module docstring)."""
    data = _object(_parse(text), "", required=("compounds",), optional=("threshold",))
    threshold = _count(data.get("threshold", DEFAULT_THRESHOLD), "threshold", minimum=1)
    compound_paths: dict[str, str] = {}
    proposals: list[JsonObject] = []
    for position, raw_compound in enumerate(_list(data["compounds"], "compounds")):
        path = f"compounds[{position}]"
        compound = _object(
            raw_compound, path, required=("id", "buildings"), optional=("adjacency",)
        )
        compound_id = _unique_id(compound["id"], f"{path}.id", "compound", compound_paths)
        building_paths: dict[str, str] = {}
        buildings = []
        for index, raw_building in enumerate(_list(compound["buildings"], f"{path}.buildings")):
            building_path = f"{path}.buildings[{index}]"
            building = _object(raw_building, building_path, required=("id", "members"))
            buildings.append(
                Building(
                    _unique_id(building["id"], f"{building_path}.id", "building", building_paths),
                    _count(building["members"], f"{building_path}.members", minimum=0),
                )
            )
        edges = []
        for index, raw_pair in enumerate(_list(compound.get("adjacency", []), f"{path}.adjacency")):
            pair_path = f"{path}.adjacency[{index}]"
            pair = _list(raw_pair, pair_path)
            if len(pair) != 2:
                raise PlanningInputError(f"{pair_path}: expected a pair of building ids")
            ends = (_text(pair[0], f"{pair_path}[0]"), _text(pair[1], f"{pair_path}[1]"))
            for end in ends:
                if end not in building_paths:
                    raise PlanningInputError(f'{pair_path}: unknown building "{end}"')
            edges.append(ends)
        plan = propose_groups(buildings, edges, threshold)
        proposals.append(
            {
                "id": compound_id,
                "groups": [
                    {"buildings": list(group.buildings), "members": group.members}
                    for group in plan.groups
                ],
                "unplaceable": [
                    {
                        "buildings": list(part.buildings),
                        "members": part.members,
                        "reason": part.reason,
                    }
                    for part in plan.unplaceable
                ],
            }
        )
    proposals.sort(key=lambda proposal: natural_key(proposal["id"]))
    return {"threshold": threshold, "compounds": proposals}


def assign_from_json(text: str) -> JsonObject:
    """A contact member for every household of every group in the input (see the docstring)."""
    data = _object(_parse(text), "", required=("groups",))
    group_paths: dict[str, str] = {}
    member_paths: dict[str, str] = {}
    household_paths: dict[str, str] = {}
    contacts: dict[str, str] = {}
    uncovered: list[str] = []
    for position, raw_group in enumerate(_list(data["groups"], "groups")):
        path = f"groups[{position}]"
        group = _object(raw_group, path, required=("id", "members", "households"))
        _unique_id(group["id"], f"{path}.id", "group", group_paths)
        members = []
        for index, raw_member in enumerate(_list(group["members"], f"{path}.members")):
            member_path = f"{path}.members[{index}]"
            member = _object(
                raw_member, member_path, required=("id", "building"), optional=("can_contact",)
            )
            members.append(
                Member(
                    _unique_id(member["id"], f"{member_path}.id", "member", member_paths),
                    _text(member["building"], f"{member_path}.building"),
                    _flag(member.get("can_contact", True), f"{member_path}.can_contact"),
                )
            )
        households = []
        for index, raw_household in enumerate(_list(group["households"], f"{path}.households")):
            household_path = f"{path}.households[{index}]"
            household = _object(raw_household, household_path, required=("id", "building"))
            households.append(
                Household(
                    _unique_id(
                        household["id"], f"{household_path}.id", "household", household_paths
                    ),
                    _text(household["building"], f"{household_path}.building"),
                )
            )
        assignment = assign_households(members, households)
        contacts.update(assignment.contacts)
        uncovered.extend(assignment.uncovered)
    result: JsonObject = {
        "assignments": {
            household_id: contacts[household_id]
            for household_id in sorted(contacts, key=natural_key)
        }
    }
    if uncovered:
        result["uncovered"] = sorted(uncovered, key=natural_key)
    return result


# --- validation ------------------------------------------------------------------------------


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanningInputError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None


def _where(path: str) -> str:
    return path or "input"


def _object(
    value: Any, path: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PlanningInputError(f"{_where(path)}: expected an object, got {_kind(value)}")
    for key in required:
        if key not in value:
            raise PlanningInputError(f'{_where(path)}: missing key "{key}"')
    for key in value:
        if key not in required and key not in optional:
            expected = ", ".join(f'"{name}"' for name in (*required, *optional))
            raise PlanningInputError(f'{_where(path)}: unknown key "{key}" (expected {expected})')
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise PlanningInputError(f"{path}: expected a list, got {_kind(value)}")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise PlanningInputError(f"{path}: expected a string, got {_kind(value)}")
    if not value.strip():
        raise PlanningInputError(f"{path}: must not be empty")
    return value


def _count(value: Any, path: str, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PlanningInputError(f"{path}: expected a whole number, got {_kind(value)}")
    if value < minimum:
        raise PlanningInputError(f"{path}: must be at least {minimum}, got {value}")
    return value


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise PlanningInputError(f"{path}: expected true or false, got {_kind(value)}")
    return value


def _unique_id(value: Any, path: str, noun: str, seen: dict[str, str]) -> str:
    identifier = _text(value, path)
    if identifier in seen:
        raise PlanningInputError(
            f'{path}: duplicate {noun} id "{identifier}" (first at {seen[identifier]})'
        )
    seen[identifier] = path
    return identifier


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'the string "{value}"' if len(value) <= 20 else "a string"
    return {dict: "an object", list: "a list", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
