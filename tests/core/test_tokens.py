"""Personal API tokens: printed once, stored hashed, revocable."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jinlin.core.models import ApiToken


def issue(username):
    out = StringIO()
    call_command("token", username, stdout=out)
    return out.getvalue().strip()


def test_token_gives_api_access_and_is_stored_hashed(world, worker_in, client):
    token = issue(worker_in.username)
    assert token.startswith("jl_")
    stored = ApiToken.objects.get(user=worker_in)
    assert stored.token_hash != token and token not in stored.token_hash
    response = client.get(
        f"/api/v1/residents/{world.resident.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 200
    # The token carries the user's access: outside the patch is still 404.
    assert (
        client.get(
            f"/api/v1/residents/{world.resident_b.pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
        ).status_code
        == 404
    )


def test_revoked_or_wrong_token_is_refused(world, worker_in, client):
    token = issue(worker_in.username)
    call_command("token", worker_in.username, revoke=token[:10], stdout=StringIO())
    assert client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert (
        client.get("/api/v1/residents", HTTP_AUTHORIZATION="Bearer jl_nonsense").status_code == 401
    )


def test_token_for_unknown_user_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("token", "nobody", stdout=StringIO())


def test_inactive_users_token_stops_working(world, worker_in, client):
    token = issue(worker_in.username)
    worker_in.is_active = False
    worker_in.save()
    assert client.get("/api/v1/residents", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
