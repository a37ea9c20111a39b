"""The demo accounts' password hash, made once per run: an Argon2 hash takes 0.1–0.4 s, and
every demo account shares one published password (DEMO_PASSWORD), so one salt hides nothing."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password


def password_hash(password: str) -> str:
    # Keyed by the hashers too: a hash made under other settings (a test's) is not reused.
    return _hash(password, tuple(settings.PASSWORD_HASHERS))


@cache
def _hash(password: str, hashers: tuple[str, ...]) -> str:
    return make_password(password)
