"""The registry pages a secretary and a worker use, with counts and bounded queries."""

from datetime import date

import time_machine

from tests.conftest import login
from tests.factories import HouseholdFactory, ResidentFactory


@time_machine.travel(date(2026, 11, 25), tick=False)
def test_area_overview_counts_per_compound_and_group(world, secretary):
    ResidentFactory(
        household=HouseholdFactory(building=world.building_a),
        name="钱老伯",
        birth_date=date(1940, 2, 2),
    )
    html = login(secretary).get(f"/areas/{world.area.pk}/").content.decode()
    assert "绿园八村" in html and "绿园九村" in html
    assert "独居老人" in html
    row = login(secretary).get(f"/api/v1/areas/{world.area.pk}/overview").json()
    by_name = {r["name"]: r for r in row}
    assert by_name["绿园八村"]["households"] == 2
    assert by_name["绿园八村"]["residents"] == 2
    # 张建国 (born 1950) and 钱老伯 (born 1940) each live alone.
    assert by_name["绿园八村"]["groups"]["living_alone"] == 2
    assert by_name["绿园九村"]["groups"].get("living_alone", 0) == 1


def test_worker_overview_lists_only_its_patch(world, worker_in):
    html = login(worker_in).get(f"/areas/{world.area.pk}/").content.decode()
    assert "绿园八村" in html and "绿园九村" not in html


def test_area_overview_query_count_does_not_grow_with_data(
    world, secretary, django_assert_max_num_queries
):
    client = login(secretary)
    client.get(f"/areas/{world.area.pk}/")
    for number in range(20):
        household = HouseholdFactory(building=world.building_a, room=f"9{number:02d}")
        ResidentFactory(household=household, birth_date=date(1945, 1, 1))
    with django_assert_max_num_queries(14):
        assert client.get(f"/areas/{world.area.pk}/").status_code == 200


def test_building_page_lists_households_with_bounded_queries(
    world, secretary, django_assert_max_num_queries
):
    for number in range(15):
        ResidentFactory(
            household=HouseholdFactory(building=world.building_a, room=f"8{number:02d}")
        )
    client = login(secretary)
    with django_assert_max_num_queries(12):
        html = client.get(f"/buildings/{world.building_a.pk}/").content.decode()
    assert html.count("室</a>") == 16


@time_machine.travel(date(2026, 11, 25), tick=False)
def test_group_list_shows_building_and_age(world, secretary):
    html = login(secretary).get(f"/areas/{world.area.pk}/groups/living_alone/").content.decode()
    assert "张建国" in html and "12号楼" in html and ">76<" in html


def test_resident_form_rejects_a_bad_id_in_chinese_and_changes_nothing(world, secretary):
    client = login(secretary)
    response = client.post(
        f"/households/{world.household_a.pk}/residents/new/",
        {
            "name": "新居民",
            "id_number": "110105194912310021",
            "relation_to_head": "spouse",
            "residence_status": "registered",
            "health": "good",
            "political_status": "masses",
        },
    )
    assert response.status_code == 200
    assert "身份证号校验码不正确" in response.content.decode()
    assert not world.household_a.residents.filter(name="新居民").exists()


def test_resident_form_registers_a_valid_resident(world, secretary):
    response = login(secretary).post(
        f"/households/{world.household_a.pk}/residents/new/",
        {
            "name": "新居民",
            "id_number": "11010519491231002X",
            "phone": "13700001234",
            "relation_to_head": "spouse",
            "residence_status": "registered",
            "health": "good",
            "political_status": "masses",
        },
    )
    assert response.status_code == 302
    created = world.household_a.residents.get(name="新居民")
    assert created.birth_date == date(1949, 12, 31) and created.gender == "F"


@time_machine.travel(date(2026, 11, 25), tick=False)
def test_the_subdistrict_exports_its_overview_with_counts_only(world, admin):
    import io

    from openpyxl import load_workbook

    from jinlin.core.models import AuditEvent

    world.other_area.name = "=天山居民区"  # a name that would be a formula
    world.other_area.save()
    response = login(admin).get("/subdistrict/export.xlsx")
    assert response.status_code == 200
    assert (
        "filename*=UTF-8''%E8%A1%97%E9%81%93%E6%80%BB%E8%A7%88-20261125.xlsx"
        in response["Content-Disposition"]
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "导出人" in rows[0][0] and "2026-11-25" in rows[0][0]
    headings = rows[1]
    by_area = {row[0]: dict(zip(headings, row, strict=True)) for row in rows[2:]}
    lv8 = by_area["绿八居民区"]
    assert (lv8["户数"], lv8["居民"], lv8["独居老人"]) == (2, 2, 2)
    assert lv8["今日应访（户）"] == 2 and lv8["其中逾期"] == 2  # two 独居老人, never visited
    assert "'=天山居民区" in by_area
    text = repr(rows)
    assert "张建国" not in text and "李秀英" not in text
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == admin and event.object_type == "subdistrict_overview"
