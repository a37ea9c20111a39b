"""Which areas' counts a write touched: each area has a revision number (AreaRevision), bumped
in the same transaction as every write that changes a count shown on the overviews.

Single saves and deletes bump through signals (`track_area_counts`, connected by
overview.apps for every model the overviews count); bulk paths, which send no signals, call
`bump_areas` themselves (imports, derived groups, the Party network, the demo generator).
overview.figures keeps a day's figures per area at the revision it read before computing them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import F, Model
from django.db.models.signals import post_delete, post_init, post_save

from jinlin.places.models import AreaRevision


def bump_areas(area_ids: Iterable[int | None]) -> None:
    ids = {area_id for area_id in area_ids if area_id}
    if not ids:
        return
    updated = AreaRevision.objects.filter(area_id__in=ids).update(number=F("number") + 1)
    if updated < len(ids):
        known = set(AreaRevision.objects.filter(area_id__in=ids).values_list("area_id", flat=True))
        AreaRevision.objects.bulk_create(
            [AreaRevision(area_id=area_id, number=1) for area_id in ids - known],
            ignore_conflicts=True,
        )


def area_revisions(area_ids: Iterable[int]) -> dict[int, int]:
    """Each area's revision (0 for an area no write has touched yet)."""
    return dict(
        AreaRevision.objects.filter(area_id__in=list(area_ids)).values_list("area_id", "number")
    )


def track_area_counts(
    model: type[Model], area_of: Callable[[Any], int | None], *, moves: bool = False
) -> None:
    """Bump the area of every saved or deleted `model` row; with `moves`, also the area it was
    in when loaded (a resident moving out changes the counts of both; the model then has an
    `area_id`, read as loaded: a deferred one is not fetched)."""

    def remember(sender: type, instance: Any, **kwargs: Any) -> None:
        instance._counted_area_id = instance.__dict__.get("area_id")

    def changed(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw:
            return
        now = area_of(instance)
        bump_areas({now, getattr(instance, "_counted_area_id", None)})
        if moves:
            instance._counted_area_id = now

    uid = f"jinlin.places.figures:{model._meta.label}"
    if moves:
        post_init.connect(remember, sender=model, weak=False, dispatch_uid=uid)
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)
