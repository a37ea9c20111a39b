"""Rate limits of the public form and API, per client address, in Django's cache.

SPEC 纠错有奖: "The form must survive spam and abuse (rate limits, …)". By hand rather than
django-ninja's throttles: the page and the API must share one counter per client, the refusal
must be in Chinese, and the client is REMOTE_ADDR only (as core.audit.client_ip), never a
forwarded header a client could make up.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from jinlin.core.audit import client_ip
from jinlin.woodpecker.conf import DEFAULTS, setting

MSG_TOO_MANY = "提交过于频繁，请{wait}后再试。"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after + 59) // 60)
        return MSG_TOO_MANY.format(wait=f"{minutes}分钟")


def client_key(request: HttpRequest) -> str:
    """A stable key of the client address that is not the address (the report keeps it to spot
    floods; an address is personal data)."""
    address = client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def hit(kind: str, request: HttpRequest) -> Verdict:
    """Counts one request of `kind` for this client; allowed while within RATE_LIMITS[kind].

    A fixed window: at most `limit` requests in each `seconds`-long window.
    """
    limits = {**DEFAULTS["RATE_LIMITS"], **setting("RATE_LIMITS")}
    limit, seconds = limits[kind]
    now = time.time()
    window = int(now // seconds)
    key = f"woodpecker:rate:{kind}:{client_key(request)}:{window}"
    retry_after = int((window + 1) * seconds - now) + 1
    cache.add(key, 0, timeout=seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    return Verdict(allowed=count <= int(limit), retry_after=retry_after)
