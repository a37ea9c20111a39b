"""`jinlin restore IN [--yes] [--verify-only]`: replace the database with a verified backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.core.audit import audit
from jinlin.core.backup import BackupError, restore_database, verify_backup
from jinlin.core.models import AuditEvent


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup IN (after checking its file hash against "
        "IN.manifest.json), then compare every table's rows and checksum with the manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup", type=Path, help="a file written by `jinlin backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="only restore into a scratch database and compare; change nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["backup"]
        try:
            if options["verify_only"]:
                comparison = verify_backup(path)
            else:
                self._confirm(path, options["yes"])
                comparison = restore_database(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for line in comparison.lines():
            self.stdout.write(line)
        if not comparison.ok:
            raise CommandError("恢复后的数据与备份清单不一致，请检查上面标出的表")
        if not options["verify_only"]:
            # Written after the restore, so that the restored log records it.
            audit(
                actor=None,
                actor_name="jinlin restore",
                action=AuditEvent.Action.BACKUP,
                reason=f"从 {path.name} 恢复数据库",
            )
            self.stdout.write(f"已从 {path} 恢复数据库")

    def _confirm(self, path: Path, yes: bool) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise CommandError("恢复会覆盖当前数据库的全部数据；确认无误后请加 --yes 再运行")
        answer = input(f"用 {path} 覆盖当前数据库的全部数据？请输入 yes 确认：")
        if answer.strip().lower() != "yes":
            raise CommandError("已取消")
