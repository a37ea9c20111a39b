"""Settings of the residents' door: its rate limits, overridable by JINLIN["DOOR_RATE_LIMITS"]."""

from __future__ import annotations

from django.conf import settings

# Per client address: (requests, seconds), counted by core.throttle apart from the woodpecker's.
RATE_LIMITS: dict[str, tuple[int, int]] = {
    "concern": (5, 3600),  # concerns raised (every attempt counts, refused ones too)
    "lookup": (60, 600),  # receipt pages
    "rate": (10, 3600),  # ratings
}


def rate_limit(kind: str) -> tuple[int, int]:
    overrides = getattr(settings, "JINLIN", {}).get("DOOR_RATE_LIMITS") or {}
    limit, seconds = {**RATE_LIMITS, **overrides}[kind]
    return int(limit), int(seconds)
