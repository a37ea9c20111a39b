"""The woodpecker's rate limits: its kinds and limits (conf RATE_LIMITS) over the shared
mechanism of core.throttle, which the residents' door uses too."""

from __future__ import annotations

from django.http import HttpRequest

from jinlin.core.throttle import Verdict, client_key
from jinlin.core.throttle import hit as core_hit
from jinlin.woodpecker.conf import DEFAULTS, setting

__all__ = ["Verdict", "client_key", "hit"]


def hit(kind: str, request: HttpRequest) -> Verdict:
    """Counts one request of `kind` (report, lookup, parse) for this client; allowed while within
    RATE_LIMITS[kind]."""
    limits = {**DEFAULTS["RATE_LIMITS"], **setting("RATE_LIMITS")}
    limit, seconds = limits[kind]
    return core_hit(f"woodpecker:{kind}", request, limit=int(limit), seconds=int(seconds))
