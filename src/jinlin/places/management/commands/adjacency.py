"""Building adjacency proposed from building numbers, for the compounds of an area.

    jinlin adjacency --area lv8                    proposals for compounds with no adjacency yet
    jinlin adjacency --area lv8 --all --row-length 5
    jinlin adjacency --area lv8 --apply [--json]

After an Excel import creates buildings, they have no neighbours, and Party groups can then
only form building by building. Without --all only compounds that have no adjacency at all are
touched, so hand corrections elsewhere are never overwritten; nothing is written without
--apply, and every apply is in the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Exists, OuterRef, Q

from jinlin.places import layout, services
from jinlin.places.lookup import find_area
from jinlin.places.models import Building, BuildingAdjacency, Compound

ACTOR_NAME = "命令行 jinlin adjacency"


class Command(BaseCommand):
    help = "按楼号为居民区各小区生成楼组相邻关系（默认只处理还没有相邻关系的小区）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", required=True, help="居民区代码或名称")
        parser.add_argument("--compound", help="只处理这个小区（名称）")
        parser.add_argument("--all", action="store_true", help="也处理已有相邻关系的小区（会覆盖）")
        parser.add_argument("--row-length", type=int, help="每排楼数（不填则按楼数自动）")
        parser.add_argument("--apply", action="store_true", help="确认写入")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        area = find_area(options["area"])
        try:
            row_length = services.check_row_length(options["row_length"])
        except ValidationError as error:
            raise CommandError(services.MSG_ROW_LENGTH, returncode=2) from error
        compounds = Compound.objects.filter(area=area).order_by("name")
        if options["compound"]:
            compounds = compounds.filter(name=options["compound"])
            if not compounds.exists():
                raise CommandError(f"{area.name}没有小区“{options['compound']}”", returncode=2)
        if not options["all"]:
            has_edges = BuildingAdjacency.objects.filter(
                Q(first__compound=OuterRef("pk")) | Q(second__compound=OuterRef("pk"))
            )
            compounds = compounds.exclude(Exists(has_edges))
        results: list[dict[str, Any]] = []
        for compound in compounds:
            proposal = services.adjacency_proposal(compound, row_length)
            labels = {
                str(pk): Building(number=number, stairwell=stairwell).label
                for pk, number, stairwell in Building.objects.filter(compound=compound).values_list(
                    "pk", "number", "stairwell"
                )
            }
            if options["apply"] and not proposal.diff.is_empty:
                services.adjacency_apply(
                    compound=compound,
                    row_length=row_length,
                    fingerprint=proposal.fingerprint,
                    actor=None,
                    actor_name=ACTOR_NAME,
                )
            results.append(
                {
                    "compound": compound.name,
                    "row_length": proposal.layout.row_length,
                    "rows": [list(row) for row in proposal.layout.rows],
                    "added": [list(pair) for pair in layout.named(proposal.diff.added, labels)],
                    "removed": [list(pair) for pair in layout.named(proposal.diff.removed, labels)],
                    "kept": len(proposal.diff.kept),
                }
            )
        if options["json"]:
            document = {"area": area.name, "applied": options["apply"], "compounds": results}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        if not results:
            self.stdout.write(f"{area.name}：没有需要处理的小区（已有相邻关系的小区要加 --all）。")
            return
        for result in results:
            self.stdout.write(
                f"{result['compound']}：每排 {result['row_length']} 幢，新增 {len(result['added'])} 对，"
                f"取消 {len(result['removed'])} 对，保留 {result['kept']} 对"
            )
            for row in result["rows"]:
                self.stdout.write("  " + "  ".join(f"{number}号楼" for number in row))
        self.stdout.write(
            "已写入。" if options["apply"] else "以上为方案，尚未写入；确认后加 --apply。"
        )
