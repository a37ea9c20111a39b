"""亮身份 placards: A4 PDFs whose text holds every member's name, phones only with consent,
Chinese fonts embedded; printing is an audited export; access as for the rest of Party data."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from jinlin.core.models import AuditEvent
from tests.party.test_views import login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils"),
]


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "placard.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_fonts(data: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def test_building_placard_names_every_member_with_post_and_contacts(organised, secretary, tmp_path):
    response = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "共产党员" in text.replace(" ", "")  # the heading is letter-spaced
    assert "绿园八村 12号楼" in text
    for name in ("张建国", "王志刚", "赵丽华"):
        assert name in text
    for post in ("党总支书记", "支部书记", "党小组长"):
        assert post in text
    assert "55 年" in text  # 张建国's years in the Party
    assert "12号楼" in text and "301" in text  # the households contacted
    assert "陈志强" not in text  # lives in 13号楼


def test_phone_only_with_consent(organised, secretary, tmp_path):
    data = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf").content
    text = pdf_text(data, tmp_path)
    assert "13812345678" in text  # 张建国 consented
    assert "13900001111" not in text and "13900002222" not in text


def test_years_can_be_left_out(organised, secretary, tmp_path):
    data = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf?years=0").content
    text = pdf_text(data, tmp_path)
    assert "党龄" not in text and "55 年" not in text and "张建国" in text


def test_probationary_member_is_marked(organised, secretary, tmp_path):
    data = login(secretary).get(f"/party/buildings/{organised.b14.pk}/placard.pdf").content
    text = pdf_text(data, tmp_path)
    assert "周敏" in text and "预备党员" in text and "预备期" in text


def test_compound_pdf_has_a_page_per_building_and_embedded_chinese_fonts(
    organised, secretary, tmp_path
):
    data = (
        login(secretary)
        .get(f"/party/compounds/{organised.world.compound_a.pk}/placards.pdf")
        .content
    )
    text = pdf_text(data, tmp_path)
    assert text.count("\f") == 3  # 12, 13, 14号楼
    for name in ("张建国", "王志刚", "赵丽华", "陈志强", "刘芳", "孙伟", "周敏"):
        assert name in text
    fonts = pdf_fonts(data, tmp_path)
    assert "CJK" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in line  # every font embedded


def test_building_with_no_member_lists_those_who_contact_it(organised, secretary, tmp_path):
    from jinlin.party.models import HouseholdContact

    # Give 3号楼's household to a member living in 12号楼.
    contact = HouseholdContact.objects.get(
        household=organised.households["3-502"], ended_on__isnull=True
    )
    HouseholdContact.objects.filter(pk=contact.pk).update(member=organised.member("赵丽华"))
    data = login(secretary).get(f"/party/buildings/{organised.b3.pk}/placard.pdf").content
    text = pdf_text(data, tmp_path)
    assert "联系本楼住户的其他楼组党员" in text and "赵丽华" in text


def test_printing_is_an_audited_export(organised, secretary):
    login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == secretary and event.object_type == "building"
    assert event.fields == ["name", "phone"] and event.reason == "打印亮身份公示牌"


@pytest.mark.parametrize(
    ("persona", "building", "status"),
    [
        ("group_leader", "b13", 200),
        ("group_leader", "b12", 404),
        ("worker_out", "b12", 404),
        ("worker_out", "b3", 200),
        ("editor", "b12", 404),
    ],
)
def test_placard_access(request, organised, persona, building, status):
    client = login(request.getfixturevalue(persona))
    target = getattr(organised, building)
    assert client.get(f"/party/buildings/{target.pk}/placard.pdf").status_code == status


def test_compound_placards_need_the_whole_compound(organised, group_leader, worker_in):
    url = f"/party/compounds/{organised.world.compound_a.pk}/placards.pdf"
    assert login(group_leader).get(url).status_code == 404  # only two of its buildings
    assert login(worker_in).get(url).status_code == 200


def test_a_building_nobody_of_the_party_lives_in_nor_contacts_says_whom_to_turn_to(
    organised, secretary, tmp_path
):
    from tests.factories import BuildingFactory, HouseholdFactory, ResidentFactory

    b15 = BuildingFactory(compound=organised.world.compound_a, number="15")
    ResidentFactory(household=HouseholdFactory(building=b15, room="101"))
    url = f"/party/buildings/{b15.pk}/placard.pdf"
    # Outside any group: the area organisation's secretary.
    text = pdf_text(login(secretary).get(url).content, tmp_path)
    assert "本楼组暂无居住的党员，有事请联系" in text and "张建国" in text
    # In a group: its leader.
    organised.extra["right"].buildings.add(b15)
    text = pdf_text(login(secretary).get(url).content, tmp_path)
    assert "孙伟" in text and "张建国" not in text


def test_a_compounds_placards_as_a_job_reach_the_owner_as_a_file(
    organised, secretary, tmp_path, settings, django_capture_on_commit_callbacks
):
    from jinlin.core.models import Job, Notification

    settings.MEDIA_ROOT = tmp_path / "media"
    url = f"/party/compounds/{organised.world.compound_a.pk}/placards/job/"
    client = login(secretary)
    assert client.get(url).status_code == 405  # a POST only
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url)
    job = Job.objects.get(owner=secretary, kind="placards")
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and job.total == 3
    assert "亮身份公示牌" in client.get(f"/jobs/{job.pk}/").content.decode()
    download = client.get(f"/jobs/{job.pk}/download")
    assert download.status_code == 200
    text = pdf_text(download.content, tmp_path)
    assert text.count("\f") == 3 and "张建国" in text
    assert Notification.objects.filter(user=secretary, kind="job").exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORT, object_type="compound", actor=secretary
    ).exists()


def test_a_placards_job_is_refused_outside_the_compound_and_queues_nothing(organised, group_leader):
    from jinlin.core.models import Job

    url = f"/party/compounds/{organised.world.compound_a.pk}/placards/job/"
    assert login(group_leader).post(url).status_code == 404
    assert not Job.objects.exists()
