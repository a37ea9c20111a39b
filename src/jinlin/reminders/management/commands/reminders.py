"""`jinlin reminders run [--now ISO]`: send the digests due and escalate what is overdue, once
(what the queue does every five minutes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jinlin.reminders.services import reminders_run


class Command(BaseCommand):
    help = "Reminders: `reminders run [--now 2026-10-09T09:00+08:00]` runs digests and escalation once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--now", default="", help="run as if it were this time (ISO 8601)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError("--now 应为 ISO 时间，如 2026-10-09T09:00+08:00") from None
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        digests, escalations = reminders_run(now=now)
        self.stdout.write(
            f"每日提醒：{digests.users} 人，发出 {digests.sent} 条，无事项 {digests.empty} 人，"
            f"失败 {digests.failed} 条（下次重试）；上报 {len(escalations)} 项"
        )
