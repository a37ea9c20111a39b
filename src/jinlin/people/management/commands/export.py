"""`jinlin export residents|households|party-members --area AREA [--compound …] [--building …]
[--group …] [--unmasked --user USERNAME --reason …] -o FILE.xlsx`: a thin shell over
people.exporting, writing the columns the import of the same kind reads."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from jinlin.people.catalogue import group_catalogue
from jinlin.people.cells import CellError, building_number
from jinlin.people.exporting import export_residents, select
from jinlin.people.sheet import KINDS
from jinlin.places.lookup import find_area, find_user
from jinlin.places.models import Area, Building, Compound


def find_group(text: str | None, area: Area) -> str | None:
    """A group of the area's catalogue by its code or its label (the area's own groups too)."""
    if not text:
        return None
    catalogue = group_catalogue(area.pk)
    for kind in catalogue.every:
        if text == kind.code:
            return kind.code
    found = catalogue.by_label(text)
    if found is not None:
        return found.code
    raise CommandError(
        f"没有这个群体“{text}”（可写：{'、'.join(k.label for k in catalogue.kinds)}）"
    )


def find_compound(area: Area, text: str | None) -> Compound | None:
    if not text:
        return None
    compound = Compound.objects.filter(area=area, name=text).first()
    if compound is None:
        raise CommandError(f"{area.name}没有小区“{text}”")
    return compound


def find_building(area: Area, compound: Compound | None, text: str | None) -> Building | None:
    if not text:
        return None
    try:
        number, stairwell = building_number(text)
    except CellError as error:
        raise CommandError(error.message) from None
    buildings = Building.objects.filter(compound__area=area, number=number, stairwell=stairwell)
    if compound is not None:
        buildings = buildings.filter(compound=compound)
    found = list(buildings[:2])
    if not found:
        raise CommandError(f"没有找到楼组“{text}”")
    if len(found) > 1:
        raise CommandError("多个小区都有这个楼号，请同时写 --compound")
    return found[0]


class Command(BaseCommand):
    help = (
        "Export residents, households or Party members of an area, compound, building or group "
        "to .xlsx in the import's columns (masked by default)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--area", required=True, help="area code or name")
        parser.add_argument("--compound", help="compound name")
        parser.add_argument("--building", help="building number, e.g. 12 or 12号楼2单元")
        parser.add_argument("--group", help="group code or name, e.g. living_alone or 独居老人")
        parser.add_argument(
            "--include-gone", action="store_true", help="also residents who moved out or died"
        )
        parser.add_argument(
            "--unmasked", action="store_true", help="whole ID numbers, phones, health (audited)"
        )
        parser.add_argument("--user", help="the account the export is made as; its access applies")
        parser.add_argument("--reason", default="", help="why (required with --unmasked)")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        area = find_area(options["area"])
        user = find_user(options["user"])
        if options["unmasked"] and user is None:
            raise CommandError("导出完整信息须用 --user 指明账号，并用 --reason 说明事由")
        compound = find_compound(area, options["compound"])
        building = find_building(area, compound, options["building"])
        try:
            selection = select(
                user,
                area_id=area.pk,
                compound_id=compound.pk if compound else None,
                building_id=building.pk if building else None,
                group=find_group(options["group"], area),
            )
            export = export_residents(
                user=user,
                selection=selection,
                unmasked=options["unmasked"],
                reason=options["reason"],
                include_gone=options["include_gone"],
                actor_name="" if user else f"命令行（{getpass.getuser()}）",
                kind=options["kind"],
            )
        except Http404 as missing:
            raise CommandError(str(missing) or "没有找到") from None
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        Path(options["output"]).write_bytes(export.content)
        masked = "完整信息：" + "、".join(export.unmasked) if export.unmasked else "脱敏"
        what = {"residents": "名居民", "households": "户", "party-members": "名党员"}[
            options["kind"]
        ]
        self.stdout.write(f"已导出 {export.count} {what}到 {options['output']}（{masked}）")
