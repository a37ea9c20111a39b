"""The secretary's upload page: check first (errors by row and column), then import."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jinlin.people import sheet
from jinlin.people.models import Resident
from tests.factories import valid_id
from tests.people.sheets import HEADINGS, xlsx

NEW = valid_id(date(1975, 6, 1), "F")


def upload(content, name="居民.xlsx"):
    return SimpleUploadedFile(
        name,
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def sheet_with(id_number):
    return xlsx(
        [HEADINGS, ["周丽", "女", id_number, "", "", "绿园八村", "12", "303", "户主", "", ""]]
    )


def test_only_the_area_secretary_sees_the_page(as_user, world, secretary, worker_in, editor):
    url = f"/areas/{world.area.pk}/import/"
    assert as_user(secretary).get(url).status_code == 200
    assert as_user(worker_in).get(url).status_code == 404
    assert as_user(editor).get(url).status_code == 404
    assert as_user(secretary).get(f"/areas/{world.other_area.pk}/import/").status_code == 404


def test_check_shows_errors_then_nothing_can_be_imported(as_user, world, secretary):
    client = as_user(secretary)
    page = client.post(
        f"/areas/{world.area.pk}/import/", {"kind": "residents", "file": upload(sheet_with("123"))}
    )
    text = page.content.decode()
    assert "第2行" in text and "身份证号应为18位" in text
    assert 'name="token"' not in text
    assert not Resident.objects.filter(name="周丽").exists()


def test_check_then_confirm_imports(as_user, world, secretary):
    client = as_user(secretary)
    page = client.post(
        f"/areas/{world.area.pk}/import/", {"kind": "residents", "file": upload(sheet_with(NEW))}
    )
    token = page.context["token"]
    assert token and not Resident.objects.filter(id_number=NEW).exists()
    done = client.post(f"/areas/{world.area.pk}/import/", {"kind": "residents", "token": token})
    assert "已导入" in done.content.decode()
    assert Resident.objects.get(id_number=NEW).history.latest().history_user == secretary
    again = client.post(f"/areas/{world.area.pk}/import/", {"kind": "residents", "token": token})
    assert again.status_code == 400  # a token is used once


def test_valid_rows_only(as_user, world, secretary):
    content = xlsx(
        [
            HEADINGS,
            ["周丽", "女", NEW, "", "", "绿园八村", "12", "303", "", "", ""],
            ["错行", "", "123", "", "", "绿园八村", "12", "304", "", "", ""],
        ]
    )
    client = as_user(secretary)
    page = client.post(
        f"/areas/{world.area.pk}/import/",
        {"kind": "residents", "valid_only": "on", "file": upload(content)},
    )
    assert "第3行" in page.content.decode()
    client.post(
        f"/areas/{world.area.pk}/import/",
        {"kind": "residents", "valid_only": "on", "token": page.context["token"]},
    )
    assert Resident.objects.filter(id_number=NEW).exists()
    assert not Resident.objects.filter(name="错行").exists()


def test_not_an_xlsx_is_refused_with_a_message(as_user, world, secretary):
    page = as_user(secretary).post(
        f"/areas/{world.area.pk}/import/",
        {"kind": "residents", "file": upload(b"name,id\n", "x.csv")},
    )
    assert "不是 Excel .xlsx 文件" in page.content.decode()


def test_template_download_has_the_headings(as_user, world, secretary):
    response = as_user(secretary).get("/import/template/residents.xlsx")
    assert response.status_code == 200
    import io

    workbook = load_workbook(io.BytesIO(response.content))
    headings = [cell.value for cell in workbook.active[2]]
    assert headings == [column.heading for column in sheet.columns_of("residents")]
    assert "填写说明" in workbook.sheetnames
    empty = workbook.active
    empty.append(["绿园八村", "12", "", "303", "周丽", "", NEW])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from jinlin.people.importing import import_sheet

    assert (
        import_sheet(
            source=buffer.getvalue(), kind="residents", area=world.area, actor=None
        ).created
        == 1
    )


def test_buildings_new_to_the_registry_are_pointed_to_their_adjacency(as_user, world, secretary):
    """13 and 14号楼 of 绿园八村 arrive with the sheet: no neighbours yet, so the page leads to
    the compound's adjacency (12号楼 already there, alone too)."""
    rows = [
        ["周丽", "女", NEW, "", "", "绿园八村", "13", "303", "户主", "", ""],
        ["吴强", "男", valid_id(date(1968, 2, 3)), "", "", "绿园八村", "14", "101", "户主", "", ""],
    ]
    client = as_user(secretary)
    page = client.post(
        f"/areas/{world.area.pk}/import/",
        {"kind": "residents", "file": upload(xlsx([HEADINGS, *rows]))},
    )
    preview = page.content.decode()
    assert "绿园八村没有13号楼，导入时将新建" in preview
    assert 'name="create_places" required' in preview
    done = client.post(
        f"/areas/{world.area.pk}/import/",
        {"kind": "residents", "token": page.context["token"], "create_places": "on"},
    ).content.decode()
    assert "新建楼组 2 个" in done
    assert "新建的楼组还没有相邻关系" in done
    assert f'href="/compounds/{world.compound_a.pk}/adjacency/"' in done
    assert f"/compounds/{world.compound_b.pk}/adjacency/" not in done  # one building: no pairs


def test_a_large_checked_sheet_is_imported_by_the_queue_with_its_result_as_a_file(
    as_user, world, secretary, settings, django_capture_on_commit_callbacks
):
    from jinlin.core.models import Job, Notification

    settings.JINLIN = {**settings.JINLIN, "IMPORT_JOB_ROWS": 1}
    second = valid_id(date(1976, 7, 2), "M")
    rows = [
        HEADINGS,
        ["周丽", "女", NEW, "", "", "绿园八村", "12", "303", "户主", "", ""],
        ["周强", "男", second, "", "", "绿园八村", "12", "303", "配偶", "", ""],
    ]
    client = as_user(secretary)
    url = f"/areas/{world.area.pk}/import/"
    token = client.post(url, {"kind": "residents", "file": upload(xlsx(rows))}).context["token"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"kind": "residents", "token": token})
    job = Job.objects.get(owner=secretary, kind="import")
    assert answer.status_code == 302 and answer["Location"] == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.DONE and "新建居民 2" in job.message
    assert set(
        Resident.objects.filter(id_number__in=[NEW, second]).values_list("name", flat=True)
    ) == {"周丽", "周强"}
    result = load_workbook(io.BytesIO(client.get(f"/jobs/{job.pk}/download").content))
    assert "新建居民 2" in result.active["A2"].value
    assert Notification.objects.filter(user=secretary, kind="job").exists()
    again = client.post(url, {"kind": "residents", "token": token})
    assert again.status_code == 400  # the staged sheet went with its import


def test_a_queued_import_whose_owner_lost_the_area_fails_and_deletes_the_sheet(
    world, secretary, settings, tmp_path
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from jinlin.core.jobs import run_job
    from jinlin.core.models import Job, Role
    from jinlin.people.tasks import MSG_NO_LONGER_ALLOWED

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("imports/abc.xlsx", ContentFile(sheet_with(NEW)))
    secretary.role = Role.WORKER
    secretary.save(update_fields=["role"])
    job = Job.objects.create(owner=secretary, kind="import", title="导入")
    run_job(
        job.pk,
        "jinlin.people.tasks.import_staged",
        {
            "area_id": world.area.pk,
            "name": name,
            "sheet_kind": "residents",
            "valid_only": False,
            "create_places": False,
        },
    )
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == MSG_NO_LONGER_ALLOWED
    assert not default_storage.exists(name)
    assert not Resident.objects.filter(id_number=NEW).exists()
