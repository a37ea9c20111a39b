"""Hostile patrol photos, through the API and the page: what is not a photo, pixel bombs, payloads
hidden behind a real image, file names with `../`. Refused with a message and nothing stored,
or stored as a fresh JPEG under a name of ours inside MEDIA_ROOT."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from jinlin.fieldwork.models import Finding, FindingPhoto
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.fieldwork.photos import MSG_NOT_IMAGE, MSG_TOO_MANY_PIXELS, clean_photo
from tests.fieldwork.conftest import TODAY, jpeg_bytes
from tests.memory import MB, peak_growth

API = "/api/v1"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A few hundred bytes whose header promises width × height pixels (a pixel bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + _chunk(b"IEND", b"")
    )


def png_of_one_colour(width: int, height: int) -> bytes:
    """A real, decodable grey PNG of width × height, written row by row: 36 megapixels are
    a 35 KB file."""
    row = b"\0" + b"\x80" * width  # filter byte, then one byte a pixel
    deflate = zlib.compressobj(9)
    pixels = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", pixels)
        + _chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """A real JPEG whose frame header is changed to promise width × height pixels."""
    data = bytearray(jpeg_bytes(size=(16, 16)))
    frame = data.index(b"\xff\xc0")  # SOF0: length (2), precision (1), height (2), width (2)
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


NOT_PHOTOS = {
    "html with a script": b"<html><script>alert(document.cookie)</script></html>",
    "svg with a script": b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    "windows program": b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 200,
    "zip": b"PK\x03\x04" + b"\0" * 100,
    "truncated jpeg": jpeg_bytes(size=(64, 48))[:200],
    "jpeg header only": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
}


@pytest.fixture
def finding(world, worker_in) -> Finding:
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    return patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="2楼", severity="low"
        ),
    )


def upload(client, finding: Finding, content: bytes, name: str = "photo.jpg"):
    photo = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(f"{API}/findings/{finding.pk}/photos", {"photo": photo})


def stored_files(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


@pytest.mark.parametrize("kind", list(NOT_PHOTOS), ids=list(NOT_PHOTOS))
def test_what_is_not_a_photo_is_refused_even_named_and_typed_as_one(
    finding, worker_in, as_user, media_root, kind
):
    response = upload(as_user(worker_in), finding, NOT_PHOTOS[kind])
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "photo", "message": MSG_NOT_IMAGE}]
    assert FindingPhoto.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "content",
    [png_claiming(50_000, 50_000), png_claiming(7_000, 7_000), jpeg_claiming(65_000, 65_000)],
    ids=["png 2.5 gigapixels", "png 49 megapixels", "jpeg 4.2 gigapixels"],
)
def test_a_pixel_bomb_is_refused_before_it_is_decoded(
    finding, worker_in, as_user, media_root, content
):
    assert len(content) < 2000
    response = upload(as_user(worker_in), finding, content)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "photo", "message": MSG_TOO_MANY_PIXELS}]
    assert stored_files(media_root) == []


def test_a_payload_behind_a_real_image_is_not_kept(finding, worker_in, as_user):
    payload = b"<script>alert(1)</script>PK\x03\x04 a hidden archive"
    response = upload(as_user(worker_in), finding, jpeg_bytes(size=(32, 32)) + payload)
    assert response.status_code == 201
    stored = FindingPhoto.objects.get().image.read()
    assert payload not in stored and b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


@pytest.mark.parametrize(
    "name",
    ["../../../../etc/passwd.jpg", "..\\..\\evil.jpg", "/tmp/jinlin-owned.jpg", "照片\x00.php"],
)
def test_the_file_name_sent_is_never_used(finding, worker_in, as_user, media_root, tmp_path, name):
    response = upload(as_user(worker_in), finding, jpeg_bytes(), name=name)
    assert response.status_code == 201
    [stored] = stored_files(media_root)
    assert stored.startswith(f"fieldwork/findings/{TODAY:%Y/%m}/") and stored.endswith(".jpg")
    assert ".." not in stored and "passwd" not in stored and "evil" not in stored
    assert not (tmp_path.parent / "jinlin-owned.jpg").exists()


def test_the_page_refuses_a_pixel_bomb_among_good_photos_and_keeps_nothing(
    world, worker_in, as_user, media_root
):
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    photos = [
        SimpleUploadedFile("ok.jpg", jpeg_bytes(), content_type="image/jpeg"),
        SimpleUploadedFile("../bomb.png", png_claiming(50_000, 50_000), content_type="image/png"),
    ]
    response = as_user(worker_in).post(
        reverse("fieldwork_patrol", args=[patrol.pk]),
        {"category": "stairwell_clutter", "place": "2楼", "severity": "low", "photos": photos},
    )
    assert MSG_TOO_MANY_PIXELS in response.content.decode()
    assert Finding.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_small_png_of_many_real_pixels_is_refused_before_decoding(finding, worker_in, as_user):
    bomb = png_of_one_colour(6000, 6000)  # under the header limit, over what is decoded
    assert len(bomb) < 100 * 1024
    with peak_growth() as growth, pytest.raises(ValidationError) as refused:
        clean_photo(bomb)
    assert refused.value.message_dict == {"photo": [MSG_TOO_MANY_PIXELS]}
    assert growth.peak_bytes < 50 * MB
    response = upload(as_user(worker_in), finding, bomb, name="photo.png")
    assert response.status_code == 422
    assert response.json()["detail"] == [{"field": "photo", "message": MSG_TOO_MANY_PIXELS}]
    assert FindingPhoto.objects.count() == 0


def test_a_large_jpeg_is_decoded_at_a_fraction_of_its_size(db):
    out = io.BytesIO()
    Image.new("RGB", (5200, 3900), "gray").save(out, format="JPEG")  # 20 megapixels
    with peak_growth() as growth:
        photo = clean_photo(out.getvalue())
    assert (photo.width, photo.height) == (2560, 1920)
    assert growth.peak_bytes < 5200 * 3900 * 4  # less than its pixels decoded whole


def test_the_pixel_limit_is_inclusive(settings):
    settings.JINLIN = {**settings.JINLIN, "PHOTO_MAX_PIXELS": 100 * 100}
    assert clean_photo(jpeg_bytes(size=(100, 100))).width == 100
    with pytest.raises(ValidationError) as refused:
        clean_photo(jpeg_bytes(size=(101, 100)))
    assert refused.value.message_dict == {"photo": [MSG_TOO_MANY_PIXELS]}


def test_a_finding_takes_at_most_nine_photos_on_the_page_and_through_the_api(
    world, finding, worker_in, as_user, media_root
):
    client = as_user(worker_in)
    patrol = finding.patrol
    ten = [
        SimpleUploadedFile(f"{n}.jpg", jpeg_bytes(), content_type="image/jpeg") for n in range(10)
    ]
    response = client.post(
        reverse("fieldwork_patrol", args=[patrol.pk]),
        {"category": "stairwell_clutter", "place": "3楼", "severity": "low", "photos": ten},
    )
    assert response.status_code == 200
    assert "每项发现最多 9 张照片" in response.content.decode()
    assert Finding.objects.count() == 1 and stored_files(media_root) == []
    for _ in range(9):
        assert upload(client, finding, jpeg_bytes()).status_code == 201
    tenth = upload(client, finding, jpeg_bytes())
    assert tenth.status_code == 422
    assert tenth.json()["detail"] == [{"field": "photo", "message": "每项发现最多 9 张照片"}]
    assert finding.photos.count() == 9 and len(stored_files(media_root)) == 9


def test_a_request_with_more_files_than_any_form_takes_is_refused_before_reading_them(
    world, finding, worker_in, as_user
):
    many = [SimpleUploadedFile(f"{n}.jpg", b"x", content_type="image/jpeg") for n in range(21)]
    response = as_user(worker_in).post(
        reverse("fieldwork_patrol", args=[finding.patrol_id]),
        {"category": "stairwell_clutter", "place": "3楼", "severity": "low", "photos": many},
    )
    assert response.status_code == 400
    assert Finding.objects.count() == 1


def test_the_refusal_page_says_in_chinese_that_nothing_was_saved(
    settings, world, worker_in, as_user
):
    settings.DEBUG = False
    many = [SimpleUploadedFile(f"{n}.jpg", b"x", content_type="image/jpeg") for n in range(21)]
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=TODAY
    )
    response = as_user(worker_in).post(
        reverse("fieldwork_patrol", args=[patrol.pk]), {"place": "3楼", "photos": many}
    )
    assert response.status_code == 400
    assert "没有保存任何内容" in response.content.decode()
