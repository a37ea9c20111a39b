"""`jinlin party …`: JSON shapes of the what-if commands, exit status 2 on bad input, the
database proposal printed as a diff and applied only with --apply."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jinlin.core.models import AuditEvent
from jinlin.party.formation import BUILDING_ALONE_REASON
from jinlin.party.models import HouseholdContact, PartyOrganisation, Reorganisation

JINLIN = Path(sys.executable).parent / "jinlin"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("party", *args, stdout=out)
    return out.getvalue()


def write(tmp_path, data, name="input.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


ROW = {
    "threshold": 3,
    "compounds": [
        {
            "id": "绿园八村",
            "buildings": [
                {"id": "1", "members": 5},
                {"id": "2", "members": 1},
                {"id": "3", "members": 2},
            ],
            "adjacency": [["1", "2"], ["2", "3"]],
        },
        {"id": "绿园九村", "buildings": [{"id": "7", "members": 2}]},
    ],
}


def test_organize_json_shape(tmp_path):
    result = json.loads(run("organize", "--input", write(tmp_path, ROW), "--json"))
    by_id = {c["id"]: c for c in result["compounds"]}
    assert by_id["绿园八村"] == {
        "id": "绿园八村",
        "groups": [{"buildings": ["1"], "members": 5}, {"buildings": ["2", "3"], "members": 3}],
        "unplaceable": [],
    }
    assert by_id["绿园九村"]["groups"] == []
    assert by_id["绿园九村"]["unplaceable"] == [
        {
            "buildings": ["7"],
            "members": 2,
            "reason": BUILDING_ALONE_REASON.format(members=2, threshold=3),
        }
    ]


def test_organize_without_json_prints_a_summary(tmp_path):
    text = run("organize", "--input", write(tmp_path, ROW))
    assert "党小组 1（5 名）" in text and "无法编入 7" in text


def test_assign_json_shape(tmp_path):
    data = {
        "groups": [
            {
                "id": "g1",
                "members": [
                    {"id": "m1", "building": "1", "can_contact": True},
                    {"id": "m2", "building": "2"},
                    {"id": "m3", "building": "2", "can_contact": False},
                ],
                "households": [
                    {"id": "h1", "building": "1"},
                    {"id": "h2", "building": "2"},
                    {"id": "h3", "building": "2"},
                ],
            }
        ]
    }
    result = json.loads(run("assign", "--input", write(tmp_path, data), "--json"))
    assignments = result["assignments"]
    assert set(assignments) == {"h1", "h2", "h3"} and set(assignments.values()) <= {"m1", "m2"}
    assert assignments["h1"] == "m1" and assignments["h2"] == "m2"


@pytest.mark.parametrize(
    ("action", "data", "message"),
    [
        ("organize", "{not json", "not valid JSON"),
        (
            "organize",
            {
                "compounds": [
                    {"id": "A", "buildings": [{"id": "1", "members": 1}], "adjacency": [["1", "9"]]}
                ]
            },
            'unknown building "9"',
        ),
        (
            "organize",
            {"compounds": [{"id": "A", "buildings": [{"id": "1", "members": -2}]}]},
            "at least 0",
        ),
        (
            "organize",
            {
                "compounds": [
                    {"id": "A", "buildings": [{"id": "1", "members": 1}, {"id": "1", "members": 2}]}
                ]
            },
            "duplicate",
        ),
        (
            "assign",
            {"groups": [{"id": "g", "members": [], "households": [{"id": "h"}]}]},
            "building",
        ),
        ("assign", [], "object"),
    ],
)
def test_bad_input_is_a_clear_message_and_status_2(tmp_path, action, data, message):
    with pytest.raises(CommandError) as error:
        run(action, "--input", write(tmp_path, data), "--json")
    assert error.value.returncode == 2
    assert str(error.value).startswith("输入有误：") and message in str(error.value)


def test_missing_file_is_status_2(tmp_path):
    with pytest.raises(CommandError) as error:
        run("organize", "--input", str(tmp_path / "nope.json"), "--json")
    assert error.value.returncode == 2 and "无法读取输入文件" in str(error.value)


@pytest.mark.parametrize(
    "args",
    [
        ["organize"],
        ["organize", "--input", "x.json", "--area", "lv8"],
        ["assign", "--input", "x.json", "--apply"],
    ],
)
def test_wrong_combinations_are_status_2(args):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 2


def test_the_real_command_exits_2_with_the_message_on_stderr(tmp_path):
    env = {
        **os.environ,
        "JINLIN_VAR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "jinlin.settings",
    }
    env.pop("DATABASE_URL", None)
    bad = write(tmp_path, {"compounds": [{"id": "A", "buildings": [{"id": "1", "members": -1}]}]})
    done = subprocess.run(
        [str(JINLIN), "party", "organize", "--input", bad, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert "输入有误" in done.stderr and "members" in done.stderr
    good = subprocess.run(
        [str(JINLIN), "party", "organize", "--input", write(tmp_path, ROW, "ok.json"), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert good.returncode == 0 and json.loads(good.stdout)["threshold"] == 3


# --- on the database ------------------------------------------------------------------------


@pytest.mark.django_db
def test_area_proposal_is_printed_and_not_applied_without_apply(party):
    text = run("organize", "--area", "lv8")
    assert "新增" in text and "13、14号楼党小组" in text and "--apply" in text
    assert not PartyOrganisation.objects.exists()


@pytest.mark.django_db
def test_area_apply_reorganises_with_audit(party):
    text = run("organize", "--area", "绿八居民区", "--apply")
    assert "已执行调整" in text
    assert PartyOrganisation.objects.filter(level="group").count() == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.REORGANISE)
    assert event.actor is None and event.actor_name == "jinlin party organize"
    assert Reorganisation.objects.get().applied_by_name == "jinlin party organize"
    assert "无需调整" in run("organize", "--area", "lv8")


@pytest.mark.django_db
def test_area_organize_json(party):
    result = json.loads(run("organize", "--area", "lv8", "--json", "--apply"))
    assert result["area"] == "lv8" and not result["is_empty"] and result["applied"]
    assert {"branches", "groups", "moves", "member_changes"} <= set(result["diff"])


@pytest.mark.django_db
def test_area_assign_dry_run_then_apply(party):
    run("organize", "--area", "lv8", "--apply")
    dry = json.loads(run("assign", "--area", "lv8", "--json"))
    assert dry["applied"] is False and sum(g["changed"] for g in dry["groups"]) == 8
    assert not HouseholdContact.objects.exists()
    run("assign", "--area", "lv8", "--apply")
    assert HouseholdContact.objects.filter(ended_on__isnull=True).count() == 8


@pytest.mark.django_db
def test_coverage_json(party):
    result = json.loads(run("coverage", "--area", "lv8", "--json"))
    assert result["households"] == 8 and result["covered"] == 0
    assert result["counts"]["building_no_group"] == 4
    assert {"kind", "object_type", "object_id", "label", "reason"} == set(result["gaps"][0])


@pytest.mark.django_db
def test_unknown_area_is_status_2(world):
    with pytest.raises(CommandError) as error:
        run("organize", "--area", "nowhere")
    assert error.value.returncode == 2 and "nowhere" in str(error.value)
