"""The demo accounts' password hash, made once per run: an Argon2 hash takes about 0.1 s, and
every demo account shares one published password (DEMO_PASSWORD), so one salt hides nothing."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import make_password


@cache
def password_hash(password: str) -> str:
    return make_password(password)
