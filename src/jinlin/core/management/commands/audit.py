"""`jinlin audit prune [--dry-run]`: delete audit events past JINLIN_AUDIT_RETENTION_DAYS.

The only way audit events are ever deleted (core.audit.audit_prune); run it from cron.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from jinlin.core.audit import audit_prune


class Command(BaseCommand):
    help = "Audit log maintenance: `prune` deletes events older than the retention setting."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        prune = commands.add_parser(
            "prune", help="delete events older than JINLIN_AUDIT_RETENTION_DAYS (180+)"
        )
        prune.add_argument("--dry-run", action="store_true", help="only count what would go")

    def handle(self, *args: Any, **options: Any) -> None:
        count, cutoff = audit_prune(dry_run=options["dry_run"])
        days = settings.JINLIN["AUDIT_RETENTION_DAYS"]
        when = f"{timezone.localtime(cutoff):%Y-%m-%d %H:%M}"
        if options["dry_run"]:
            self.stdout.write(f"将删除 {count} 条 {when} 之前的审计记录（保留 {days} 天）")
        else:
            self.stdout.write(f"已删除 {count} 条 {when} 之前的审计记录（保留 {days} 天）")
