"""Hostile files sent to the import (page and command): refused with a message, nothing written,
nothing left on disk, nothing read or written outside the upload directory.

The reader's own limits (sizes, bombs, ranges) are tested on bytes in test_import.py; here
the same files come the way an attacker would send them.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jinlin.people import workbook
from jinlin.people.excel_views import SESSION_KEY
from jinlin.people.models import Resident
from tests.people.sheets import HEADINGS, refused_by_the_command, xlsx
from tests.people.test_import import good_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Staged sheets live in the default storage (a bucket in deployments): here on disk."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = settings.VAR_DIR
    return settings.VAR_DIR


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="JPEG")
    return out.getvalue()


def _rewritten(content: bytes, member: str, change) -> bytes:  # type: ignore[no-untyped-def]
    source = zipfile.ZipFile(io.BytesIO(content))
    return _zip(
        {
            info.filename: change(source.read(info))
            if info.filename == member
            else source.read(info)
            for info in source.infolist()
        }
    )


# An entity that doubles ten times over nine levels: a billion "lol"s from a few hundred bytes.
_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


def _billion_laughs() -> bytes:
    def change(data: bytes) -> bytes:
        return (_LAUGHS + data.decode()).replace("<t>陈国华</t>", "<t>&lol9;</t>").encode()

    return _rewritten(xlsx(good_rows()), "xl/worksheets/sheet1.xml", change)


DISGUISES = {
    "csv": ("姓名,身份证号\n张三,1\n".encode(), workbook.MSG_NOT_XLSX),
    "html table (what some systems call .xls)": (
        b"<html><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></html>",
        workbook.MSG_NOT_XLSX,
    ),
    "jpeg": (_jpeg(), workbook.MSG_NOT_XLSX),
    "old .xls or an encrypted .xlsx (OLE)": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
        workbook.MSG_XLS,
    ),
    "word document": (_zip({"word/document.xml": b"<w/>"}), workbook.MSG_NOT_XLSX),
    "binary workbook (.xlsb)": (
        _zip({"xl/workbook.bin": b"\0" * 10, "xl/workbook.xml": b"<workbook/>"}),
        workbook.MSG_NOT_XLSX,
    ),
    "zip with a workbook that is not xml": (
        _zip({"xl/workbook.xml": b"\0\1\2 not xml", "[Content_Types].xml": b"x"}),
        workbook.MSG_BROKEN,
    ),
    "truncated xlsx": (xlsx(good_rows())[:700], workbook.MSG_BROKEN),
    "empty file": (b"", workbook.MSG_EMPTY),
    "entity-expansion bomb in the sheet": (_billion_laughs(), workbook.MSG_BROKEN),
}


def _upload(as_user, secretary, world, content: bytes, name: str = "居民.xlsx", **extra):
    file = SimpleUploadedFile(name, content, content_type=XLSX_TYPE)
    return as_user(secretary).post(
        f"/areas/{world.area.pk}/import/", {"kind": "residents", "file": file, **extra}
    )


def _left_on_disk(var_dir) -> list[str]:
    return sorted(str(path.relative_to(var_dir)) for path in var_dir.rglob("*") if path.is_file())


@pytest.mark.parametrize("disguise", list(DISGUISES), ids=list(DISGUISES))
def test_a_file_disguised_as_xlsx_is_refused_on_the_page(
    as_user, world, secretary, var_dir, disguise
):
    content, message = DISGUISES[disguise]
    started = time.perf_counter()
    page = _upload(as_user, secretary, world, content)
    assert time.perf_counter() - started < 10
    assert message in page.content.decode()
    assert page.context["can_import"] is False
    assert Resident.objects.count() == 3
    assert _left_on_disk(var_dir) == []  # the upload held personal data: deleted at once


@pytest.mark.parametrize("disguise", ["csv", "old .xls or an encrypted .xlsx (OLE)", "jpeg"])
def test_a_file_disguised_as_xlsx_is_refused_by_the_command(world, tmp_path, capsys, disguise):
    content, message = DISGUISES[disguise]
    assert message in refused_by_the_command(content, tmp_path, capsys)
    assert Resident.objects.count() == 3


def test_a_zip_bomb_is_refused_on_the_page(as_user, world, secretary, var_dir):
    buffer = io.BytesIO(xlsx(good_rows()))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (3 * 2**20))  # 3 MB in a few KB
    assert len(buffer.getvalue()) < 20_000
    page = _upload(as_user, secretary, world, buffer.getvalue())
    assert workbook.MSG_RATIO.format(ratio=100) in page.content.decode()
    assert Resident.objects.count() == 3
    assert _left_on_disk(var_dir) == []


def test_a_file_over_the_size_limit_is_refused_before_it_is_stored(
    as_user, world, secretary, settings, var_dir
):
    settings.JINLIN = {**settings.JINLIN, "IMPORT_LIMITS": {"max_file_bytes": 2000}}
    page = _upload(as_user, secretary, world, xlsx(good_rows()) + b"\0" * 5000)
    assert page.status_code == 400
    assert "文件太大" in page.content.decode()
    assert _left_on_disk(var_dir) == []


def test_too_many_rows_are_refused_on_the_page(as_user, world, secretary, settings, var_dir):
    settings.JINLIN = {**settings.JINLIN, "IMPORT_LIMITS": {"max_rows": 10}}
    rows = good_rows() + [["某人", "", "1", "", "", "", "12", "301", "", "", ""]] * 60
    page = _upload(as_user, secretary, world, xlsx(rows))
    assert workbook.MSG_TOO_MANY_ROWS.format(rows=10) in page.content.decode()
    assert Resident.objects.count() == 3
    assert _left_on_disk(var_dir) == []


def test_a_row_of_sixteen_thousand_cells_is_read_only_up_to_the_column_limit(world):
    row = ["x"] * 16_000  # Excel's last column is 16 384
    content = xlsx([HEADINGS, row])
    with workbook.SheetRows(content, workbook.Limits(max_columns=100)) as rows:
        [name] = rows.sheet_names()
        widths = [len(values) for _, values in rows.rows(name)]
    assert max(widths) <= 100


def test_an_entity_expansion_bomb_is_refused_by_either_reader():
    for limits in (workbook.Limits(), workbook.Limits(max_dense_cells=1)):  # calamine, openpyxl
        started = time.perf_counter()
        with (
            pytest.raises(workbook.WorkbookRefused),
            workbook.SheetRows(_billion_laughs(), limits) as rows,
        ):
            assert rows.uses_calamine == (limits.max_dense_cells > 1)
            for name in rows.sheet_names():
                list(rows.rows(name))
        assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    "name", ["../../../../tmp/jinlin-owned.xlsx", "..\\..\\evil.xlsx", "/etc/cron.d/x.xlsx"]
)
def test_the_uploaded_file_name_is_never_used_as_a_path(
    as_user, world, secretary, var_dir, tmp_path, name
):
    page = _upload(as_user, secretary, world, xlsx(good_rows()), name=name)
    assert page.context["can_import"] is True
    [stored] = _left_on_disk(var_dir)
    assert stored == f"imports/{page.context['token']}.xlsx"
    assert page.context["token"].isalnum()
    assert not (tmp_path.parent / "jinlin-owned.xlsx").exists()


def test_a_forged_token_reads_and_deletes_nothing(as_user, world, secretary, var_dir):
    client = as_user(secretary)
    file = SimpleUploadedFile("居民.xlsx", xlsx(good_rows()), content_type=XLSX_TYPE)
    page = client.post(f"/areas/{world.area.pk}/import/", {"kind": "residents", "file": file})
    token = page.context["token"]
    secret = var_dir / "secret.xlsx"
    secret.write_bytes(xlsx(good_rows()))
    for forged in ("../secret", "..%2fsecret", token + "/../../secret"):
        refused = client.post(f"/areas/{world.area.pk}/import/", {"token": forged})
        assert refused.status_code == 400
    assert secret.exists() and Resident.objects.count() == 3
    # Even a token placed in the session by some other bug must be a bare name.
    session = client.session
    session[SESSION_KEY] = {"../secret": {"kind": "residents", "area": world.area.pk}}
    session.save()
    refused = client.post(f"/areas/{world.area.pk}/import/", {"token": "../secret"})
    assert refused.status_code == 400
    assert secret.exists() and Resident.objects.count() == 3
