"""The queue's schedule: every five minutes, send the digests due and escalate what is overdue.

Huey finds this module (djhuey imports every app's `tasks`). `run_reminders` is a plain function
too, so that a test may put it on a queue of its own (tests/reminders/test_queue.py).
"""

from __future__ import annotations

from datetime import datetime

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from jinlin.reminders.services import reminders_run


def run_reminders(now_iso: str | None = None) -> dict[str, int]:
    """One run of digests and escalation; `now_iso` (an aware ISO time) for a replayed run."""
    now = datetime.fromisoformat(now_iso) if now_iso else None
    digests, escalations = reminders_run(now=now)
    return {"digests_sent": digests.sent, "failed": digests.failed, "escalated": len(escalations)}


@db_periodic_task(crontab(minute="*/5"))
def reminders_every_five_minutes() -> dict[str, int]:
    return run_reminders()


@db_task()
def reminders_now(now_iso: str | None = None) -> dict[str, int]:
    return run_reminders(now_iso)
