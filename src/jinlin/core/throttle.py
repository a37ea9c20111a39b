"""Rate limits and the honeypot of the public forms and API (the woodpecker's report form, the
residents' door), per client address, counted in the database.

SPEC 纠错有奖: "The form must survive spam and abuse (rate limits, …)". By hand rather than
django-ninja's throttles: a page and its API must share one counter per client, the refusal
must be in Chinese, and the client is REMOTE_ADDR only (as core.audit.client_ip), never a
forwarded header a client could make up (unless JINLIN_TRUSTED_PROXIES says a proxy sets it).

The counters are rows of `RateCounter`, not Django's local-memory cache: gunicorn runs several
processes, and a per-process cache let a client through once per process (found by the load
test, bench/load.py). An UPDATE … SET count = count + 1 is atomic on both databases.
Each caller names its kind ("woodpecker:report", "door:concern") and its limit; kinds never
share a counter.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from jinlin.core.audit import client_ip
from jinlin.core.models import RateCounter

# One hit in this many also deletes the counters of windows that have ended.
SWEEP_ONE_IN = 200

MSG_TOO_MANY = "提交过于频繁，请{wait}后再试。"
HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends

    @property
    def message(self) -> str:
        minutes = max(1, (self.retry_after + 59) // 60)
        return MSG_TOO_MANY.format(wait=f"{minutes}分钟")


def client_key(request: HttpRequest) -> str:
    """A stable key of the client address that is not the address (a record keeps it to spot
    floods; an address is personal data)."""
    address = client_ip(request) or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def hit(kind: str, request: HttpRequest, *, limit: int, seconds: int) -> Verdict:
    """Counts one request of `kind` for this client; allowed while within `limit` requests.

    A fixed window: at most `limit` requests in each `seconds`-long window.
    """
    now = time.time()
    window = int(now // seconds)
    key = f"rate:{kind}:{client_key(request)}:{window}"
    retry_after = int((window + 1) * seconds - now) + 1
    count = _count(key, expires_at=datetime.fromtimestamp((window + 1) * seconds, tz=UTC))
    return Verdict(allowed=count <= int(limit), retry_after=retry_after)


def _count(key: str, *, expires_at: datetime) -> int:
    """Adds one to the counter `key` and returns the new count (created at 1 when new)."""
    if random.randrange(SWEEP_ONE_IN) == 0:
        RateCounter.objects.filter(expires_at__lt=timezone.now() - timedelta(minutes=1)).delete()
    with transaction.atomic():
        if not RateCounter.objects.filter(key=key).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, count=1, expires_at=expires_at)
                return 1
            except IntegrityError:  # another process created it between our UPDATE and INSERT
                RateCounter.objects.filter(key=key).update(count=F("count") + 1)
        return RateCounter.objects.values_list("count", flat=True).get(key=key)


def honeypot_field() -> forms.CharField:
    """A field hidden from people by CSS (and aria-hidden); a bot that fills every field
    fills this one too. Declare it as `website = honeypot_field()`."""
    return forms.CharField(
        label="网址（请勿填写）",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def is_bot(data: Any) -> bool:
    """True when the honeypot field of a submitted form (or a cleaned_data) is filled."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())
