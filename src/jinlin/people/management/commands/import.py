"""`jinlin import residents|households|party-members FILE.xlsx --area AREA [...]`: a thin shell
over people.importing; exit status 1 when the file has errors (unless --valid-only)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.core.access import can_manage_area
from jinlin.people.importing import import_sheet
from jinlin.people.sheet import KINDS
from jinlin.places.lookup import find_area, find_user


class Command(BaseCommand):
    help = "Import residents, households or Party members of one area from an .xlsx file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--area", required=True, help="area code or name")
        parser.add_argument(
            "--valid-only", action="store_true", help="write the valid rows, report the others"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="write nothing, report what would happen"
        )
        parser.add_argument(
            "--create-places",
            action="store_true",
            help="create the compounds and buildings the area lacks (else their rows are refused)",
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--user", help="the account the import is made as (kept in history and audit)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        area = find_area(options["area"])
        user = find_user(options["user"])
        if user is not None and not can_manage_area(user, area.pk):
            raise CommandError("该账号不能向这个居民区导入数据（须为本居民区书记/主任）")
        try:
            with open(options["file"], "rb") as source:
                report = import_sheet(
                    source=source,
                    kind=options["kind"],
                    area=area,
                    actor=user,
                    valid_only=options["valid_only"],
                    dry_run=options["dry_run"],
                    create_places=options["create_places"],
                    actor_name=user.username if user else "命令行",
                )
        except OSError as error:
            raise CommandError(f"无法读取文件：{error.strerror}") from None
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self.stdout.write(report.summary())
            for problem in report.errors:
                where = f"第{problem.row}行" if problem.row else "文件"
                column = f"［{problem.column}］" if problem.column else ""
                self.stdout.write(f"  {where}{column}：{problem.message}")
        if report.errors and not options["valid_only"]:
            sys.exit(1)
