"""The access log of `jinlin serve`: a line a request, paths without their query strings (a
search term, a name, stays out of the log), built from the six values the line shows.

gunicorn's own logger builds some twenty values and every request and response header for
each line, then formats the time: 5% of the CPU of a request of 今日 under load (bench/
web_path.py, issue 18). No Django here: gunicorn's master loads it before any application.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gunicorn.glogging import Logger  # type: ignore[import-untyped]  # gunicorn ships no types

# 127.0.0.1 "GET /today/" 200 39293 31ms
ACCESS_LOG_FORMAT = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


class AccessLogger(Logger):
    """gunicorn's logger with the values of ACCESS_LOG_FORMAT alone."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: timedelta
    ) -> dict[str, Any]:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "h": environ.get("REMOTE_ADDR", "-"),
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "s": status,
            "b": "-" if sent is None else str(sent),
            "M": request_time.seconds * 1000 + request_time.microseconds // 1000,
        }
