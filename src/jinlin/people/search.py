"""Finding a resident from one search box: name, pinyin, initials, phone tail, ID, address.

Every kind of key is answered through a B-tree index on SQLite and PostgreSQL alike (two-
character names included: the given name is a generated, indexed column), always inside
what the user may see (people.access.visible_residents), exact matches before partial ones.
The keys themselves are computed in people.searchkeys (no Django).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Q
from django.db.models.functions import Collate

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent
from jinlin.people.access import visible_residents
from jinlin.people.models import LifeStatus
from jinlin.people.searchkeys import ADDRESS_PATTERN, SearchRefused, classify_query, prefix_end
from jinlin.places.access import visible_buildings
from jinlin.places.models import Household


def _keyed(rows, field: str):
    """The rows and the name to compare and order `field` by: `field` itself on SQLite (its
    plain indexes are binary), `field COLLATE "C"` on PostgreSQL (the indexes of migrations
    0004 and 0008), so that a range means "starts with" under any database collation."""
    if connection.vendor == "postgresql":
        return rows.alias(search_key=Collate(field, "C")), "search_key"
    return rows, field


def _prefix_rows(rows, field: str, text: str):
    """Rows whose `field` starts with `text`, in key order, as a range each database answers
    from an index and stops reading at the LIMIT (SQLite's LIKE never uses a binary index).
    Equal keys come by area, the indexes' own order (migration 0008), so that no search sorts
    a common key's every holder to find its first 20."""
    rows, key = _keyed(rows, field)
    end = prefix_end(text)
    rows = rows.filter(**{f"{key}__gte": text})
    if end is not None:
        rows = rows.filter(**{f"{key}__lt": end})
    return rows.order_by(key, "area_id", "id")


# Name-like kinds: two prefix keys, each with the rank of an exact and of a partial match:
# 张三 (0) before 张三丰 (2), given name 建国 (1) before 建国华 (3).
PREFIX_KEYS = {
    "name": (("name", 0, 2), ("given_name", 1, 3)),
    "pinyin": (("name_pinyin", 0, 2), ("name_initials", 1, 3)),
}


def _condition(kind: str, text: str) -> tuple[Q, tuple[str, ...]] | None:
    """The condition and order of a number kind of query."""
    if kind == "phone_tail":
        return Q(phone_tail=text), ("status", "name", "id")
    if kind == "phone":
        return Q(phone_tail=text[-4:], phone=text), ("status", "id")
    if kind == "id":
        return Q(id_number=text), ("id",)
    if kind == "id_prefix":
        # In the order of what the caller sees: key order would rank by the hidden digits.
        return Q(id_number__startswith=text), ("status", "name", "id")
    return None


def _address_condition(user, text: str) -> Q | None:
    """Residents of the buildings by number (stairwell, compound), of one room in them: nested
    subqueries read in one query, from the building number to its households' residents (a
    join of residents to households would read every resident of the buildings)."""
    match = ADDRESS_PATTERN.match(text)
    if match is None:
        return None
    buildings = visible_buildings(user).filter(number=match["building"])
    if match["stair"]:
        buildings = buildings.filter(stairwell=match["stair"])
    if match["compound"]:
        buildings = buildings.filter(compound__name__contains=match["compound"])
    building_ids = buildings.values("id")[:200]
    if not match["room"]:
        return Q(building_id__in=building_ids)
    households = Household.objects.filter(building_id__in=building_ids, room=match["room"])
    return Q(household_id__in=households.values("id"))


def search_residents(user, query: str, *, limit: int = 20, request=None) -> list:
    """Residents the user may see matching the query: exact matches first, then partial ones.

    Each query is cut at `limit`, so a common surname over a million residents costs no more
    than a rare one. Current residents come before those who left. A query on a hidden part of
    a number raises SearchRefused; a lookup by a whole ID number or phone is audited.
    """
    kind, text = classify_query(query)
    if kind == "empty":
        return []
    if kind == "partial_number":
        raise SearchRefused()
    base = visible_residents(user)
    fetch = base.select_related("household__building__compound")
    if kind in PREFIX_KEYS:
        found = _prefix_search(base, fetch, PREFIX_KEYS[kind], text, limit)
    else:
        chosen: tuple[Q, tuple[str, ...]] | None
        if kind == "address":
            address = _address_condition(user, text)
            chosen = (address, ("household_id", "id")) if address is not None else None
        else:
            chosen = _condition(kind, text)
        found = []
        if chosen is not None:
            condition, order = chosen
            if connection.vendor == "postgresql":
                # The first `limit` chosen without the address joins, then joined: PostgreSQL
                # joined every candidate (550 for 12号楼301 city-wide) before keeping 20
                # (superuser: 7.6 → 5.1 ms). On SQLite this form measured 0.3–0.4 ms slower.
                first = base.filter(condition).order_by(*order).values("pk")[:limit]
                rows = fetch.filter(pk__in=first).order_by(*order)
            else:
                rows = fetch.filter(condition).order_by(*order)[:limit]
            found = sorted(rows, key=lambda r: r.status != LifeStatus.CURRENT)
    if kind in WHOLE_NUMBER_FIELDS:
        _audit_lookup(user, kind, [(r.pk, r.area_id) for r in found], request)
    return found


def _prefix_search(base, fetch, keys, text: str, limit: int) -> list:
    """The first `limit` holders of each key, chosen inside its index (a query of ids that
    reads no row on SQLite, migration 0008), then all of them fetched with their addresses in
    one query; ranked here by the best key each matches, current residents first, in key
    order. (One query with a subquery per key is slower: PostgreSQL cannot use an index for
    `id IN (…) OR id IN (…)` and reads the whole area.)"""
    ids = set()
    for field, _, _ in keys:
        ids.update(_prefix_rows(base, field, text).values_list("pk", flat=True)[:limit])
    if not ids:
        return []

    def rank(resident) -> tuple:
        best = min(
            (
                (exact if value == text else partial, value)
                for field, exact, partial in keys
                if (value := getattr(resident, field)).startswith(text)
            ),
            default=(len(keys) * 2, ""),  # renamed since its id was chosen: last
        )
        return (
            best[0],
            resident.status != LifeStatus.CURRENT,
            best[1],
            resident.area_id,
            resident.pk,
        )

    return sorted(fetch.filter(pk__in=ids).order_by(), key=rank)[:limit]


# A whole number typed into the search box finds its holder without unmasking anything, but
# says who holds it: recorded like a look at the value (docs/security.md, "Searching").
WHOLE_NUMBER_FIELDS = {"id": "id_number", "phone": "phone"}


def _audit_lookup(user, kind: str, matches: list[tuple[int, int]], request) -> None:
    field = WHOLE_NUMBER_FIELDS[kind]
    reason = "按完整身份证号查找" if kind == "id" else "按完整手机号查找"
    looked: list[tuple[int | str, int | None]] = [*matches]
    for resident_id, area_id in looked or [("", getattr(user, "area_id", None))]:
        audit(
            actor=user,
            action=AuditEvent.Action.LOOKUP,
            object_type="resident",
            object_id=resident_id,
            fields=[field],
            reason=reason if matches else f"{reason}（未找到）",
            request=request,
            area_id=area_id,
        )
