"""`jinlin visits due` and the demo fieldwork generator."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jinlin.fieldwork.models import Case, CaseEvent, CaseStatus, Visit, derive_case_status
from jinlin.fieldwork.visits import services as visit_services
from tests.fieldwork.conftest import TODAY


def run(*args: str) -> str:
    out = StringIO()
    call_command("visits", *args, stdout=out)
    return out.getvalue()


def test_visits_due_prints_the_workers_list(world, worker_in):
    text = run("due", "--worker", worker_in.username)
    assert "应走访 1 户" in text
    assert "绿园八村12号楼301室  张建国  独居老人 · 每7天  从未走访（2010-03-02 起）" in text


def test_visits_due_json_and_date(world, worker_in):
    visit_services.visit_record(
        actor=worker_in,
        data=visit_services.VisitInput(household_id=world.household_a.pk, visited_on=TODAY),
    )
    assert json.loads(run("due", "--worker", worker_in.username, "--json"))["total"] == 0
    later = json.loads(run("due", "--worker", worker_in.username, "--json", "--date", "2025-12-04"))
    assert later["date"] == "2025-12-04"
    [item] = later["items"]
    assert item["days_overdue"] == 2
    assert item["last_visit"] == "2025-11-25"


def test_visits_due_refuses_unknown_worker_and_bad_date(world, worker_in):
    with pytest.raises(CommandError, match="没有这个账号"):
        run("due", "--worker", "nobody")
    with pytest.raises(CommandError, match="日期格式"):
        run("due", "--worker", worker_in.username, "--date", "25/11/2025")


def test_visits_due_for_an_editor_is_empty(world, editor):
    assert "应走访 0 户" in run("due", "--worker", editor.username)


def test_demo_fieldwork_makes_consistent_records(db):
    from jinlin.demo.fieldwork import generate_fieldwork
    from jinlin.demo.generator import generate
    from jinlin.places.models import Area

    generate(scale="small", seed=3)
    area = Area.objects.order_by("id").first()
    report = generate_fieldwork(areas=[area], days=60, seed=3)
    assert report.visits == Visit.objects.count() > 0
    assert report.cases == Case.objects.count() > 0
    assert not Visit.objects.filter(visited_on__gt=TODAY).exists()
    for case in Case.objects.prefetch_related("actions")[:200]:
        actions = list(case.actions.all())
        assert case.status == derive_case_status(
            has_root_cause=bool(case.root_cause),
            actions=len(actions),
            open_actions=sum(1 for a in actions if a.done_at is None),
            is_closed=case.closed_at is not None,
        )
        assert all(a.due_on >= case.opened_on for a in actions)
        if case.status == CaseStatus.CLOSED:
            assert case.feedback
    assert CaseEvent.objects.filter(kind="opened").count() == report.cases
    # Residents' concerns by 扫码, with receipts, replies and ratings (the door's figures).
    from jinlin.fieldwork.concerns.models import Channel, Concern, Rating

    door = list(Concern.objects.filter(area=area, channel=Channel.QR_CODE))
    assert len(door) >= 24
    assert all(c.receipt and len(c.receipt) == 16 and c.recorded_by_id is None for c in door)
    assert all(c.replied_at is None or c.replied_at > c.received_at for c in door)
    assert all(not c.rating or c.closed_at or c.needs_secretary_review for c in door)
    assert all(c.needs_secretary_review == (c.rating == Rating.UNSATISFIED) for c in door)
    assert {c.rating for c in door} >= {Rating.SATISFIED, ""}
    # A second window adds to the same area without clashing (collection points are reused).
    generate_fieldwork(areas=[area], days=30, seed=4)
