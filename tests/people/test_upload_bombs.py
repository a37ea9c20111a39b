"""Zip bombs sent to the import (page, command, service): refused from the zip's directory, or
within a megabyte of reading, with a Chinese message; nothing written, nothing audited as an
import, and the process's memory barely moves (docs/security.md, Uploads).

The bombs are real files, built here: an .xlsx whose one cell is 150 MB of one letter (154 KB
on disk, as the outside probe sent), and one tuned to stay under the ratio limit.
"""

from __future__ import annotations

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from jinlin.core.models import AuditEvent
from jinlin.people import workbook
from jinlin.people.importing import import_limits, import_sheet
from jinlin.people.models import Resident
from tests.memory import MB, peak_growth
from tests.people.sheets import refused_by_the_command, xlsx
from tests.people.test_import import good_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
MEMORY_BOUND = 50 * MB


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    """Staged sheets live in the default storage (a bucket in deployments): here on disk."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = settings.VAR_DIR
    return settings.VAR_DIR


def one_cell_bomb(megabytes: int, chunk: bytes = b"A" * MB) -> bytes:
    """An .xlsx whose only cell holds `megabytes` MB of `chunk`, streamed into the zip."""
    book = Workbook()
    book.active["A1"] = "PLACEHOLDER"
    plain = io.BytesIO()
    book.save(plain)
    source = zipfile.ZipFile(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, source.read(info))
                continue
            before, after = source.read(info).split(b"PLACEHOLDER")
            with archive.open(SHEET, "w", force_zip64=True) as member:
                member.write(before)
                for _ in range(megabytes):
                    member.write(chunk)
                member.write(after)
    return out.getvalue()


def ratio_of(content: bytes, name: str = SHEET) -> float:
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(name)
    return info.file_size / info.compress_size


def under_the_ratio_limit() -> bytes:
    """A megabyte that compresses about 45:1: hex noise (2:1) among repeated letters."""
    noise = os.urandom(MB // 90).hex().encode()
    return noise + b"A" * (MB - len(noise))


@pytest.fixture(scope="module")
def bomb_150() -> bytes:
    content = one_cell_bomb(150)
    assert len(content) < 200 * 1024 and ratio_of(content) > 900
    return content


def refusal(content: bytes) -> str:
    report = import_sheet(source=content, kind="residents", area=None, actor=None)  # type: ignore[arg-type]
    assert [problem.row for problem in report.errors] == [0]
    return report.errors[0].message


def upload(as_user, secretary, world, content: bytes):
    file = SimpleUploadedFile("居民.xlsx", content, content_type=XLSX_TYPE)
    return as_user(secretary).post(
        f"/areas/{world.area.pk}/import/", {"kind": "residents", "file": file}
    )


def nothing_imported() -> bool:
    return (
        Resident.objects.count() == 3
        and not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()
    )


def test_a_150_mb_bomb_is_refused_from_its_directory_without_memory_or_time(db, bomb_150):
    started = time.perf_counter()
    with peak_growth() as growth:
        message = refusal(bomb_150)
    assert time.perf_counter() - started < 0.5
    assert message == workbook.MSG_RATIO.format(ratio=100)
    assert growth.peak_bytes < MEMORY_BOUND


def test_the_page_refuses_a_150_mb_bomb_and_writes_nothing(
    as_user, world, secretary, var_dir, bomb_150
):
    page = upload(as_user, secretary, world, bomb_150)
    assert workbook.MSG_RATIO.format(ratio=100) in page.content.decode()
    assert page.context["can_import"] is False
    assert nothing_imported()
    assert not any(path.is_file() for path in var_dir.rglob("*"))


def test_the_command_refuses_a_150_mb_bomb_and_writes_nothing(world, tmp_path, capsys, bomb_150):
    output = refused_by_the_command(bomb_150, tmp_path, capsys)
    assert workbook.MSG_RATIO.format(ratio=100) in output
    assert nothing_imported()


def test_a_bomb_under_the_ratio_limit_is_refused_by_its_cell_within_bounded_memory(db):
    content = one_cell_bomb(90, under_the_ratio_limit())
    assert 20 < ratio_of(content) < 100  # passes the directory check
    started = time.perf_counter()
    with peak_growth() as growth:
        message = refusal(content)
    assert time.perf_counter() - started < 0.5
    assert message == workbook.MSG_CELL_TOO_LONG
    assert growth.peak_bytes < MEMORY_BOUND


def test_a_cell_as_long_as_excel_allows_is_read(db):
    book = Workbook()
    book.active.append(["备注"])
    book.active.append(["长" * 32_767])
    buffer = io.BytesIO()
    book.save(buffer)
    with workbook.SheetRows(buffer.getvalue()) as rows:
        assert [len(values[0]) for _, values in rows.rows(rows.sheet_names()[0])] == [2, 32_767]


def test_a_sheet_declaring_more_rows_than_the_import_takes_is_refused_before_it_is_read(db):
    content = xlsx(good_rows())
    archive = zipfile.ZipFile(io.BytesIO(content))
    parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[SHEET] = parts[SHEET].replace(b'<dimension ref="A1:K4"', b'<dimension ref="A1:K300000"')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as rewritten:
        for name, data in parts.items():
            rewritten.writestr(name, data)
    assert refusal(out.getvalue()) == workbook.MSG_TOO_MANY_ROWS.format(rows=200_000)


def test_more_parts_than_the_setting_allows_are_refused(db, settings):
    settings.JINLIN = {**settings.JINLIN, "UPLOAD_MAX_ENTRIES": 20}
    buffer = io.BytesIO(xlsx(good_rows()))
    with zipfile.ZipFile(buffer, "a") as archive:
        for number in range(20):
            archive.writestr(f"xl/media/image{number}.png", b"x")
    assert refusal(buffer.getvalue()) == workbook.MSG_TOO_MANY_PARTS.format(n=20)


def test_more_unzipped_bytes_than_the_setting_allows_are_refused(db, settings):
    settings.JINLIN = {**settings.JINLIN, "UPLOAD_MAX_UNZIPPED_MB": 1}
    buffer = io.BytesIO(xlsx(good_rows()))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/photo.bin", os.urandom(MB // 2).hex())  # 1 MB at 2:1
    assert refusal(buffer.getvalue()) == workbook.MSG_BOMB.format(mb=1)


def test_a_part_under_a_megabyte_may_compress_at_any_ratio(world):
    buffer = io.BytesIO(xlsx(good_rows()))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (MB - 1))
    assert ratio_of(buffer.getvalue(), "xl/media/padding.bin") > 100
    report = import_sheet(source=buffer.getvalue(), kind="residents", area=world.area, actor=None)
    assert report.errors == [] and report.created == 3


def test_the_limits_come_from_the_settings(settings):
    settings.JINLIN = {
        **settings.JINLIN,
        "UPLOAD_MAX_UNZIPPED_MB": 7,
        "UPLOAD_MAX_RATIO": 30,
        "UPLOAD_MAX_ENTRIES": 40,
        "IMPORT_MAX_ROWS": 500,
    }
    limits = import_limits()
    assert (limits.max_unzipped_bytes, limits.max_ratio, limits.max_members, limits.max_rows) == (
        7 * MB,
        30,
        40,
        500,
    )
