"""群众评单 per area on the subdistrict overview: counts, 1 and 2 shown as "<3", the satisfied
share only when no cell is hidden."""

from __future__ import annotations

import pytest

from jinlin.core.disclosure import SUPPRESSED
from jinlin.fieldwork.concerns.models import Concern, Rating
from jinlin.fieldwork.concerns.services import concern_raise_public
from jinlin.overview.selectors import satisfaction
from tests.conftest import login

pytestmark = pytest.mark.django_db


def rated(building, rating: str, count: int) -> None:
    for n in range(count):
        concern = concern_raise_public(building=building, words=f"第{n}件事")
        Concern.objects.filter(pk=concern.pk).update(rating=rating)


def test_small_cells_are_suppressed_and_the_share_withheld():
    shown = satisfaction({Rating.SATISFIED: 5, Rating.UNSATISFIED: 1})
    assert shown.cells == [5, 0, SUPPRESSED] and shown.percent is None
    whole = satisfaction({Rating.SATISFIED: 6, Rating.FAIRLY_SATISFIED: 3, Rating.UNSATISFIED: 3})
    assert whole.cells == [6, 3, 3] and whole.percent == 75
    assert satisfaction({}).percent is None and satisfaction({}).cells == [0, 0, 0]


def test_the_subdistrict_overview_shows_satisfaction_per_area(world, admin):
    rated(world.building_a, Rating.SATISFIED, 4)
    rated(world.building_a, Rating.UNSATISFIED, 2)
    html = login(admin).get("/subdistrict/").content.decode()
    table = html[html.index('id="satisfaction"') : html.index("户数、居民与各类群体")]
    row = table[table.index(world.area.name) :].split("</tr>")[0]
    assert ">4<" in row and "&lt;3" in row and "%" not in row
    assert "第0件事" not in html  # counts only


def test_the_export_carries_the_suppressed_cells(world, admin):
    import io

    from openpyxl import load_workbook

    rated(world.building_a, Rating.SATISFIED, 4)
    rated(world.building_a, Rating.UNSATISFIED, 1)
    content = login(admin).get("/subdistrict/export.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    headings = rows[1]
    line = next(row for row in rows if row[0] == world.area.name)
    at = headings.index("群众评单：满意")
    assert line[at : at + 4] == [4, 0, SUPPRESSED, None]
