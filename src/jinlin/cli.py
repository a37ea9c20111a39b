"""The `jinlin` console command for operators: a thin shell over Jinlin's management commands.

`jinlin serve --demo`, `jinlin demo --scale district`, `jinlin token USERNAME`, … each is a
Django management command of one of the apps; Django's own (migrate, createsuperuser, …)
work too.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": "migrate, optionally load demo data, and serve Jinlin",
    "demo": "generate a demo subdistrict (--scale small|district|city, --seed N)",
    "token": "issue (or --revoke) a personal API token for a user",
    "groups": "refresh derived groups (独居老人, 老党员) for all households",
    "import": "import residents|households|party-members of an area from .xlsx (--dry-run, --valid-only, --json)",
    "export": "export residents|households|party-members of an area, compound, building or group to .xlsx (masked unless --unmasked)",
    "visits": "care visits: `visits due --worker USER [--date YYYY-MM-DD] [--json]`",
    "adjacency": "building adjacency from building numbers: `adjacency --area AREA [--all] [--row-length N] [--apply] [--json]`",
    "party": "Party network: `party organize|assign --input FILE.json --json` (what-if) or --area AREA [--apply]; `party coverage --area AREA`",
    "backup": "back up the database to OUT with a manifest of row counts and checksums (--verify)",
    "restore": "replace the database with a backup, then compare every table (--yes, --verify-only)",
    "audit": "audit log maintenance: `audit prune [--dry-run]` past JINLIN_AUDIT_RETENTION_DAYS",
    "proofread": "校对 before print: `proofread FILE [--date YYYY-MM-DD] | --issue N [--publication P] [--json]`",
    "ledger": "台账: `ledger visits|concerns|cases|patrols|meetings --area A|--compound C|--worker U --month YYYY-MM|--from D --to D --format xlsx|pdf --out FILE` (masked unless --unmasked --user U --reason …)",
    "reminders": "daily digests and escalation once: `reminders run [--now ISO]` (the queue does it every 5 minutes)",
    "run_huey": "the task queue's consumer alone (`jinlin serve` starts one beside the server)",
    "woodpecker": "newspaper 纠错有奖: `woodpecker announce --round YYYY-MM` prints the announcement",
}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jinlin.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"} and len(args) == 1:
        print("usage: jinlin COMMAND [options]   (jinlin COMMAND --help for its options)\n")
        print("Jinlin commands:")
        from django import setup

        setup()
        from django.core.management import get_commands

        ours = {name: app for name, app in get_commands().items() if app.startswith("jinlin.")}
        for name in sorted(ours):
            print(
                f"  {name:<12} {COMMANDS.get(name, '(' + ours[name].removeprefix('jinlin.') + ')')}"
            )
        print("\nDjango's own commands (migrate, createsuperuser, check, …) work too.")
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jinlin", *args])


if __name__ == "__main__":
    main()
