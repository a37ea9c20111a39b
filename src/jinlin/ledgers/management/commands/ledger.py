"""`jinlin ledger KIND --area A|--worker U|--compound C --from YYYY-MM-DD --to YYYY-MM-DD
[--month YYYY-MM] --format xlsx|pdf --out FILE [--unmasked --user U --reason …]`: a thin shell
over ledgers.services (the same builder as the page's job, audited the same way)."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from jinlin.core.models import User
from jinlin.ledgers.columns import KINDS, LEDGER_LABELS, month_range
from jinlin.ledgers.selectors import ledger_scope
from jinlin.ledgers.services import FORMATS, ledger_generate
from jinlin.places.lookup import find_area, find_user
from jinlin.places.models import Compound


def _day(text: str | None, flag: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} 的格式是 YYYY-MM-DD（如 2026-11-01）") from None


class Command(BaseCommand):
    help = (
        "Write a 台账 ledger (visits|concerns|cases|patrols|meetings) of an area, compound or "
        "worker over a month or a date range to .xlsx or PDF (masked unless --unmasked)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS), help="、".join(LEDGER_LABELS.values()))
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--area", help="area code or name")
        where.add_argument("--compound", help="compound name (with --in-area when ambiguous)")
        where.add_argument("--worker", help="the 经办人's username")
        parser.add_argument("--in-area", help="the area of --compound")
        parser.add_argument("--from", dest="start", help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="last day, YYYY-MM-DD")
        parser.add_argument("--month", help="a whole month, YYYY-MM (instead of --from/--to)")
        parser.add_argument("--format", dest="fmt", choices=list(FORMATS), default="xlsx")
        parser.add_argument("--out", required=True, help="the file to write")
        parser.add_argument(
            "--unmasked", action="store_true", help="health and sensitive categories (audited)"
        )
        parser.add_argument("--user", help="the account it is made as; its reach applies")
        parser.add_argument("--reason", default="", help="why (required with --unmasked)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_user(options["user"])
        if options["unmasked"] and user is None:
            raise CommandError("生成完整信息台账须用 --user 指明账号，并用 --reason 说明事由")
        if options["month"]:
            found = month_range(options["month"])
            if found is None:
                raise CommandError("--month 的格式是 YYYY-MM（如 2026-11）")
            start, end = found
        else:
            first, last = _day(options["start"], "--from"), _day(options["end"], "--to")
            if first is None or last is None:
                raise CommandError("请用 --month，或同时给出 --from 和 --to")
            start, end = first, last
        ids: dict[str, int] = {}
        if options["area"]:
            ids["area_id"] = find_area(options["area"]).pk
        elif options["compound"]:
            compounds = Compound.objects.filter(name=options["compound"])
            if options["in_area"]:
                compounds = compounds.filter(area=find_area(options["in_area"]))
            found_compounds = list(compounds[:2])
            if len(found_compounds) != 1:
                raise CommandError(
                    f"没有找到小区“{options['compound']}”"
                    if not found_compounds
                    else "多个居民区都有这个小区名，请同时写 --in-area"
                )
            ids["compound_id"] = found_compounds[0].pk
        else:
            worker = User.objects.filter(username=options["worker"]).first()
            if worker is None:
                raise CommandError(f"没有账号“{options['worker']}”")
            ids["worker_id"] = worker.pk
        try:
            scope = ledger_scope(user, start=start, end=end, **ids)
            ledger = ledger_generate(
                user=user,
                scope=scope,
                kind=options["kind"],
                fmt=options["fmt"],
                unmasked=options["unmasked"],
                reason=options["reason"],
                actor_name="" if user else f"命令行（{getpass.getuser()}）",
            )
        except Http404 as missing:
            raise CommandError(str(missing) or "没有找到") from None
        except PermissionDenied as refused:
            raise CommandError(str(refused)) from None
        except ValidationError as invalid:
            raise CommandError("；".join(invalid.messages)) from None
        Path(options["out"]).write_bytes(ledger.content)
        masked = "完整信息" if ledger.unmasked else "脱敏"
        self.stdout.write(
            f"已生成{LEDGER_LABELS[options['kind']]} {ledger.count} 条到 {options['out']}（{masked}）"
        )
