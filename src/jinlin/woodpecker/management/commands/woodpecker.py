"""`jinlin woodpecker announce --round YYYY-MM`: print a round's announcement, as the newspaper
prints it (the confirmed one; before confirmation, what the judging so far gives)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.woodpecker import selectors


class Command(BaseCommand):
    help = "纠错有奖: `announce --round YYYY-MM` prints the month's award announcement."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        announce = actions.add_parser("announce", help="print the announcement of a round")
        announce.add_argument("--round", dest="round_code", required=True, metavar="YYYY-MM")

    def handle(self, *args: Any, **options: Any) -> None:
        round_ = selectors.round_by_code(options["round_code"])
        if round_ is None:
            raise CommandError(f"没有找到 {options['round_code']} 的评选（格式为 YYYY-MM）")
        awards = selectors.round_awards(round_)
        if not awards.confirmed:
            self.stderr.write(
                f"注意：{round_.label}的评奖尚未确认，以下为按目前评判结果生成的公告。"
            )
        if not awards.announcement:
            self.stderr.write(f"{round_.label}无人获奖。")
            return
        self.stdout.write(awards.announcement)
