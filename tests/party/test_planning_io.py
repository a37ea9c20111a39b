import json
import re

import pytest

from jinlin.party.formation import BUILDING_ALONE_REASON, PlanningInputError
from jinlin.party.planning_io import assign_from_json, organize_from_json


def compound(compound_id, members, adjacency=None):
    data = {
        "id": compound_id,
        "buildings": [{"id": str(i + 1), "members": count} for i, count in enumerate(members)],
    }
    if adjacency is not None:
        data["adjacency"] = adjacency
    return data


def test_organize_proposes_groups_per_compound_in_natural_order():
    text = json.dumps(
        {
            "compounds": [
                compound("10", [5, 1, 2], [["1", "2"], ["2", "3"]]),
                compound("2", [2]),
            ]
        }
    )
    assert organize_from_json(text) == {
        "threshold": 3,
        "compounds": [
            {
                "id": "2",
                "groups": [],
                "unplaceable": [
                    {
                        "buildings": ["1"],
                        "members": 2,
                        "reason": BUILDING_ALONE_REASON.format(members=2, threshold=3),
                    }
                ],
            },
            {
                "id": "10",
                "groups": [
                    {"buildings": ["1"], "members": 5},
                    {"buildings": ["2", "3"], "members": 3},
                ],
                "unplaceable": [],
            },
        ],
    }


def test_organize_uses_the_threshold_given():
    text = json.dumps({"threshold": 2, "compounds": [compound("1", [2, 2], [["1", "2"]])]})
    result = organize_from_json(text)
    assert result["threshold"] == 2
    assert [g["buildings"] for g in result["compounds"][0]["groups"]] == [["1"], ["2"]]


def test_organize_output_is_plain_json():
    result = organize_from_json(json.dumps({"compounds": [compound("1", [3, 0], [["1", "2"]])]}))
    assert json.loads(json.dumps(result, ensure_ascii=False)) == result


def group(group_id, members, households):
    return {
        "id": group_id,
        "members": [
            {"id": m, "building": b}
            if able is None
            else {"id": m, "building": b, "can_contact": able}
            for m, b, able in members
        ],
        "households": [{"id": h, "building": b} for h, b in households],
    }


def test_assign_gives_every_household_one_member():
    text = json.dumps(
        {
            "groups": [
                group(
                    "g1", [("m1", "1", None), ("m2", "2", True)], [("1-101", "1"), ("2-101", "2")]
                ),
                group("g2", [("m3", "3", None)], [("3-101", "3")]),
            ]
        }
    )
    assert assign_from_json(text) == {"assignments": {"1-101": "m1", "2-101": "m2", "3-101": "m3"}}


def test_assign_lists_uncovered_households_only_when_there_are_some():
    text = json.dumps(
        {"groups": [group("g1", [("old", "1", False)], [("1-2", "1"), ("1-10", "1")])]}
    )
    assert assign_from_json(text) == {"assignments": {}, "uncovered": ["1-2", "1-10"]}


ORGANIZE_ERRORS = [
    ("{", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[]", "input: expected an object, got a list"),
    ("{}", 'input: missing key "compounds"'),
    ('{"compounds": [], "treshold": 3}', 'input: unknown key "treshold"'),
    ('{"compounds": {}}', "compounds: expected a list, got an object"),
    ('{"threshold": 0, "compounds": []}', "threshold: must be at least 1, got 0"),
    (
        '{"threshold": "3", "compounds": []}',
        'threshold: expected a whole number, got the string "3"',
    ),
    ('{"compounds": [{"id": "1"}]}', 'compounds[0]: missing key "buildings"'),
    (
        '{"compounds": [{"id": 1, "buildings": []}]}',
        "compounds[0].id: expected a string, got a number",
    ),
    ('{"compounds": [{"id": " ", "buildings": []}]}', "compounds[0].id: must not be empty"),
    (
        '{"compounds": [{"id": "1", "buildings": [], "adjacancy": []}]}',
        'compounds[0]: unknown key "adjacancy" (expected "id", "buildings", "adjacency")',
    ),
    (
        '{"compounds": [{"id": "1", "buildings": []}, {"id": "1", "buildings": []}]}',
        'compounds[1].id: duplicate compound id "1" (first at compounds[0].id)',
    ),
    (
        '{"compounds": [{"id": "1", "buildings": [{"id": "1", "members": -1}]}]}',
        "compounds[0].buildings[0].members: must be at least 0, got -1",
    ),
    (
        '{"compounds": [{"id": "1", "buildings": [{"id": "1", "members": true}]}]}',
        "compounds[0].buildings[0].members: expected a whole number, got true",
    ),
    (
        '{"compounds": [{"id": "1", "buildings": [{"id": "1", "members": 2.5}]}]}',
        "compounds[0].buildings[0].members: expected a whole number, got a number",
    ),
    (
        '{"compounds": [{"id": "1", "buildings": [{"id": "1"}]}]}',
        'compounds[0].buildings[0]: missing key "members"',
    ),
    (
        json.dumps({"compounds": [compound("1", [1, 1]), compound("2", [3, 3])]}).replace(
            '"id": "2", "members": 3', '"id": "1", "members": 3'
        ),
        'compounds[1].buildings[1].id: duplicate building id "1" (first at compounds[1].buildings[0].id)',
    ),
    (
        json.dumps({"compounds": [compound("1", [3, 3], [["1", "2"], ["2", "7"]])]}),
        'compounds[0].adjacency[1]: unknown building "7"',
    ),
    (
        json.dumps({"compounds": [compound("1", [3, 3], [["1", "2", "1"]])]}),
        "compounds[0].adjacency[0]: expected a pair of building ids",
    ),
    (
        json.dumps({"compounds": [compound("1", [3, 3], [["1", 2]])]}),
        "compounds[0].adjacency[0][1]: expected a string, got a number",
    ),
    (
        json.dumps({"compounds": [compound("1", [3, 3], "1-2")]}),
        'compounds[0].adjacency: expected a list, got the string "1-2"',
    ),
]


@pytest.mark.parametrize(("text", "message"), ORGANIZE_ERRORS)
def test_organize_refuses_bad_input_saying_where(text, message):
    with pytest.raises(PlanningInputError, match=re.escape(message)):
        organize_from_json(text)


def test_building_ids_may_repeat_across_compounds():
    text = json.dumps({"compounds": [compound("1", [3]), compound("2", [3])]})
    assert [c["groups"] for c in organize_from_json(text)["compounds"]] == [
        [{"buildings": ["1"], "members": 3}]
    ] * 2


ASSIGN_ERRORS = [
    ("null", "input: expected an object, got null"),
    ('{"groups": [{"id": "g", "members": []}]}', 'groups[0]: missing key "households"'),
    (
        json.dumps({"groups": [group("g", [], []), group("g", [], [])]}),
        'groups[1].id: duplicate group id "g" (first at groups[0].id)',
    ),
    (
        json.dumps(
            {"groups": [group("g1", [("m", "1", None)], []), group("g2", [("m", "2", None)], [])]}
        ),
        'groups[1].members[0].id: duplicate member id "m" (first at groups[0].members[0].id)',
    ),
    (
        json.dumps({"groups": [group("g1", [], [("h", "1")]), group("g2", [], [("h", "1")])]}),
        'groups[1].households[0].id: duplicate household id "h" (first at groups[0].households[0].id)',
    ),
    (
        json.dumps({"groups": [group("g", [("m", "1", "yes")], [])]}),
        'groups[0].members[0].can_contact: expected true or false, got the string "yes"',
    ),
    (
        '{"groups": [{"id": "g", "members": [{"id": "m"}], "households": []}]}',
        'groups[0].members[0]: missing key "building"',
    ),
    (
        '{"groups": [{"id": "g", "members": [], "households": [{"id": "h", "building": null}]}]}',
        "groups[0].households[0].building: expected a string, got null",
    ),
]


@pytest.mark.parametrize(("text", "message"), ASSIGN_ERRORS)
def test_assign_refuses_bad_input_saying_where(text, message):
    with pytest.raises(PlanningInputError, match=re.escape(message)):
        assign_from_json(text)
