"""The door's tests reuse the Party tests' organised area (members, consents, households) and
freeze a Tuesday morning; photos go to a temporary MEDIA_ROOT."""

from __future__ import annotations

import pytest

from jinlin.places.services import building_public_token
from tests.party.conftest import frozen_day, organised, party  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def token(organised) -> str:  # noqa: F811  (the fixture imported above)
    return building_public_token(building=organised.b12)


@pytest.fixture
def page_url(token) -> str:
    return f"/b/{token}/"
