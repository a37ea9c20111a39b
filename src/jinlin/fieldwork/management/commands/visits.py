"""`jinlin visits due --worker USER [--date YYYY-MM-DD] [--json]`: a worker's due care visits."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jinlin.core.models import User
from jinlin.fieldwork.visits import selectors

MSG_NO_USER = "没有这个账号：{name}"
MSG_BAD_DATE = "日期格式应为 YYYY-MM-DD：{value}"


class Command(BaseCommand):
    help = "走访：列出某社工今天（或指定日期）到期与逾期的关爱走访，逾期最久的在前。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="到期与逾期的走访")
        due.add_argument("--worker", required=True, help="社工的账号（用户名）")
        due.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
        due.add_argument("--json", action="store_true", help="输出 JSON")
        due.add_argument(
            "--limit", type=int, default=selectors.DUE_LIST_LIMIT, help="最多列出多少户"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["worker"], is_active=True).first()
        if user is None:
            raise CommandError(MSG_NO_USER.format(name=options["worker"]))
        day = timezone.localdate()
        if options.get("date"):
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(MSG_BAD_DATE.format(value=options["date"])) from None
        result = selectors.due_list(user, day, limit=max(1, options["limit"]))
        if options["json"]:
            payload = {
                "worker": user.username,
                "date": day.isoformat(),
                "total": result.total,
                "overdue": result.overdue,
                "items": [row.as_dict() for row in result.rows],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{user} · {day:%Y-%m-%d} 应走访 {result.total} 户，其中逾期 {result.overdue} 户"
        )
        for row in result.rows:
            if row.is_never_visited:
                state = f"从未走访（{row.due.due_on:%Y-%m-%d} 起）"
            elif row.days_overdue > 0:
                state = f"逾期 {row.days_overdue} 天（上次 {row.due.last_visit:%Y-%m-%d}）"
            else:
                state = f"今天到期（上次 {row.due.last_visit:%Y-%m-%d}）"
            self.stdout.write(f"  {row.address}  {'、'.join(row.names)}  {row.reason}  {state}")
        if result.total > len(result.rows):
            self.stdout.write(f"  ……另有 {result.total - len(result.rows)} 户（--limit 调整）")
