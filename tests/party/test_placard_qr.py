"""The 亮身份 placard carries a QR code to its building's public page (the residents' door).

No QR decoder is installed (no zbar, zxing or OpenCV in the environment): the test extracts the
image WeasyPrint embedded (poppler's pdfimages), reads its modules back from the pixels, and
compares them with segno's encoding of the page's address — the same matrix means the same
content, since segno's encoding (error level, version, mask) is deterministic.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import segno
from django.test import Client
from PIL import Image

from jinlin.party.placards import QR_BORDER, QR_SCALE
from jinlin.places.models import Building
from tests.party.test_views import login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdfimages"), reason="needs poppler-utils"),
]


def embedded_images(data: bytes, tmp_path) -> list[Image.Image]:
    pdf = tmp_path / "placard.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdfimages", "-png", str(pdf), str(tmp_path / "img")], check=True)
    return [Image.open(path).convert("L") for path in sorted(tmp_path.glob("img-*.png"))]


def modules(image: Image.Image) -> list[list[bool]]:
    """The dark modules of a QR image drawn QR_SCALE pixels a module with a QR_BORDER quiet zone."""
    side = image.width // QR_SCALE - 2 * QR_BORDER
    assert image.width == image.height == (side + 2 * QR_BORDER) * QR_SCALE
    half = QR_SCALE // 2
    return [
        [
            image.getpixel(((QR_BORDER + x) * QR_SCALE + half, (QR_BORDER + y) * QR_SCALE + half))
            < 128
            for x in range(side)
        ]
        for y in range(side)
    ]


def expected(url: str) -> list[list[bool]]:
    return [[bool(cell) for cell in row] for row in segno.make(url, error="m", micro=False).matrix]


def test_placard_qr_code_reads_as_the_building_public_page(organised, secretary, tmp_path):
    response = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf")
    assert response.status_code == 200
    token = Building.objects.get(pk=organised.b12.pk).public_token
    assert token
    url = f"http://testserver/b/{token}/"
    images = embedded_images(response.content, tmp_path)
    assert len(images) == 1
    assert modules(images[0]) == expected(url)
    # and the address it reads as is the page a resident opens
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200


def test_placard_uses_the_configured_public_address(organised, secretary, tmp_path, settings):
    settings.JINLIN = {**settings.JINLIN, "PUBLIC_BASE_URL": "https://jinlin.example.cn/"}
    data = login(secretary).get(f"/party/compounds/{organised.world.compound_a.pk}/placards.pdf")
    assert data.status_code == 200
    images = embedded_images(data.content, tmp_path)
    buildings = sorted(
        Building.objects.filter(compound=organised.world.compound_a, public_token__isnull=False),
        key=lambda b: b.sort_key,
    )
    assert len(images) == len(buildings) >= 2
    urls = {f"https://jinlin.example.cn/b/{b.public_token}/" for b in buildings}
    read = [modules(image) for image in images]
    assert all(any(matrix == expected(url) for url in urls) for matrix in read)


def test_a_rotated_token_prints_a_new_code(organised, secretary, tmp_path):
    from jinlin.places.services import building_rotate_public_token

    first = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf").content
    old = Building.objects.get(pk=organised.b12.pk).public_token
    new = building_rotate_public_token(building=organised.b12, actor=secretary)
    second = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf").content
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert modules(embedded_images(first, tmp_path / "a")[0]) == expected(
        f"http://testserver/b/{old}/"
    )
    assert modules(embedded_images(second, tmp_path / "b")[0]) == expected(
        f"http://testserver/b/{new}/"
    )


def test_the_area_secretary_rotates_a_code_from_the_group_page(
    organised, secretary, branch_secretary
):
    from jinlin.places.services import building_public_token

    old = building_public_token(building=organised.b12)
    url = f"/party/buildings/{organised.b12.pk}/public-token/"
    assert login(branch_secretary).post(url).status_code == 404  # in scope, not its to do
    assert Building.objects.get(pk=organised.b12.pk).public_token == old
    group_page = f"/party/groups/{organised.extra['left'].pk}/"
    client = login(secretary)
    assert "更换 12号楼 的二维码" in client.get(group_page).content.decode()
    response = client.post(url, {"next": group_page})
    assert response.status_code == 302 and response["Location"] == group_page
    assert Building.objects.get(pk=organised.b12.pk).public_token != old
    assert Client().get(f"/b/{old}/").status_code == 404
    assert client.post(url, {"next": "https://evil.example/"})["Location"].endswith("/placard.pdf")
