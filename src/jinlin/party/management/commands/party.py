"""`jinlin party …`: the Party network from the command line.

    jinlin party organize --input plan.json --json     what-if: groups by the rule, no database
    jinlin party assign --input groups.json --json     what-if: a contact for every household
    jinlin party organize --area lv8 [--apply]         the area's proposal as a diff; apply it
    jinlin party assign --area lv8 [--apply]           household contacts of every group
    jinlin party coverage --area lv8 [--json]          every gap of the network

Bad input (unreadable JSON, unknown ids, negative counts, duplicates) or an unknown area: a
message on stderr and exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jinlin.party.access import PartyScope
from jinlin.party.formation import PlanningInputError
from jinlin.party.planning_io import assign_from_json, organize_from_json
from jinlin.places.models import Area

USAGE_ERROR = 2
MSG_INPUT_OR_AREA = "请给出 --input FILE（规划试算，不读数据库）或 --area AREA（本居民区）之一"
MSG_NO_FILE = "无法读取输入文件 {path}：{reason}"
MSG_BAD_INPUT = "输入有误：{reason}"
MSG_NO_AREA = "没有找到居民区“{text}”（请写居民区代码或名称）"
MSG_APPLY_NEEDS_AREA = "--apply 只用于 --area"


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = "三级联络管理网：按规则编组、分配联系户、查看覆盖缺口（见 jinlin party ACTION --help）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        organize = sub.add_parser("organize", help="按“三人成组”规则提出党小组方案")
        assign = sub.add_parser("assign", help="为每户分配一名联系党员")
        for action in (organize, assign):
            action.add_argument("--input", help="JSON 输入文件（“-” 为标准输入），试算不读数据库")
            action.add_argument("--area", help="居民区代码或名称：对数据库中的该居民区操作")
            action.add_argument("--apply", action="store_true", help="确认执行（仅 --area）")
            action.add_argument("--json", action="store_true", help="输出 JSON")
        coverage = sub.add_parser("coverage", help="列出联络网的每一处缺口")
        coverage.add_argument("--area", required=True, help="居民区代码或名称")
        coverage.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "coverage":
            self._coverage(_find_area(options["area"]), as_json=options["json"])
            return
        if bool(options.get("input")) == bool(options.get("area")):
            raise _fail(MSG_INPUT_OR_AREA)
        if options.get("input"):
            if options["apply"]:
                raise _fail(MSG_APPLY_NEEDS_AREA)
            self._what_if(action, options["input"], as_json=options["json"])
            return
        area = _find_area(options["area"])
        if action == "organize":
            self._organize_area(area, apply=options["apply"], as_json=options["json"])
        else:
            self._assign_area(area, apply=options["apply"], as_json=options["json"])

    # -- what-if from a file ---------------------------------------------------------------

    def _what_if(self, action: str, path: str, *, as_json: bool) -> None:
        text = _read(path)
        try:
            result = organize_from_json(text) if action == "organize" else assign_from_json(text)
        except PlanningInputError as error:
            raise _fail(MSG_BAD_INPUT.format(reason=error)) from None
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        if action == "organize":
            for compound in result["compounds"]:
                self.stdout.write(f"{compound['id']}:")
                for group in compound["groups"]:
                    self.stdout.write(
                        f"  党小组 {'、'.join(group['buildings'])}（{group['members']} 名）"
                    )
                for part in compound["unplaceable"]:
                    self.stdout.write(
                        f"  无法编入 {'、'.join(part['buildings'])}：{part['reason']}"
                    )
            return
        self.stdout.write(f"已分配 {len(result['assignments'])} 户")
        if result.get("uncovered"):
            self.stdout.write(
                f"无人可联系 {len(result['uncovered'])} 户：{'、'.join(result['uncovered'])}"
            )

    # -- on the database -------------------------------------------------------------------

    def _organize_area(self, area: Area, *, apply: bool, as_json: bool) -> None:
        from jinlin.party import selectors, services

        found = selectors.area_proposal(area)
        if as_json:
            payload = {
                "area": area.code,
                "fingerprint": found.fingerprint,
                "is_empty": found.is_empty,
                "summary": found.summary(),
                "diff": found.as_json(),
            }
        else:
            self._print_diff(found)
        if apply and not found.is_empty:
            reorganisation = services.network_apply_proposal(
                area=area,
                actor=None,
                fingerprint=found.fingerprint,
                actor_name="jinlin party organize",
                check_access=False,
            )
            if as_json:
                payload["applied"] = reorganisation.pk
            else:
                self.stdout.write(
                    f"已执行调整（记录 #{reorganisation.pk}）：{reorganisation.summary}"
                )
        elif not found.is_empty and not as_json:
            self.stdout.write("这是方案，尚未执行；确认后加 --apply 执行。")
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))

    def _print_diff(self, found: Any) -> None:
        out = self.stdout.write
        out(f"{found.state.area.name}：{found.summary()}")
        labels = {"keep": "不变", "change": "调整", "new": "新增", "dissolve": "撤销"}
        for change in found.diff.branches:
            if change.planned is not None:
                name = found.planned_branch_name(change.planned)
                out(f"[{labels[change.change]}] {name}：{'、'.join(change.compounds_after)}")
            else:
                out(f"[撤销] {change.current.name}")
        for change in found.diff.groups:
            if change.change == "keep":
                continue
            if change.planned is None:
                out(f"  [撤销] {change.current.name}（{found.keys_text(change.buildings_before)}）")
                continue
            line = f"  [{labels[change.change]}] {found.planned_group_name(change.planned)}：{found.keys_text(change.buildings_after)}"
            if change.added:
                line += f"  +{found.keys_text(change.added)}"
            if change.removed:
                line += f"  −{found.keys_text(change.removed)}"
            out(line)
        for part in found.plan.unplaced:
            out(f"  [无法编入] {found.keys_text(list(part.buildings))}：{part.reason}")

    def _assign_area(self, area: Area, *, apply: bool, as_json: bool) -> None:
        from jinlin.party.models import PartyOrganisation
        from jinlin.party.services import group_assign_contacts

        rows = []
        for group in (
            PartyOrganisation.objects.active().filter(area=area, level="group").order_by("id")
        ):
            result = group_assign_contacts(
                group=group, actor=None, dry_run=not apply, check_access=False
            )
            rows.append({"group_id": group.pk, "group": group.name, **result.__dict__})
        if as_json:
            self.stdout.write(
                json.dumps(
                    {"area": area.code, "applied": apply, "groups": rows},
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for row in rows:
            self.stdout.write(
                f"{row['group']}：{row['assigned']}/{row['households']} 户，变动 {row['changed']} 条"
                + (f"，{row['uncovered']} 户无人可联系" if row["uncovered"] else "")
            )
        if not apply:
            self.stdout.write("以上为试算；加 --apply 执行。")

    def _coverage(self, area: Area, *, as_json: bool) -> None:
        from jinlin.party import selectors

        state = selectors.load_network(area)
        report = selectors.coverage(state, PartyScope(area, None))
        if as_json:
            payload = {
                "area": area.code,
                "households": report.households,
                "covered": report.covered,
                "counts": report.counts(),
                "gaps": [
                    {
                        "kind": g.kind,
                        "object_type": g.object_type,
                        "object_id": g.object_id,
                        "label": g.label,
                        "reason": g.reason,
                    }
                    for g in report.gaps
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{area.name}：{report.covered}/{report.households} 户有联系党员，{len(report.gaps)} 处缺口"
        )
        for _kind, label, gaps in report.by_kind():
            if gaps:
                self.stdout.write(f"{label}（{len(gaps)}）")
                for gap in gaps:
                    self.stdout.write(f"  {gap.label}：{gap.reason}")


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise _fail(MSG_NO_FILE.format(path=path, reason=reason)) from None


def _find_area(text: str) -> Area:
    area = Area.objects.filter(code=text).first() or Area.objects.filter(name=text).first()
    if area is None:
        raise _fail(MSG_NO_AREA.format(text=text))
    return area
