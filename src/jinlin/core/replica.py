"""Reads of chosen read-only pages from a PostgreSQL streaming replica (docs/deployment.md).

With `DATABASE_REPLICA_URL` set, settings add a database alias `replica` and this router. A
view marked `@replica_reads` runs its reads of a GET against the replica; everything else —
writes, reads inside a transaction, sign-in, sessions, the user and its access scope (loaded
before the view runs), every other view — stays on the primary. A user who wrote in the last
`JINLIN_REPLICA_PIN_SECONDS` (10 by default) reads the primary everywhere, so that a page shown
right after a save shows it although the replica lags (the stamp is kept in the session by
`WriteStampMiddleware`). Without `DATABASE_REPLICA_URL` nothing changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
WROTE_AT = "jinlin_wrote_at"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_reading_replica: ContextVar[bool] = ContextVar("jinlin_reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads go to the replica only inside `reading_replica()` and outside any transaction on
    the primary; writes and migrations always to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows, one of them a little older

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


@contextmanager
def reading_replica() -> Iterator[None]:
    token = _reading_replica.set(replica_configured())
    try:
        yield
    finally:
        _reading_replica.reset(token)


def wrote_recently(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return False
    wrote_at = session.get(WROTE_AT)
    pin = getattr(settings, "JINLIN_REPLICA_PIN_SECONDS", 10)
    return isinstance(wrote_at, int | float) and time.time() - wrote_at < pin


def replica_reads(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let a read-only page read from the replica (a GET by a user who has not just written)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if (
            not replica_configured()
            or request.method not in SAFE_METHODS
            or wrote_recently(request)
        ):
            return view(request, *args, **kwargs)
        # Who the user is and what they may see are decided on the primary (a role or patch
        # just changed must not lag), before any read goes to the replica.
        from jinlin.core.access import personal_scope

        personal_scope(request.user)  # type: ignore[arg-type]  # AnonymousUser has no scope: empty
        with reading_replica():
            response = view(request, *args, **kwargs)
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                render()  # a TemplateResponse's template reads too
        return response

    return wrapper


class WriteStampMiddleware:
    """Remember in the session when its user last wrote (a successful POST, PUT, PATCH or
    DELETE), so that `replica_reads` pages read the primary for a while after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            replica_configured()
            and request.method not in SAFE_METHODS
            and response.status_code < 400
            and getattr(request, "session", None) is not None
        ):
            request.session[WROTE_AT] = time.time()
        return response
