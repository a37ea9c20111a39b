"""Which areas' counts a write touched: each area has a revision number (AreaRevision), bumped
in the same transaction as every write that changes a count shown on the overviews.

Single saves and deletes bump through signals (`track_area_counts`, connected by
overview.apps for every model the overviews count); bulk paths, which send no signals, call
`bump_areas` themselves (imports, derived groups, the Party network, the demo generator).
What depends only on an area's rows and the day is kept per area at the revision read before
computing it (`kept_for_areas`): the overview's figures, the care visits due.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from django.db.models import F, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_init, post_save

from jinlin.places.models import AreaRevision, KeptForArea

T = TypeVar("T")


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


def kept_for_areas(
    model: type[KeptForArea],
    field: str,
    area_ids: Iterable[int],
    day: date,
    compute: Callable[[list[int]], dict[int, T]],
    encode: Callable[[T], Any],
    decode: Callable[[Any], T],
) -> dict[int, T]:
    """Each area's value for `day`: the kept one (`model`'s JSON `field`) where the area has not
    moved since it was computed, the others computed together by `compute` and kept (one query
    when nothing moved: the kept rows with their area's revision now). The revisions of the
    others are read before computing, so a write during the computation makes the next read
    compute again."""
    ids = list(area_ids)
    now = Subquery(AreaRevision.objects.filter(area_id=OuterRef("area_id")).values("number")[:1])
    kept = {
        row.area_id: row
        for row in model._default_manager.filter(area_id__in=ids).annotate(
            current_revision=Coalesce(now, 0)
        )
    }
    revisions = {area_id: row.current_revision for area_id, row in kept.items()}
    result: dict[int, T] = {}
    stale: list[int] = []
    for area_id in ids:
        row = kept.get(area_id)
        if row is not None and row.day == day and row.revision == revisions.get(area_id, 0):
            result[area_id] = decode(getattr(row, field))
        else:
            stale.append(area_id)
    if stale:
        revisions = area_revisions(stale)  # read again: a constant count of queries
        fresh = compute(stale)
        model._default_manager.bulk_create(
            [
                model(
                    area_id=area_id,
                    day=day,
                    revision=revisions.get(area_id, 0),
                    **{field: encode(value)},
                )
                for area_id, value in fresh.items()
            ],
            update_conflicts=True,
            unique_fields=["area"],
            update_fields=["day", "revision", field, "computed_at"],
        )
        result.update(fresh)
    return result


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
