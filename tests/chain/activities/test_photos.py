"""Activity photos: re-encoded without EXIF (no GPS), non-images refused, served only to who
may read the building's record."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from jinlin.chain.activities.models import ActivityPhoto
from tests.chain.activities.conftest import jpeg_with_exif, record
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_exif_is_stripped(organised, louzu):
    assert Image.open(io.BytesIO(jpeg_with_exif())).getexif()  # the upload carries it
    activity = record(louzu, organised.b13, photos=[jpeg_with_exif()])
    photo = ActivityPhoto.objects.get(activity=activity)
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "exif" not in image.info
    assert (photo.width, photo.height, photo.uploaded_by) == (64, 48, louzu)


def test_photo_is_served_only_in_scope(organised, louzu, group_leader, secretary):
    activity = record(louzu, organised.b13, photos=[jpeg_with_exif()])
    path = f"/activities/photos/{activity.photos.get().pk}/"
    assert login(group_leader).get(path).status_code == 200  # 13号楼 is its group's
    assert login(secretary).get(path).status_code == 200
    record(louzu, organised.b13)  # nothing else changes
    other = record(secretary, organised.b12, photos=[jpeg_with_exif()])
    assert login(louzu).get(f"/activities/photos/{other.photos.get().pk}/").status_code == 404
    assert login(louzu).get("/activities/photos/999999/").status_code == 404
