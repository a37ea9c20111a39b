"""The health check a load balancer or monitor polls: no login, no session, the database pinged."""

from __future__ import annotations

from django.db import DatabaseError


def test_health_check_answers_ok_without_login_or_session(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "sessionid" not in response.cookies


def test_health_check_answers_503_when_the_database_is_unreachable(db, client, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    with monkeypatch.context() as patched:  # undone before the test database is torn down
        patched.setattr("jinlin.core.views.connection.cursor", refuse)
        response = client.get("/healthz")
    assert response.status_code == 503


def test_health_check_refuses_writes(db, client):
    assert client.post("/healthz").status_code == 405
