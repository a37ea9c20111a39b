"""`jinlin serve --demo` (the README's first command) on an empty database: a demo to look at."""

from io import StringIO

import pytest
from django.core.management import call_command

from jinlin.fieldwork.models import Case, Concern, Visit
from jinlin.party.models import PartyOrganisation
from jinlin.people.models import Resident
from jinlin.woodpecker.models import Report


@pytest.mark.django_db(transaction=True)
def test_serve_demo_fills_an_empty_database_once_with_every_part_of_the_product():
    out = StringIO()
    call_command("serve", demo=True, no_server=True, stdout=out)
    text = out.getvalue()
    assert "演示账号（密码均为 jinlin-demo-2026）" in text and "shegong" in text
    assert "近邻 Jinlin 已就绪：http://127.0.0.1:8000/" in text
    residents, visits = Resident.objects.count(), Visit.objects.count()
    assert residents > 2000
    # 望闻问切 too: the worker's 今日, the cases and the dashboards have something to show.
    assert visits > 1000 and Concern.objects.exists() and Case.objects.exists()
    assert PartyOrganisation.objects.exists() and Report.objects.exists()
    again = StringIO()
    call_command("serve", demo=True, no_server=True, stdout=again)
    assert "数据库中已有数据" in again.getvalue()
    assert (Resident.objects.count(), Visit.objects.count()) == (residents, visits)
