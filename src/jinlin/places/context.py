"""Template context every page gets: whether this is demo data, the user's role label."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

from jinlin.places.models import Subdistrict


def is_demo_database() -> bool:
    flag = cache.get("jinlin:is_demo")
    if flag is None:
        flag = Subdistrict.objects.filter(is_demo=True).exists()
        cache.set("jinlin:is_demo", flag, 60)
    return bool(flag)


def product(request: HttpRequest) -> dict[str, object]:
    return {"is_demo": is_demo_database()}
