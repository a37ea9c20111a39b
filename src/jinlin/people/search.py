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
from jinlin.people.models import LifeStatus, Resident
from jinlin.people.searchkeys import ADDRESS_PATTERN, SearchRefused, classify_query, prefix_end
from jinlin.places.access import visible_buildings
from jinlin.places.models import Household


def _prefix_rows(rows, field: str, text: str):
    """Rows whose `field` starts with `text`, in key order, as a range each database answers
    from an index and stops reading at the LIMIT: plain indexes on SQLite (its LIKE never
    uses a binary index), indexes on `field COLLATE "C"` on PostgreSQL (migration 0004), so
    that the range means "starts with" under any database collation."""
    end = prefix_end(text)
    if connection.vendor == "postgresql":
        rows = rows.alias(search_key=Collate(field, "C")).filter(search_key__gte=text)
        if end is not None:
            rows = rows.filter(search_key__lt=end)
        return rows.order_by("search_key", "id")
    rows = rows.filter(**{f"{field}__gte": text})
    if end is not None:
        rows = rows.filter(**{f"{field}__lt": end})
    return rows.order_by(field, "id")


# (condition or prefix field, order, key, exact rank, partial rank)
Tier = tuple[object, tuple[str, ...], str | None, int, int]


def _tiers(kind: str, text: str) -> list[Tier]:
    """(condition or prefix field, order, key, exact rank, partial rank) per query. A prefix
    query in key order returns the exact matches first, so one query gives both ranks:
    张三 (0) before 张三丰 (2), given name 建国 (1) before 建国华 (3)."""
    if kind == "phone_tail":
        return [(Q(phone_tail=text), ("status", "name", "id"), None, 0, 0)]
    if kind == "phone":
        return [(Q(phone_tail=text[-4:], phone=text), ("status", "id"), None, 0, 0)]
    if kind == "id":
        return [(Q(id_number=text), ("id",), None, 0, 0)]
    if kind == "id_prefix":
        # In the order of what the caller sees: key order would rank by the hidden digits.
        return [(Q(id_number__startswith=text), ("status", "name", "id"), None, 1, 1)]
    if kind == "pinyin":
        return [
            ("name_pinyin", (), "name_pinyin", 0, 2),
            ("name_initials", (), "name_initials", 1, 3),
        ]
    if kind == "name":
        return [("name", (), "name", 0, 2), ("given_name", (), "given_name", 1, 3)]
    return []


def _address_condition(user, text: str):
    """Buildings by number (stairwell, compound), then their rooms: two small indexed reads."""
    match = ADDRESS_PATTERN.match(text)
    if match is None:
        return None
    buildings = visible_buildings(user).filter(number=match["building"])
    if match["stair"]:
        buildings = buildings.filter(stairwell=match["stair"])
    if match["compound"]:
        buildings = buildings.filter(compound__name__contains=match["compound"])
    building_ids = list(buildings.values_list("id", flat=True)[:200])
    if not building_ids:
        return None
    if not match["room"]:
        return Q(building_id__in=building_ids)
    households = list(
        Household.objects.filter(building_id__in=building_ids, room=match["room"]).values_list(
            "id", flat=True
        )
    )
    return Q(household_id__in=households) if households else None


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
    if kind == "address":
        condition = _address_condition(user, text)
        tiers: list[Tier] = (
            [(condition, ("household_id", "id"), None, 0, 0)] if condition is not None else []
        )
    else:
        tiers = _tiers(kind, text)
    ranked: dict[int, int] = {}
    for condition, order, key, exact, partial in tiers:
        if isinstance(condition, str):
            rows = _prefix_rows(base, condition, text)
        else:
            rows = base.filter(condition).order_by(*order)
        if key is None:
            found = [(pk, exact) for pk in rows.values_list("pk", flat=True)[:limit]]
        else:
            found = [
                (pk, exact if value == text else partial)
                for pk, value in rows.values_list("pk", key)[:limit]
            ]
        for pk, rank in found:
            ranked[pk] = min(rank, ranked.get(pk, rank))
    if kind in WHOLE_NUMBER_FIELDS:
        _audit_lookup(user, kind, base.filter(pk__in=list(ranked)), request)
    if not ranked:
        return []
    residents = list(
        Resident.objects.filter(pk__in=list(ranked)).select_related("household__building__compound")
    )
    position = {pk: index for index, pk in enumerate(ranked)}
    residents.sort(key=lambda r: (ranked[r.pk], r.status != LifeStatus.CURRENT, position[r.pk]))
    return residents[:limit]


# A whole number typed into the search box finds its holder without unmasking anything, but
# says who holds it: recorded like a look at the value (docs/security.md, "Searching").
WHOLE_NUMBER_FIELDS = {"id": "id_number", "phone": "phone"}


def _audit_lookup(user, kind: str, found, request) -> None:

    field = WHOLE_NUMBER_FIELDS[kind]
    reason = "按完整身份证号查找" if kind == "id" else "按完整手机号查找"
    matches = list(found.values_list("pk", "area_id"))
    for resident_id, area_id in matches or [("", getattr(user, "area_id", None))]:
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
