"""群体类别: an area's own groups beside the eight built-ins, as a secretary and a worker meet
them: added on the area's page, assigned on the resident's page, masked like 困难家庭 when
sensitive, due for care visits at their interval, suppressed in the overview, retired without
losing a membership."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jinlin.core.disclosure import SUPPRESSED
from jinlin.core.models import AuditEvent, Role
from jinlin.fieldwork.visits import selectors as visit_selectors
from jinlin.fieldwork.visits import services as visit_services
from jinlin.overview import selectors as overview_selectors
from jinlin.party.models import PartyOrganisation
from jinlin.people import exporting, selectors, services
from jinlin.people.catalogue import clear_cache, group_catalogue, is_sensitive, kind_of, sensitive_q
from jinlin.people.importing import import_sheet
from jinlin.people.masking import unmask
from jinlin.people.models import GroupDefinition, GroupMembership
from tests.conftest import login
from tests.factories import HouseholdFactory, ResidentFactory, UserFactory
from tests.people.sheets import read_xlsx

TODAY = date(2025, 12, 4)


def dibao(secretary, world, **fields) -> GroupDefinition:
    values = {
        "label": "低保",
        "category": "vulnerable",
        "is_sensitive": True,
        "visit_days": 30,
        "area_id": world.area.pk,
    }
    values.update(fields)
    return services.group_definition_create(actor=secretary, **values)


def member(resident, definition, actor, since: date | None = None) -> GroupMembership:
    membership = services.group_add_manual(
        resident=resident, actor=actor, group=definition.code, reason="民政认定"
    )
    if since is not None:
        GroupMembership.objects.filter(pk=membership.pk).update(since=since)
    return membership


# --- the secretary's page ---------------------------------------------------------------


def test_the_secretary_adds_a_sensitive_group_with_a_visit_interval_on_the_area_page(
    world, secretary
):
    client = login(secretary)
    answer = client.post(
        f"/areas/{world.area.pk}/groups/new/",
        {
            "label": "低保",
            "category": "vulnerable",
            "is_sensitive": "on",
            "assignable_by": "worker",
            "visit_days": "30",
        },
    )
    assert answer.status_code == 302
    definition = GroupDefinition.objects.get(label="低保")
    assert (definition.is_sensitive, definition.visit_days, definition.area_id) == (
        True,
        30,
        world.area.pk,
    )
    assert definition.created_by == secretary
    page = client.get(f"/areas/{world.area.pk}/groups/").content.decode()
    assert "低保" in page and "每30天" in page and "停用" in page
    assert "低保" in [kind.label for kind in group_catalogue(world.area.pk).kinds]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": "困难家庭"}, "本居民区已有名为“困难家庭”的群体"),
        ({"label": "低保"}, "本居民区已有名为“低保”的群体"),
        ({"label": "残疾", "visit_days": "0"}, "走访周期须为 1–365 天"),
        ({"label": "残疾", "visit_days": "366"}, "走访周期须为 1–365 天"),
        ({"label": "残疾", "visit_days": "三十"}, "走访周期须为 1–365 天"),
    ],
)
def test_bad_input_is_answered_in_chinese_and_changes_nothing(world, secretary, fields, message):
    dibao(secretary, world)
    before = GroupDefinition.objects.count()
    form = {"category": "vulnerable", "assignable_by": "worker", "visit_days": "", **fields}
    answer = login(secretary).post(f"/areas/{world.area.pk}/groups/new/", form)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert GroupDefinition.objects.count() == before


def test_a_worker_cannot_add_edit_or_retire_a_group(world, secretary, worker_in):
    client = login(worker_in)
    answer = client.post(
        f"/areas/{world.area.pk}/groups/new/",
        {"label": "残疾", "category": "vulnerable", "assignable_by": "worker"},
    )
    assert answer.status_code == 403
    assert "只有居民区书记/主任" in answer.content.decode()
    assert not GroupDefinition.objects.filter(label="残疾").exists()
    with pytest.raises(PermissionDenied):
        services.group_definition_create(
            actor=worker_in,
            label="残疾",
            category="vulnerable",
            is_sensitive=False,
            area_id=world.area.pk,
        )
    definition = dibao(secretary, world)
    assert client.post(f"/group-definitions/{definition.pk}/retire/").status_code == 404
    assert client.get(f"/group-definitions/{definition.pk}/edit/").status_code == 404
    definition.refresh_from_db()
    assert definition.retired_at is None
    # The worker reads the area's groups, without the buttons.
    page = client.get(f"/areas/{world.area.pk}/groups/").content.decode()
    assert "低保" in page and "添加群体" not in page


def test_another_areas_secretary_cannot_touch_the_group(world, secretary):
    definition = dibao(secretary, world)
    stranger = UserFactory(username="shuji2", role=Role.AREA_SECRETARY, area=world.other_area)
    client = login(stranger)
    assert client.post(f"/group-definitions/{definition.pk}/edit/", {}).status_code == 404
    assert client.post(f"/group-definitions/{definition.pk}/retire/").status_code == 404
    # And the group is not in its area's catalogue.
    assert group_catalogue(world.other_area.pk).get(definition.code) is None


def test_editing_changes_label_and_interval_but_never_sensitivity(world, secretary):
    definition = dibao(secretary, world)
    answer = login(secretary).post(
        f"/group-definitions/{definition.pk}/edit/",
        {"label": "最低生活保障", "category": "vulnerable", "assignable_by": "secretary"},
    )
    assert answer.status_code == 302
    definition.refresh_from_db()
    assert (definition.label, definition.visit_days, definition.is_sensitive) == (
        "最低生活保障",
        None,
        True,
    )
    assert definition.assignable_by == "secretary"
    assert definition.history.count() == 2


# --- assigning, "who may assign" and retiring --------------------------------------------


def test_a_worker_assigns_the_group_on_the_resident_page_with_who_when_and_why(
    world, secretary, worker_in
):
    definition = dibao(secretary, world)
    client = login(worker_in)
    form = client.get(f"/residents/{world.resident.pk}/groups/add/").content.decode()
    assert "低保" in form
    answer = client.post(
        f"/residents/{world.resident.pk}/groups/add/",
        {"group": definition.code, "reason": "街道民政科认定，2025年低保证"},
    )
    assert answer.status_code == 302
    membership = GroupMembership.objects.get(resident=world.resident, group=definition.code)
    assert membership.set_by == worker_in
    assert membership.reason == "街道民政科认定，2025年低保证"
    assert membership.source == GroupMembership.Source.MANUAL


def test_a_group_kept_for_the_secretary_is_refused_to_a_worker(world, secretary, worker_in):
    definition = dibao(secretary, world, label="优抚", assignable_by="secretary")
    client = login(worker_in)
    assert "优抚" not in client.get(f"/residents/{world.resident.pk}/groups/add/").content.decode()
    answer = client.post(
        f"/residents/{world.resident.pk}/groups/add/",
        {"group": definition.code, "reason": "优抚对象"},
    )
    assert answer.status_code == 200
    assert not GroupMembership.objects.filter(group=definition.code).exists()
    with pytest.raises(ValidationError) as refused:
        member(world.resident, definition, worker_in)
    assert "仅由居民区书记/主任认定" in str(refused.value)
    member(world.resident, definition, secretary)
    assert GroupMembership.objects.filter(group=definition.code).count() == 1


def test_a_retired_group_takes_no_new_member_and_keeps_the_old_ones(world, secretary, worker_in):
    definition = dibao(secretary, world, is_sensitive=False, label="退役军人", visit_days=None)
    member(world.resident, definition, worker_in)
    answer = login(secretary).post(f"/group-definitions/{definition.pk}/retire/")
    assert answer.status_code == 302
    definition.refresh_from_db()
    assert definition.retired_at is not None and definition.retired_by == secretary
    with pytest.raises(ValidationError) as refused:
        member(world.resident_b, definition, secretary)
    assert "该群体已停用" in str(refused.value)
    assert "退役军人" not in [kind.label for kind in group_catalogue(world.area.pk).kinds]
    form = login(worker_in).get(f"/residents/{world.resident.pk}/groups/add/").content.decode()
    assert "退役军人" not in form
    # The old membership stays, with its label, on the resident's page and in its story.
    labels = [row["label"] for row in selectors.resident_groups(world.resident)]
    assert "退役军人" in labels
    story = login(secretary).get(f"/residents/{world.resident.pk}/story/").content.decode()
    assert "退役军人" in story
    with pytest.raises(PermissionDenied):
        definition.delete()


def test_a_subdistrict_group_appears_in_every_area_of_the_subdistrict(world, admin, worker_in):
    answer = login(admin).post(
        "/subdistrict/groups/new/",
        {"label": "残疾", "category": "vulnerable", "assignable_by": "worker", "visit_days": ""},
    )
    assert answer.status_code == 302
    definition = GroupDefinition.objects.get(label="残疾")
    assert definition.subdistrict_id == world.area.subdistrict_id and definition.area_id is None
    for area in (world.area, world.other_area):
        assert group_catalogue(area.pk).get(definition.code) is not None
    # The area's secretary may not add a group of the same label beside it.
    secretary = UserFactory(username="shuji", role=Role.AREA_SECRETARY, area=world.area)
    with pytest.raises(ValidationError):
        services.group_definition_create(
            actor=secretary,
            label="残疾",
            category="vulnerable",
            is_sensitive=False,
            area_id=world.area.pk,
        )
    member(world.resident, definition, worker_in)
    assert "残疾" in login(admin).get("/subdistrict/groups/").content.decode()


# --- masking like 困难家庭 -------------------------------------------------------------------


def test_a_sensitive_custom_group_is_masked_like_hardship(world, secretary, worker_in):
    definition = dibao(secretary, world)
    member(world.resident, definition, worker_in)
    services.group_add_manual(
        resident=world.resident, actor=worker_in, group="hardship", reason="困难"
    )
    assert is_sensitive(definition.code)
    client = login(worker_in)
    page = client.get(f"/residents/{world.resident.pk}/").content.decode()
    tags = page[
        page.index('<div class="tags">') : page.index("</div>", page.index('<div class="tags">'))
    ]
    assert "低保" not in tags and "困难家庭" not in tags
    # Whole only on an audited look, named alongside 困难家庭.
    whole = unmask(
        user=worker_in, resident=world.resident, fields=["sensitive_groups"], reason="走访核对"
    )
    assert whole["sensitive_groups"] == ["低保", "困难家庭"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.UNMASK).count() == 1
    # The group's list is a sensitive list: each opening audited with how many it named.
    answer = client.get(f"/areas/{world.area.pk}/groups/{definition.code}/")
    assert answer.status_code == 200 and "张建国" in answer.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW_SENSITIVE)
    assert event.object_id == definition.code and "count:1" in event.fields
    # The story, the chain and the admin leave it out, as they leave out 困难家庭.
    story = client.get(f"/residents/{world.resident.pk}/story/").content.decode()
    assert "低保" not in story and "困难家庭" not in story
    assert not GroupMembership.objects.filter(group=definition.code).exclude(sensitive_q()).exists()


def test_a_sensitive_custom_group_is_not_listed_to_a_role_that_may_not_see_it(world, secretary):
    definition = dibao(secretary, world)
    member(world.resident, definition, secretary)
    zhibu = UserFactory(username="zhibu", role=Role.BRANCH_SECRETARY, area=world.area)
    zhibu.patch_compounds.set([world.compound_a])
    assert login(zhibu).get(f"/areas/{world.area.pk}/groups/{definition.code}/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).exists()


# --- care visits ----------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_members_of_a_group_with_visit_days_become_due_at_its_interval(world, secretary, worker_in):
    definition = dibao(secretary, world, is_sensitive=False, label="残疾", visit_days=21)
    household = HouseholdFactory(building=world.building_a, room="402")
    head = ResidentFactory(household=household, name="陈立新", birth_date=date(1980, 1, 1))
    member(head, definition, worker_in, since=date(2025, 11, 1))
    [row] = [r for r in visit_selectors.due_list(worker_in).rows if r.household_id == household.pk]
    assert row.reason == "残疾 · 每21天" and row.due.interval_days == 21
    # Never visited: due from the day it entered the group.
    assert row.due.due_on == date(2025, 11, 1)
    # The secretary's own interval for the group wins over the group's default.
    visit_services.visit_interval_set(
        area_id=world.area.pk, actor=secretary, group=definition.code, days=60
    )
    [row] = [r for r in visit_selectors.due_list(worker_in).rows if r.household_id == household.pk]
    assert row.reason == "残疾 · 每60天"


@time_machine.travel(TODAY, tick=False)
def test_a_sensitive_custom_group_is_due_unnamed_and_shares_the_sensitive_cadence(
    world, secretary, worker_in
):
    definition = dibao(secretary, world)  # 低保, sensitive, 30 days
    household = HouseholdFactory(building=world.building_a, room="402")
    head = ResidentFactory(household=household, birth_date=date(1980, 1, 1))
    member(head, definition, worker_in, since=date(2025, 10, 1))
    [row] = [r for r in visit_selectors.due_list(worker_in).rows if r.household_id == household.pk]
    # The sensitive groups share the shortest of their intervals (大病、失独 14 days): the
    # cadence does not tell 低保 from 大病, nor does the reason.
    assert row.reason == "重点关爱对象 · 每14天"


@time_machine.travel(TODAY, tick=False)
def test_a_retired_group_makes_nobody_due(world, secretary, worker_in):
    definition = dibao(secretary, world, is_sensitive=False, label="残疾", visit_days=21)
    household = HouseholdFactory(building=world.building_a, room="402")
    member(ResidentFactory(household=household), definition, worker_in, since=date(2025, 11, 1))
    services.group_definition_retire(actor=secretary, definition=definition)
    assert household.pk not in [r.household_id for r in visit_selectors.due_list(worker_in).rows]


# --- the overview ---------------------------------------------------------------------------


def test_the_overview_suppresses_small_counts_of_a_sensitive_custom_group(world, secretary, admin):
    definition = dibao(secretary, world)
    member(world.resident, definition, secretary)
    group = PartyOrganisation.objects.create(area=world.area, level="group", name="第一党小组")
    group.buildings.set([world.building_a])
    leader = UserFactory(username="xiaozu", role=Role.GROUP_LEADER, party_organisation=group)
    client = login(leader)
    overview = client.get(f"/api/v1/areas/{world.area.pk}/overview").json()
    assert overview[0]["groups"][definition.code] == SUPPRESSED
    page = client.get(f"/areas/{world.area.pk}/").content.decode()
    assert "低保" in page and "&lt;3" in page
    # The subdistrict, which has not opened the area, sees "<3" too.
    row = next(r for r in login(admin).get("/api/v1/areas").json() if r["id"] == world.area.pk)
    assert row["groups"][definition.code] == SUPPRESSED
    # The secretary, who may open the people counted, sees the count.
    mine = overview_selectors.area_overview(secretary, world.area)
    counted = next(r for r in mine if r.compound_id == world.compound_a.pk)
    assert counted.groups[definition.code] == 1


# --- exports and imports --------------------------------------------------------------------


def _rows(content):
    rows = read_xlsx(content)
    headings = rows[1]
    return [dict(zip(headings, row, strict=False)) for row in rows[2:]]


def _set_cell(content: bytes, name: str, heading: str, value: str) -> bytes:
    book = load_workbook(io.BytesIO(content))
    worksheet = book.active
    headings = [cell.value for cell in worksheet[2]]
    for row in worksheet.iter_rows(min_row=3):
        if row[headings.index("姓名")].value == name:
            row[headings.index(heading)].value = value
    edited = io.BytesIO()
    book.save(edited)
    return edited.getvalue()


def test_the_resident_export_carries_custom_groups_masked_when_sensitive(
    world, secretary, worker_in
):
    veteran = dibao(secretary, world, label="退役军人", is_sensitive=False, visit_days=None)
    low = dibao(secretary, world)
    member(world.resident, veteran, secretary)
    member(world.resident, low, secretary)
    masked = exporting.export_residents(
        user=worker_in, selection=exporting.select(worker_in, area_id=world.area.pk)
    )
    [row] = [r for r in _rows(masked.content) if r["姓名"] == "张建国"]
    assert row["群体"] == "退役军人"
    assert row["敏感群体"] == "已隐藏"
    # Every row alike: "已隐藏" does not tell who is in a sensitive group.
    assert {r["敏感群体"] for r in _rows(masked.content)} == {"已隐藏"}
    whole = exporting.export_residents(
        user=secretary,
        selection=exporting.select(secretary, area_id=world.area.pk),
        unmasked=True,
        reason="年度核对",
    )
    [row] = [r for r in _rows(whole.content) if r["姓名"] == "张建国"]
    assert row["敏感群体"] == "低保"
    assert "sensitive_groups" in whole.unmasked
    # The export of the group's own list is a sensitive list, audited.
    listed = exporting.export_residents(
        user=worker_in,
        selection=exporting.select(worker_in, area_id=world.area.pk, group=low.code),
    )
    assert listed.count == 1 and "低保" in listed.filename
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW_SENSITIVE, object_id=low.code
    ).exists()


def test_an_export_imports_back_with_its_custom_groups(world, secretary):
    low = dibao(secretary, world)
    veteran = dibao(secretary, world, label="退役军人", is_sensitive=False, visit_days=None)
    member(world.resident, low, secretary)
    member(world.resident, veteran, secretary)
    content = exporting.export_residents(
        user=secretary,
        selection=exporting.select(secretary, area_id=world.area.pk),
        unmasked=True,
        reason="备份",
    ).content
    memberships = GroupMembership.objects.count()
    report = import_sheet(source=content, kind="residents", area=world.area, actor=secretary)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert GroupMembership.objects.count() == memberships
    # The sheet names 李秀英 in both groups: she joins them, set by the importer.
    edited = _set_cell(content, "李秀英", "群体", "退役军人")
    edited = _set_cell(edited, "李秀英", "敏感群体", "低保")
    report = import_sheet(source=edited, kind="residents", area=world.area, actor=secretary)
    assert report.errors == [] and (report.updated, report.unchanged) == (1, 1)
    joined = GroupMembership.objects.filter(resident=world.resident_b, source="manual")
    assert {m.group for m in joined} == {low.code, veteran.code}
    assert {(m.set_by, m.reason) for m in joined} == {(secretary, "Excel 导入认定")}
    # The masked sheet a worker downloads keeps them too: "已隐藏" leaves them as they are.
    masked = exporting.export_residents(
        user=secretary, selection=exporting.select(secretary, area_id=world.area.pk)
    ).content
    report = import_sheet(source=masked, kind="residents", area=world.area, actor=secretary)
    assert report.errors == [] and report.unchanged == 2
    assert joined.count() == 2


def test_an_import_naming_a_group_the_area_lacks_is_refused_with_a_message(world, secretary):
    dibao(secretary, world)
    retired = dibao(secretary, world, label="失业", is_sensitive=False, visit_days=None)
    services.group_definition_retire(actor=secretary, definition=retired)
    content = exporting.export_residents(
        user=secretary, selection=exporting.select(secretary, area_id=world.area.pk)
    ).content
    for label in ("残疾", "失业"):
        edited = _set_cell(content, "李秀英", "群体", label)
        report = import_sheet(source=edited, kind="residents", area=world.area, actor=secretary)
        [problem] = report.errors
        assert f"本居民区没有“{label}”这个群体" in problem.message and "低保" in problem.message
        assert not GroupMembership.objects.filter(
            resident=world.resident_b, source="manual"
        ).exists()


# --- the API --------------------------------------------------------------------------------


def test_the_api_lists_a_custom_groups_members_and_refuses_an_unknown_code(
    world, secretary, worker_in
):
    low = dibao(secretary, world)
    member(world.resident, low, secretary)
    client = login(worker_in)
    answer = client.get(f"/api/v1/residents?area_id={world.area.pk}&group={low.code}")
    assert answer.status_code == 200
    assert [r["name"] for r in answer.json()] == ["张建国"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_SENSITIVE).count() == 1
    # Not a group of the area (nor any): a clear refusal, nothing listed.
    for code in ("gnothere", low.code):
        area = world.other_area.pk if code == low.code else world.area.pk
        refused = login(secretary).get(f"/api/v1/residents?area_id={area}&group={code}")
        assert refused.status_code in (400, 422)
        assert refused.json()["detail"][0]["message"] == "未知的群体"
    # Its visit interval is listed and set through the API like a built-in's.
    intervals = login(secretary).get(f"/api/v1/areas/{world.area.pk}/visit-intervals").json()
    assert {"group": low.code, "label": "低保", "days": 30, "is_default": True} in intervals


def test_the_api_lists_the_areas_catalogue_and_sets_a_custom_groups_interval(
    world, secretary, worker_in
):
    low = dibao(secretary, world)
    client = login(worker_in)
    groups = client.get(f"/api/v1/areas/{world.area.pk}/groups").json()
    assert len(groups) == 9
    [own] = [g for g in groups if g["is_custom"]]
    assert own == {
        "code": low.code,
        "label": "低保",
        "category": "vulnerable",
        "is_derived": False,
        "is_sensitive": True,
        "assignable_by": "worker",
        "visit_days": 30,
        "is_custom": True,
        "is_retired": False,
    }
    other = client.get(f"/api/v1/areas/{world.other_area.pk}/groups")
    assert other.status_code == 404  # not the worker's area
    answer = login(secretary).put(
        f"/api/v1/areas/{world.area.pk}/visit-intervals",
        {"group": low.code, "days": 10},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert {"group": low.code, "label": "低保", "days": 10, "is_default": False} in answer.json()
    refused = login(secretary).put(
        f"/api/v1/areas/{world.area.pk}/visit-intervals",
        {"group": "gnothere", "days": 10},
        content_type="application/json",
    )
    assert refused.status_code in (400, 422)


def test_the_groups_page_reads_a_fixed_number_of_queries(
    world, secretary, django_assert_max_num_queries
):
    client = login(secretary)
    dibao(secretary, world)
    client.get(f"/areas/{world.area.pk}/groups/")
    clear_cache()  # the catalogue read afresh each time (another process's edit, say)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/areas/{world.area.pk}/groups/")
    for label in ("残疾", "退役军人", "优抚", "失业", "独生子女"):
        dibao(secretary, world, label=label, is_sensitive=False, visit_days=None)
    clear_cache()
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/areas/{world.area.pk}/groups/").content.decode()
    assert "独生子女" in page


@pytest.mark.django_db
def test_an_unknown_code_reads_as_a_sensitive_unknown_group():
    """A code no process knows (it cannot happen: codes are never deleted) fails closed."""
    kind = kind_of("gdoesnotexist")
    assert kind.is_sensitive and kind.label == "未知群体"
