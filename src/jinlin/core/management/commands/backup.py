"""`jinlin backup OUT [--verify]`: a consistent copy of the database and its manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.core.audit import audit
from jinlin.core.backup import BackupError, backup_database, manifest_path
from jinlin.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Back up the database to OUT (SQLite: online backup API; PostgreSQL: pg_dump -Fc) "
        "and write OUT.manifest.json with row counts and checksums per table."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", type=Path, help="the backup file to write")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="restore the copy into a scratch database and compare every table",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_database(options["out"], verify=options["verify"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        audit(
            actor=None,
            actor_name="jinlin backup",
            action=AuditEvent.Action.BACKUP,
            reason=f"备份 {len(report.tables)} 张表到 {report.path.name}",
        )
        rows = sum(t.rows for t in report.tables.values())
        self.stdout.write(f"已备份（{report.engine}）：{report.path}")
        self.stdout.write(
            f"校验清单：{manifest_path(report.path)}（{len(report.tables)} 张表，{rows} 行）"
        )
        if report.verification is not None:
            for line in report.verification.lines():
                self.stdout.write(line)
            if not report.verification.ok:
                raise CommandError("备份校验失败：恢复出的副本与清单不一致")
