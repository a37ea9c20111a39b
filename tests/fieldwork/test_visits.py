"""Care visits through Django: the due list from real groups, visits, intervals, proposals."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jinlin.core.models import AuditEvent
from jinlin.fieldwork.common import services as common_services
from jinlin.fieldwork.models import ProposalStatus, RecordProposal, Visit
from jinlin.fieldwork.visits import selectors as visit_selectors
from jinlin.fieldwork.visits import services as visit_services
from jinlin.people.models import GroupMembership, Resident
from jinlin.people.services import resident_create, resident_leave
from jinlin.places.figures import bump_areas
from tests.factories import HouseholdFactory, ResidentFactory, valid_id
from tests.fieldwork.conftest import TODAY, add_group


def visit(actor, household, on=None, **kwargs):
    return visit_services.visit_record(
        actor=actor,
        data=visit_services.VisitInput(
            household_id=household.pk, visited_on=on or timezone.localdate(), **kwargs
        ),
    )


def due_households(user, on=None) -> list[int]:
    return [row.household_id for row in visit_selectors.due_list(user, on).rows]


def test_living_alone_elderly_never_visited_is_due_with_reason(world, worker_in):
    [row] = visit_selectors.due_list(worker_in).rows
    assert row.household_id == world.household_a.pk
    assert row.address == world.household_a.address
    assert row.reason == "独居老人 · 每7天"
    assert row.names == ["张建国"]
    assert row.is_never_visited
    assert row.due.due_on == date(2010, 3, 2)  # his 60th birthday


def test_each_worker_sees_only_its_patch(world, worker_in, worker_out, secretary, editor):
    assert due_households(worker_in) == [world.household_a.pk]
    assert due_households(worker_out) == [world.household_b.pk]
    assert set(due_households(secretary)) == {world.household_a.pk, world.household_b.pk}
    assert due_households(editor) == []


def test_recording_a_visit_removes_the_household_from_the_due_list(world, worker_in):
    visit(worker_in, world.household_a, mode="phone", condition="fair")
    assert due_households(worker_in) == []
    # Seven days later it is due again, today.
    later = TODAY + timedelta(days=7)
    [row] = visit_selectors.due_list(worker_in, later).rows
    assert row.days_overdue == 0


def test_visit_in_the_future_is_refused_and_nothing_saved(world, worker_in):
    with pytest.raises(ValidationError) as refused:
        visit(worker_in, world.household_a, on=TODAY + timedelta(days=1))
    assert refused.value.message_dict["visited_on"] == [visit_services.MSG_VISIT_IN_FUTURE]
    assert Visit.objects.count() == 0


def test_visit_outside_the_patch_is_refused(world, worker_out):
    with pytest.raises(ValidationError) as refused:
        visit(worker_out, world.household_a)
    assert refused.value.message_dict["household_id"] == [common_services.MSG_HOUSEHOLD_OUTSIDE]


def test_household_in_two_groups_is_due_at_the_shorter_interval(world, worker_in):
    add_group(world.resident, "hardship", date(2024, 1, 1))
    visit(worker_in, world.household_a, on=TODAY - timedelta(days=10))
    [row] = visit_selectors.due_list(worker_in).rows
    assert row.due.interval_days == 7
    assert row.days_overdue == 3
    assert row.due.groups == ("hardship", "living_alone")


def test_sensitive_groups_are_not_named_in_the_due_list(world, worker_in):
    household = HouseholdFactory(building=world.building_a, room="402")
    head = ResidentFactory(household=household, name="陈立新", birth_date=date(1980, 1, 1))
    ResidentFactory(household=household, name="陈小明", birth_date=date(2010, 1, 1))
    add_group(head, "hardship", date(2025, 11, 1))
    other = HouseholdFactory(building=world.building_a, room="403")
    add_group(
        ResidentFactory(household=other, birth_date=date(1975, 1, 1)),
        "serious_illness",
        date(2025, 11, 1),
    )
    rows = {row.household_id: row for row in visit_selectors.due_list(worker_in).rows}
    # The sensitive groups share the shortest of their intervals (大病、失独 14 days by
    # default): the cadence does not tell 困难 from 大病.
    assert rows[household.pk].reason == rows[other.pk].reason == "重点关爱对象 · 每14天"
    assert rows[household.pk].due.interval_days == rows[other.pk].due.interval_days == 14


def test_moving_out_removes_the_due_visit(world, worker_in):
    resident_leave(resident=world.resident, actor=worker_in, status="moved_out", on=TODAY)
    assert due_households(worker_in) == []


def test_death_removes_the_due_visit(world, worker_in):
    resident_leave(
        resident=world.resident, actor=worker_in, status="deceased", on=TODAY - timedelta(days=2)
    )
    assert due_households(worker_in) == []


def test_someone_moving_in_ends_living_alone(world, worker_in):
    resident_create(
        household=world.household_a,
        actor=worker_in,
        name="张小红",
        gender="F",
        birth_date=date(1985, 6, 1),
        id_number=valid_id(date(1985, 6, 1), "F"),
    )
    assert due_households(worker_in) == []


def test_turning_sixty_alone_adds_a_due_visit_on_the_birthday(world, worker_in):
    household = HouseholdFactory(building=world.building_a, room="502")
    birthday = date(1965, 11, 28)  # turns 60 in three days
    ResidentFactory(household=household, name="刘阿姨", gender="F", birth_date=birthday)
    membership = GroupMembership.objects.get(resident__household=household, group="living_alone")
    assert membership.since == date(2025, 11, 28)
    assert household.pk not in due_households(worker_in)
    assert household.pk in due_households(worker_in, date(2025, 11, 28))


def test_area_interval_overrides_the_default(world, worker_in, secretary):
    visit(worker_in, world.household_a, on=TODAY - timedelta(days=5))
    assert due_households(worker_in) == []
    visit_services.visit_interval_set(
        area_id=world.area.pk, actor=secretary, group="living_alone", days=5
    )
    [row] = visit_selectors.due_list(worker_in).rows
    assert row.reason == "独居老人 · 每5天"


def test_only_the_secretary_sets_intervals(world, worker_in, secretary):
    with pytest.raises(PermissionDenied):
        visit_services.visit_interval_set(
            area_id=world.area.pk, actor=worker_in, group="living_alone", days=5
        )
    with pytest.raises(ValidationError):
        visit_services.visit_interval_set(
            area_id=world.area.pk, actor=secretary, group="living_alone", days=0
        )
    with pytest.raises(ValidationError):
        visit_services.visit_interval_set(
            area_id=world.area.pk, actor=secretary, group="talent", days=10
        )


def test_due_list_query_count_does_not_grow(world, worker_in):
    worker_in.refresh_from_db()
    visit_selectors.due_list(worker_in)  # warms the scope cache

    def counts() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as first:
            visit_selectors.due_list(worker_in)
        with CaptureQueriesContext(connection) as again:
            rows = visit_selectors.due_list(worker_in).rows
        return len(first.captured_queries), len(again.captured_queries), len(rows)

    bump_areas([world.area.pk])
    # After a write: the patch's areas, their kept dues with their revisions, the revisions
    # again, then the area's due visits computed (visiting codes, memberships, last visits,
    # intervals) and kept, then the names shown with their households' addresses. Next: the
    # same but computing and keeping.
    assert counts() == (9, 3, 1)
    for room in range(10):
        household = HouseholdFactory(building=world.building_a, room=f"9{room:02d}")
        ResidentFactory(household=household, name="独居", birth_date=date(1940, 1, 1))
        visit(worker_in, household, on=TODAY - timedelta(days=8))
    assert counts() == (9, 3, 11)


def test_a_due_household_whose_resident_moved_since_keeps_its_address(world, worker_in):
    """The kept dues name the residents a visit is due for; moved by a bulk update (no
    revision moved, the kept dues not computed again) the resident no longer gives its old
    household's address, which is then read on its own."""
    worker_in.refresh_from_db()
    elsewhere = HouseholdFactory(building=world.building_a, room="1808")
    [row] = visit_selectors.due_list(worker_in).rows
    Resident.objects.filter(household_id=row.household_id).update(household=elsewhere)
    [again] = visit_selectors.due_list(worker_in).rows
    assert again.household_id == row.household_id
    assert again.address == row.address and again.address.endswith("室")
    assert again.names == row.names


# --- proposals -------------------------------------------------------------------------------


@pytest.fixture
def proposal(world, worker_in) -> RecordProposal:
    done = visit(worker_in, world.household_a, family_situation="独居，女儿在外地")
    return visit_services.proposal_create(
        visit=done,
        actor=worker_in,
        resident_id=world.resident.pk,
        field="phone",
        value="139 1111 2222",
        reason="老人换了手机号",
    )


def test_proposal_is_normalised_and_pending(proposal):
    assert proposal.value == "13911112222"
    assert proposal.status == ProposalStatus.PENDING


def test_secretary_accepts_and_the_record_changes_with_history(proposal, secretary, world):
    visit_services.proposal_accept(proposal=proposal, actor=secretary, note="已电话核实")
    world.resident.refresh_from_db()
    assert world.resident.phone == "13911112222"
    latest = world.resident.history.order_by("-history_date").first()
    assert latest.history_user == secretary
    assert AuditEvent.objects.filter(action="change", object_id=str(world.resident.pk)).exists()


def test_the_proposer_may_not_accept_its_own_proposal(proposal, worker_in, world):
    with pytest.raises(PermissionDenied):
        visit_services.proposal_accept(proposal=proposal, actor=worker_in)
    world.resident.refresh_from_db()
    assert world.resident.phone == "13812345678"


def test_a_colleague_in_the_patch_may_decide(proposal, world):
    from tests.factories import UserFactory

    colleague = UserFactory(role="worker", area=world.area)
    colleague.patch_compounds.set([world.compound_a])
    visit_services.proposal_accept(proposal=proposal, actor=colleague)
    assert RecordProposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED


def test_worker_outside_the_patch_may_not_decide(proposal, worker_out):
    with pytest.raises(PermissionDenied):
        visit_services.proposal_accept(proposal=proposal, actor=worker_out)


def test_rejecting_needs_a_reason_and_changes_nothing(proposal, secretary, world):
    with pytest.raises(ValidationError):
        visit_services.proposal_reject(proposal=proposal, actor=secretary, note="")
    visit_services.proposal_reject(proposal=proposal, actor=secretary, note="号码有误")
    world.resident.refresh_from_db()
    assert world.resident.phone == "13812345678"
    with pytest.raises(ValidationError):
        visit_services.proposal_accept(
            proposal=RecordProposal.objects.get(pk=proposal.pk), actor=secretary
        )


def test_bad_proposal_values_are_refused(world, worker_in):
    done = visit(worker_in, world.household_a)
    for field, value in (
        ("health", "很好"),
        ("phone", "12345"),
        ("is_retired", "也许"),
        ("id_number", "x"),
    ):
        with pytest.raises(ValidationError):
            visit_services.proposal_create(
                visit=done, actor=worker_in, resident_id=world.resident.pk, field=field, value=value
            )
    assert RecordProposal.objects.count() == 0


def test_accepting_health_and_hobbies(world, worker_in, secretary):
    done = visit(worker_in, world.household_a)
    health = visit_services.proposal_create(
        visit=done, actor=worker_in, resident_id=world.resident.pk, field="health", value="chronic"
    )
    hobbies = visit_services.proposal_create(
        visit=done,
        actor=worker_in,
        resident_id=world.resident.pk,
        field="hobbies",
        value="象棋、太极",
    )
    visit_services.proposal_accept(proposal=health, actor=secretary)
    visit_services.proposal_accept(proposal=hobbies, actor=secretary)
    world.resident.refresh_from_db()
    assert world.resident.health == "chronic"
    assert world.resident.hobbies == ["象棋", "太极"]
