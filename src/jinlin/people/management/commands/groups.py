"""`jinlin groups refresh [--area CODE]`: recompute derived groups for every household.

Derived groups stay true on every save through the product; this is for data changed
behind its back (SQL, restores) and after changing the thresholds in the settings.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jinlin.people.services import refresh_derived_groups
from jinlin.places.models import Household


class Command(BaseCommand):
    help = "Recompute the derived groups (独居老人, 老党员)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument("--area", help="area code (default: all areas)")

    def handle(self, *args: Any, **options: Any) -> None:
        households = Household.objects.all()
        if options["area"]:
            households = households.filter(area__code=options["area"])
        changes = refresh_derived_groups(households.values_list("id", flat=True).iterator())
        self.stdout.write(f"已更新 {changes} 条群体记录")
