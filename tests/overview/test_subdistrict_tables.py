"""The subdistrict overview's tables, written by overview.tables (issue 18): each area's row
links to its page, counts sit in their columns, gaps are marked, names are text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jinlin.overview import services
from jinlin.people.models import Resident
from jinlin.places.models import Area, Household
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _rows_of(html: str, start: str, end: str) -> list[str]:
    part = html[html.index(start) : html.index(end, html.index(start))]
    return part.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")[:-1]


def test_each_area_has_its_row_in_each_table(world, admin):
    Area.objects.filter(pk=world.area.pk).update(name="绿八<居民区>")
    html = login(admin).get("/subdistrict/").content.decode()
    assert "绿八&lt;居民区&gt;" in html and "绿八<居民区>" not in html
    assert "{#" not in html and "overview.tables" not in html  # no template comment shows
    link = f'<a href="{reverse("area_overview", args=[world.area.pk])}">绿八&lt;居民区&gt;</a>'

    work = _rows_of(html, 'class="subdistrict-work"', "</table>")
    mine = next(row for row in work if "绿八" in row)
    assert link in mine
    assert mine.count('<td class="num') == 7  # six counts and the contact share
    # Nobody has been visited yet in the world: its due visits are overdue, marked as a gap.
    cells = mine.split('<td class="num')[1:]
    assert cells[1].startswith(' gap">') and not cells[0].startswith(" gap")

    groups = _rows_of(html, "户数、居民与各类群体", "</table>")
    mine = next(row for row in groups if "绿八" in row)
    assert link in mine
    counts = [cell.split("<")[0] for cell in mine.split('<td class="num">')[1:]]
    households = Household.objects.filter(area=world.area, residents__isnull=False).distinct()
    assert counts[:2] == [
        str(households.count()),
        str(Resident.objects.filter(area=world.area, status="current").count()),
    ]
    headings = (
        html[html.index("户数、居民与各类群体") :].split("</thead>")[0].count('<th class="num">')
    )
    assert len(counts) == headings  # a count under every heading, 0 where none


def test_an_opened_area_is_tagged(world, admin):
    services.open_area(admin, world.area, "核查走访记录", None)
    html = login(admin).get("/subdistrict/").content.decode()
    work = _rows_of(html, 'class="subdistrict-work"', "</table>")
    assert any("已打开" in row and world.area.name in row for row in work)
    other = next(row for row in work if world.other_area.name in row)
    assert "已打开" not in other
