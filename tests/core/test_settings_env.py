"""Settings read from the environment: what an operator sets is what the product uses."""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "from jinlin.woodpecker.conf import setting; "
    "print(json.dumps({k: setting(k) for k in ('POINTS', 'EXCELLENT_COUNT', 'CASH_YUAN', "
    "'DEADLINE_DAY', 'SOUVENIR', 'RATE_LIMITS')}))"
)


def run_probe(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "jinlin.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=environment, capture_output=True, text=True, timeout=60
    )


def test_woodpecker_awards_follow_the_environment():
    result = run_probe(
        JINLIN_WOODPECKER_POINTS="2,4,8",
        JINLIN_WOODPECKER_EXCELLENT="5",
        JINLIN_WOODPECKER_CASH_YUAN="200",
        JINLIN_WOODPECKER_DEADLINE_DAY="3",
        JINLIN_WOODPECKER_SOUVENIR="帆布袋",
        JINLIN_WOODPECKER_REPORTS_PER_HOUR="4",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["POINTS"] == {"minor": 2, "moderate": 4, "major": 8}
    assert values["EXCELLENT_COUNT"] == 5 and values["CASH_YUAN"] == 200
    assert values["DEADLINE_DAY"] == 3 and values["SOUVENIR"] == "帆布袋"
    assert values["RATE_LIMITS"]["report"] == [4, 3600]


def test_without_variables_the_defaults_of_september_2022_apply():
    result = run_probe()
    values = json.loads(result.stdout)
    assert values["POINTS"] == {"minor": 1, "moderate": 2, "major": 3}
    assert values["EXCELLENT_COUNT"] == 10 and values["CASH_YUAN"] == 100


def test_a_malformed_points_setting_stops_the_start_with_a_message():
    result = run_probe(JINLIN_WOODPECKER_POINTS="1,2")
    assert result.returncode != 0
    assert "JINLIN_WOODPECKER_POINTS" in result.stderr


PLANNER_PROBE = (
    "import django, json; from django.conf import settings; django.setup(); "
    "print(json.dumps({k: d.get('OPTIONS', {}).get('options') for k, d in "
    "settings.DATABASES.items()}))"
)


def run_planner_probe(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jinlin.settings",
        "DATABASE_URL": "postgres://jinlin@db.invalid:5432/jinlin",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", PLANNER_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_postgresql_connections_price_random_reads_for_ssds_unless_told_otherwise():
    default = run_planner_probe()
    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout) == {"default": "-c random_page_cost=1.1"}
    chosen = run_planner_probe(
        JINLIN_PG_RANDOM_PAGE_COST="2",
        DATABASE_REPLICA_URL="postgres://jinlin@replica.invalid:5432/jinlin",
    )
    assert json.loads(chosen.stdout) == {
        "default": "-c random_page_cost=2",
        "replica": "-c random_page_cost=2",
    }
    left_to_the_server = run_planner_probe(JINLIN_PG_RANDOM_PAGE_COST="")
    assert json.loads(left_to_the_server.stdout) == {"default": None}
    sqlite = run_planner_probe(DATABASE_URL="sqlite:////tmp/jinlin-probe.sqlite3")
    assert json.loads(sqlite.stdout) == {"default": None}


def test_a_malformed_planner_cost_stops_the_start_with_a_message():
    for value in ("fast", "0", "-1"):
        result = run_planner_probe(JINLIN_PG_RANDOM_PAGE_COST=value)
        assert result.returncode != 0
        assert "JINLIN_PG_RANDOM_PAGE_COST must be a positive number" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")
def test_the_planner_cost_reaches_every_postgresql_connection():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
