"""`jinlin demo [--scale small|district|city] [--seed N]`: generate a demo subdistrict."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandParser

from jinlin.demo.generator import DEMO_PASSWORD, SCALES, generate


class Command(BaseCommand):
    help = "Generate believable demo data for a Shanghai subdistrict (all data invented)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true")
        parser.add_argument(
            "--fieldwork",
            action="store_true",
            help="also a year of 望闻问切 records: visits, patrols, concerns, cases",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        progress = None if options["quiet"] else (lambda line: self.stderr.write(line))
        from jinlin.places.models import Area

        first_new_area = (
            Area.objects.order_by("-id").values_list("id", flat=True).first() or 0
        ) + 1
        report = generate(scale=options["scale"], seed=options["seed"], progress=progress)
        cache.delete("jinlin:is_demo")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"演示数据已生成（{seconds:.1f} 秒）：{report.subdistricts} 个街道/镇，{report.areas} 个居民区，"
            f"{report.compounds} 个小区，{report.buildings} 个楼组，{report.households} 户，"
            f"{report.residents} 名居民，{report.party_members} 名党员"
        )
        print_accounts(self, report.accounts)
        if options["fieldwork"]:
            from jinlin.demo.fieldwork import generate_fieldwork

            areas = list(Area.objects.filter(id__gte=first_new_area).order_by("id"))
            work = generate_fieldwork(seed=options["seed"], areas=areas, progress=progress)
            self.stdout.write(
                f"望闻问切演示数据：走访 {work.visits} 次，巡查 {work.patrols} 次（发现 {work.findings} 项），"
                f"民声 {work.concerns} 条，个案 {work.cases} 件"
            )


def print_accounts(command: BaseCommand, accounts: list[tuple[str, str, str]]) -> None:
    if not accounts:
        return
    command.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
    for username, _role, display in accounts:
        command.stdout.write(f"  {username:<10} {display}")
