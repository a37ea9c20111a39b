"""`jinlin token USERNAME [--name WHAT] [--revoke PREFIX]`: personal API tokens."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.core.models import User
from jinlin.core.services import token_issue, token_revoke


class Command(BaseCommand):
    help = "Print a new API token for a user (shown once; stored hashed), or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="revoke the token starting with PREFIX"
        )
        parser.add_argument("--list", action="store_true", help="list the user's tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"没有用户 {options['username']}") from None
        if options["list"]:
            for row in user.api_tokens.order_by("created_at"):
                state = "已撤销" if row.revoked_at else "有效"
                self.stdout.write(
                    f"{row.prefix}…  {row.name or '-'}  {row.created_at:%Y-%m-%d}  {state}"
                )
            return
        if options["revoke"]:
            rows = user.api_tokens.filter(
                prefix__startswith=options["revoke"], revoked_at__isnull=True
            ).select_related("user")
            count = sum(token_revoke(token=row, actor=None) for row in rows)
            if not count:
                raise CommandError("没有找到该令牌")
            self.stdout.write(f"已撤销 {count} 个令牌")
            return
        _row, token = token_issue(user=user, actor=None, name=options["name"])
        self.stdout.write(token)
