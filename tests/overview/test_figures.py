"""The subdistrict overview keeps each area's figures of the day (overview.figures): after every
kind of change they are those computed afresh, and an area nothing touched costs no recount
(issue 18)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from openpyxl import Workbook

from jinlin.core.access import Scope
from jinlin.demo.fieldwork import generate_fieldwork
from jinlin.fieldwork.cases import services as case_services
from jinlin.fieldwork.concerns import services as concern_services
from jinlin.fieldwork.visits import services as visit_services
from jinlin.fieldwork.visits.selectors import due_for_scope
from jinlin.overview.figures import area_figures, compute_area_figures
from jinlin.overview.models import AreaFigures
from jinlin.overview.selectors import subdistrict_rows
from jinlin.party.models import HouseholdContact, PartyOrganisation
from jinlin.people import services as people_services
from jinlin.people.importing import import_sheet
from jinlin.places.models import Household
from tests.factories import HouseholdFactory, ResidentFactory, valid_id
from tests.party.conftest import PartyMemberFactory
from tests.people.sheets import HEADINGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def ids(world):
    return [world.area.pk, world.other_area.pk]


def kept_equal_fresh(ids: list[int]) -> None:
    """The overview's kept figures and each area's kept due visits (今日, the dashboard) are
    what a computation wholly afresh gives."""
    day = timezone.localdate()
    assert area_figures(ids, day) == compute_area_figures(ids, day, kept=False)
    whole = Scope(area_ids=frozenset(ids))
    assert due_for_scope(whole, day) == due_for_scope(whole, day, kept=False)


def test_every_kind_of_change_leaves_the_kept_figures_equal_to_fresh_ones(
    world, ids, worker_in, secretary, admin
):
    kept_equal_fresh(ids)  # kept from here on: each step below must move them
    today = timezone.localdate()

    def step(change):  # type: ignore[no-untyped-def]
        before = area_figures(ids, today)
        change()
        kept_equal_fresh(ids)
        return before, area_figures(ids, today)

    # 登记: a resident joins, another leaves, a third moves to the other area.
    before, after = step(
        lambda: people_services.resident_create(
            household=world.household_a,
            actor=worker_in,
            name="陈阿姨",
            gender="F",
            birth_date=date(1955, 1, 1),
            id_number=valid_id(date(1955, 1, 1), "F"),
        )
    )
    assert after[world.area.pk].residents == before[world.area.pk].residents + 1
    step(
        lambda: people_services.resident_leave(
            resident=world.resident_b, actor=secretary, status="deceased", on=today
        )
    )
    other_household = Household.objects.filter(area=world.other_area).first()
    before, after = step(
        lambda: people_services.resident_update(
            resident=world.resident, actor=None, household=other_household
        )
    )
    assert after[world.other_area.pk].residents == before[world.other_area.pk].residents + 1
    # A household of one aged person: 独居老人 is derived in bulk (no signal).
    alone = HouseholdFactory(building=world.building_a, room="101")
    before, after = step(
        lambda: ResidentFactory(household=alone, name="孤老", birth_date=date(1940, 5, 5))
    )
    assert after[world.area.pk].groups.get("living_alone", 0) >= 1
    # 群体: a manual group.
    step(
        lambda: people_services.group_add_manual(
            resident=world.resident_b, actor=secretary, group="hardship", reason="低保"
        )
    )
    # 望闻问切: a visit, a concern and its rating, a case opened and one closed.
    step(
        lambda: visit_services.visit_record(
            actor=worker_in,
            data=visit_services.VisitInput(household_id=alone.pk, visited_on=today),
        )
    )
    concern = concern_services.concern_record(
        actor=worker_in,
        data=concern_services.ConcernInput(
            channel="office",
            scope="family",
            subcategory="elderly_care",
            words="楼道灯坏了",
            household_id=world.household_a.pk,
        ),
    )
    kept_equal_fresh(ids)
    case = case_services.case_open(
        actor=worker_in,
        data=case_services.CaseInput(
            title="楼道灯坏了",
            scope="community",
            subcategory="facilities",
            compound_id=world.compound_a.pk,
        ),
        evidence=[concern],
    )
    kept_equal_fresh(ids)
    case_services.case_set_root_cause(case=case, actor=worker_in, root_cause="线路老化")
    action = case_services.case_record_plan(
        case=case,
        actor=worker_in,
        actions=[
            case_services.ActionInput(
                description="换灯", owner_id=worker_in.pk, due_on=today + timedelta(days=3)
            )
        ],
    )[0]
    case_services.case_complete_action(action=action, actor=worker_in)
    before, after = step(
        lambda: case_services.case_close(
            case=case, actor=worker_in, outcome="已修好", feedback="satisfied"
        )
    )
    assert after[world.area.pk].work.open_cases == before[world.area.pk].work.open_cases - 1
    # An area's own visit interval changes who is due.
    step(
        lambda: visit_services.visit_interval_set(
            area_id=world.area.pk, actor=secretary, group="living_alone", days=3
        )
    )
    # A subdistrict's own visiting group: a member, then its interval shortened, then retired.
    definition = people_services.group_definition_create(
        actor=admin,
        label="低保",
        category="vulnerable",
        is_sensitive=True,
        visit_days=60,
        subdistrict_id=world.area.subdistrict_id,
    )
    step(
        lambda: people_services.group_add_manual(
            resident=world.resident, actor=secretary, group=definition.code, reason="民政认定"
        )
    )
    before, after = step(
        lambda: people_services.group_definition_update(
            actor=admin, definition=definition, visit_days=1
        )
    )
    assert after[world.area.pk].work.due_visits >= before[world.area.pk].work.due_visits
    step(lambda: people_services.group_definition_retire(actor=admin, definition=definition))
    # 党员联系群众: a member takes a household.
    member = PartyMemberFactory(resident=world.resident_b)
    group = PartyOrganisation.objects.create(
        area=world.area, level=PartyOrganisation.Level.GROUP, name="第一党小组"
    )
    before, after = step(
        lambda: HouseholdContact.objects.create(
            household=world.household_a, member=member, group=group
        )
    )
    assert after[world.area.pk].contacted == before[world.area.pk].contacted + 1
    # An import of a sheet (the raw bulk writer) and a month of demo fieldwork (bulk).
    # Into an empty household that exists: nothing is saved row by row, no group derived.
    empty = HouseholdFactory(building=world.building_b, room="701")
    row = dict.fromkeys(HEADINGS, None)
    row.update(
        {
            "姓名": "导入甲",
            "身份证号": valid_id(date(2000, 2, 2), "M"),
            "小区": world.compound_b.name,
            "楼号": world.building_b.number,
            "室号": empty.room,
        }
    )
    book = Workbook()
    book.active.append(HEADINGS)
    book.active.append([row[h] for h in HEADINGS])
    buffer = io.BytesIO()
    book.save(buffer)
    before, after = step(
        lambda: import_sheet(
            source=buffer.getvalue(), kind="residents", area=world.area, actor=None
        )
    )
    assert after[world.area.pk].residents == before[world.area.pk].residents + 1
    before, after = step(lambda: generate_fieldwork(seed=3, days=30, areas=[world.area]))
    assert after[world.area.pk].work.visits_30d > before[world.area.pk].work.visits_30d


def test_the_next_day_counts_again_and_an_untouched_area_costs_one_query(
    world, ids, django_assert_num_queries
):
    today = timezone.localdate()
    area_figures(ids, today)
    with django_assert_num_queries(1):  # the kept figures with their area's revision now
        kept = area_figures(ids, today)
    assert kept == compute_area_figures(ids, today)
    tomorrow = today + timedelta(days=1)
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=False):
        area_figures(ids, tomorrow)
    assert set(AreaFigures.objects.values_list("day", flat=True)) == {tomorrow}


def test_the_subdistrict_page_shows_the_kept_figures_and_they_follow_a_change(world, admin):
    rows = {row["area"].pk: row for row in subdistrict_rows(admin)}
    assert rows[world.area.pk]["residents"] == 2
    ResidentFactory(household=world.household_b, name="新来的", birth_date=date(1990, 1, 1))
    rows = {row["area"].pk: row for row in subdistrict_rows(admin)}
    assert rows[world.area.pk]["residents"] == 3
    assert AreaFigures.objects.filter(area=world.area).exists()


def test_a_resident_in_a_visiting_group_is_due_where_the_resident_lives_now(world, ids, secretary):
    """A membership keeps the area it was given in; the due visit follows the resident."""
    day = timezone.localdate()
    people_services.group_add_manual(
        resident=world.resident_b, actor=secretary, group="hardship", reason="低保"
    )
    here, there = Scope(area_ids=frozenset([world.area.pk])), Scope(area_ids=frozenset(ids[1:]))
    assert world.household_b.pk in {d.household_id for d in due_for_scope(here, day)[0]}
    kept_equal_fresh(ids)
    moved_to = Household.objects.filter(area=world.other_area).first()
    people_services.resident_update(resident=world.resident_b, actor=None, household=moved_to)
    kept_equal_fresh(ids)
    for kept in (True, False):  # each area alone too, kept and computed afresh
        assert world.household_b.pk not in {
            d.household_id for d in due_for_scope(here, day, kept=kept)[0]
        }
        assert moved_to.pk not in {d.household_id for d in due_for_scope(here, day, kept=kept)[0]}
        assert moved_to.pk in {d.household_id for d in due_for_scope(there, day, kept=kept)[0]}
