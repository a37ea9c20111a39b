"""The subdistrict's check of every area's Party proposal, run by the task queue (issue 15): a
workbook of what each area's "三人成组" proposal would change; nothing is applied."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from jinlin.core.models import Job, Notification
from jinlin.party.models import PartyOrganisation, Reorganisation
from tests.conftest import login
from tests.party.conftest import member_in

pytestmark = pytest.mark.django_db


def test_the_subdistrict_checks_every_areas_proposal_as_a_job(
    world, admin, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    for name in ("甲", "乙", "丙"):  # three members in one building: a group is proposed
        member_in(world.household_a, f"党员{name}")
    client = login(admin)
    assert "检查各居民区党组织方案" in client.get("/subdistrict/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/subdistrict/party-check/")
    job = Job.objects.get(owner=admin, kind="party_check")
    assert answer["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE, job.message
    assert job.message == "2 个居民区中 1 个有待调整"
    rows = list(
        load_workbook(io.BytesIO(client.get(f"/jobs/{job.pk}/download").content)).active.values
    )
    by_area = {row[1]: row for row in rows[1:]}
    assert set(by_area) == {world.area.name, world.other_area.name}
    assert "新建党小组 1 个" in by_area[world.area.name][2]
    assert by_area[world.other_area.name][2] == "无需调整"
    # A check only: no organisation was made, no reorganisation recorded.
    assert not PartyOrganisation.objects.exists() and not Reorganisation.objects.exists()
    assert Notification.objects.filter(user=admin, kind="job").exists()


def test_only_the_subdistrict_may_start_the_check(world, secretary, worker_in):
    for user in (secretary, worker_in):
        assert login(user).post("/subdistrict/party-check/").status_code == 404
    assert not Job.objects.exists()
    assert "检查各居民区党组织方案" not in login(secretary).get("/subdistrict/").content.decode()
