"""Finding an area and an account from the command line (the import, export, adjacency and
Party commands share them): a clear CommandError when there is none."""

from __future__ import annotations

from django.core.management.base import CommandError

from jinlin.core.models import User
from jinlin.places.models import Area


def find_area(text: str) -> Area:
    area = Area.objects.filter(code=text).first() or Area.objects.filter(name=text).first()
    if area is None:
        raise CommandError(f"没有找到居民区“{text}”（请写居民区代码或名称）")
    return area


def find_user(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"没有找到账号“{username}”")
    return user
