"""The 亮身份 placard carries a QR code to its building's public page (the residents' door).

The printed page is what a resident's phone sees: each PDF page is rendered to pixels (poppler's
pdftoppm) and its QR codes are read by a real decoder (zxing-cpp), then the address is opened.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
import zxingcpp
from django.test import Client
from PIL import Image

from jinlin.places.models import Building
from tests.party.test_views import login

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftoppm"), reason="needs poppler-utils"),
]


def decoded(data: bytes, tmp_path) -> list[str]:
    """The text of every QR code on every page of the PDF, as printed at 150 dpi."""
    pdf = tmp_path / "placard.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")], check=True)
    texts = []
    for path in sorted(tmp_path.glob("page-*.png")):
        with Image.open(path) as page:
            texts += [
                code.text
                for code in zxingcpp.read_barcodes(page)
                if code.format == zxingcpp.BarcodeFormat.QRCode
            ]
    return texts


def test_placard_qr_code_reads_as_the_building_public_page(organised, secretary, tmp_path):
    response = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf")
    assert response.status_code == 200
    token = Building.objects.get(pk=organised.b12.pk).public_token
    assert token
    url = f"http://testserver/b/{token}/"
    assert decoded(response.content, tmp_path) == [url]
    # and the address it reads as is the page a resident opens
    assert Client().get(url.removeprefix("http://testserver")).status_code == 200


def test_placard_uses_the_configured_public_address(organised, secretary, tmp_path, settings):
    settings.JINLIN = {**settings.JINLIN, "PUBLIC_BASE_URL": "https://jinlin.example.cn/"}
    data = login(secretary).get(f"/party/compounds/{organised.world.compound_a.pk}/placards.pdf")
    assert data.status_code == 200
    buildings = Building.objects.filter(
        compound=organised.world.compound_a, public_token__isnull=False
    )
    urls = {f"https://jinlin.example.cn/b/{b.public_token}/" for b in buildings}
    read = decoded(data.content, tmp_path)
    assert len(urls) >= 2 and len(read) == len(urls) and set(read) == urls


def test_a_rotated_token_prints_a_new_code(organised, secretary, tmp_path):
    from jinlin.places.services import building_rotate_public_token

    first = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf").content
    old = Building.objects.get(pk=organised.b12.pk).public_token
    new = building_rotate_public_token(building=organised.b12, actor=secretary)
    second = login(secretary).get(f"/party/buildings/{organised.b12.pk}/placard.pdf").content
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert decoded(first, tmp_path / "a") == [f"http://testserver/b/{old}/"]
    assert decoded(second, tmp_path / "b") == [f"http://testserver/b/{new}/"]


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
