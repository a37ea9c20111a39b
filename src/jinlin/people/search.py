"""Finding a resident from one search box: name, pinyin, initials, phone tail, ID, address.

Every kind of key is answered through a B-tree index on SQLite and PostgreSQL alike (two-
character names included: the given name is a generated, indexed column), always inside
what the user may see (core.access.visible_residents), exact matches before partial ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

from jinlin.people.sheet import chinese_to_int

# Surnames whose reading as a surname differs from the character's most common reading.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "覃": "qin",
    "仇": "qiu",
    "查": "zha",
    "翟": "zhai",
    "缪": "miao",
    "盖": "ge",
    "乐": "yue",
    "种": "chong",
    "重": "chong",
    "秘": "bi",
    "员": "yun",
    "繁": "po",
    "阚": "kan",
    "召": "shao",
    "句": "gou",
    "尉": "yu",
    "万俟": "moqi",
    "尉迟": "yuchi",
    "长孙": "zhangsun",
}


def _plain(syllable: str) -> str:
    """lǚ → lv, zhāng → zhang."""
    decomposed = unicodedata.normalize("NFD", syllable).replace("u\u0308", "v")
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=20_000)
def _char_reading(char: str) -> str:
    readings = pinyin_dict.get(ord(char))
    return _plain(readings.split(",")[0]) if readings else ""


def _syllables(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", name or "").strip()
    syllables: list[str] = []
    start = 0
    for surname in (text[:2], text[:1]):
        if surname and surname in SURNAME_READINGS:
            syllables.append(SURNAME_READINGS[surname])
            start = len(surname)
            break
    word = ""
    for char in text[start:]:
        if char.isascii() and char.isalnum():
            word += char.lower()
            continue
        if word:
            syllables.append(word)
            word = ""
        reading = _char_reading(char)
        if reading:
            syllables.append(reading)
    if word:
        syllables.append(word)
    return syllables


def name_pinyin(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三, surnames read as surnames (曾 zeng, 单 shan)."""
    syllables = _syllables(name)
    return "".join(syllables)[:200], "".join(s[0] for s in syllables)[:20]


def search_keys(name: str, phone: str) -> tuple[str, str, str]:
    full, initials = name_pinyin(name)
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return full, initials, digits[-4:]


# 12号楼301, 12-301, 12幢2单元301室, 绿园八村12号301, 十二号楼301.
_ADDRESS = re.compile(
    r"^(?P<compound>\D*?)(?P<building>\d{1,4})(?:号楼|号|幢|栋|楼|座)?"
    r"(?:(?P<stair>\d{1,2})(?:门洞|单元|门))?(?:[-/—]|室)?(?P<room>\d{2,5})?(?:室|号)?$"
)
_ADDRESS_MARK = re.compile(r"号|幢|栋|楼|座|单元|门洞|室|-|/|—")
# Chinese numerals that are part of the address (十二号楼, 三〇一室), not of a compound's
# name (绿园八村): those next to a marker or at the end.
_ADDRESS_NUMERALS = re.compile(
    r"(?<=号|幢|栋|楼|座|元|洞|-|/)[零〇○一二两三四五六七八九十百千]+"
    r"|[零〇○一二两三四五六七八九十百千]+(?=号|幢|栋|楼|座|单元|门|室|-|/|$)"
)


def _address_digits(text: str) -> str:
    return _ADDRESS_NUMERALS.sub(lambda m: str(chinese_to_int(m.group())), text)


def _normalised(query: str) -> str:
    """NFKC, without spaces and without control characters or lone surrogates (nobody types
    them; a NUL in a query is an error on PostgreSQL, a lone surrogate on both databases)."""
    text = unicodedata.normalize("NFKC", (query or "")[:200])
    return "".join(
        ch for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cs")
    )


# The parts of a number that masking leaves visible (core.idnumber): an ID number's first 6
# digits (the region) and a phone's last 4. A search may discriminate on those, or on a whole
# number typed exactly; never on a hidden part, or 10 searches a digit rebuild the number.
ID_VISIBLE_PREFIX = 6
MSG_PARTIAL_NUMBER = (
    "为保护居民信息，号码只能按完整的 18 位身份证号、完整的 11 位手机号、"
    "身份证号前 6 位或手机号后 4 位查找"
)


class SearchRefused(ValueError):
    """The query would discriminate on a hidden part of a number: refused, nothing searched."""

    def __init__(self, message: str = MSG_PARTIAL_NUMBER) -> None:
        super().__init__(message)
        self.message = message


def classify_query(query: str) -> tuple[str, str]:
    """What kind of key the user typed: phone_tail, phone, id, id_prefix, address, pinyin, name,
    or partial_number (digits that would reveal a masked part: refused)."""
    text = _normalised(query)[:50]
    if not text:
        return "empty", ""
    upper = text.upper()
    if text.isdigit():
        if len(text) == 4:
            return "phone_tail", text
        if len(text) == 11 and text.startswith("1"):
            return "phone", text
        if len(text) == 18:
            return "id", text
        if len(text) == ID_VISIBLE_PREFIX:
            return "id_prefix", text
        if len(text) > ID_VISIBLE_PREFIX:
            return "partial_number", text
        return "address", text
    if len(upper) == 18 and upper[:17].isdigit() and upper[17] == "X":
        return "id", upper
    if _ADDRESS_MARK.search(text):
        address = _address_digits(text)
        if any(ch.isdigit() for ch in address) and _ADDRESS.match(address):
            return "address", address
    if text.isascii() and text.isalpha():
        return "pinyin", text.lower()
    return "name", text


def _prefix_rows(rows, field: str, text: str):  # type: ignore[no-untyped-def]
    """Rows whose `field` starts with `text`, in key order, as a range each database answers
    from an index and stops reading at the LIMIT: plain indexes on SQLite (its LIKE never
    uses a binary index), indexes on `field COLLATE "C"` on PostgreSQL (migration 0004), so
    that the range means "starts with" under any database collation."""
    from django.db import connection
    from django.db.models.functions import Collate

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


def prefix_end(text: str) -> str | None:
    """The least string after all those that start with `text` (张 → 弡): the end of the range
    a prefix search reads; None when there is none (the text ends in U+10FFFF only)."""
    for index in range(len(text) - 1, -1, -1):
        code = ord(text[index]) + 1
        if code == 0xD800:
            code = 0xE000  # surrogates are not characters: no database stores them
        if code <= 0x10FFFF:
            return text[:index] + chr(code)
    return None


def _tiers(kind: str, text: str) -> list[tuple[object, tuple[str, ...], str | None, int, int]]:
    """(condition or prefix field, order, key, exact rank, partial rank) per query. A prefix
    query in key order returns the exact matches first, so one query gives both ranks:
    张三 (0) before 张三丰 (2), given name 建国 (1) before 建国华 (3)."""
    from django.db.models import Q

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


def _address_condition(user, text: str):  # type: ignore[no-untyped-def]
    """Buildings by number (stairwell, compound), then their rooms: two small indexed reads."""
    from django.db.models import Q

    from jinlin.core.access import visible_buildings
    from jinlin.places.models import Household

    match = _ADDRESS.match(text)
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


def search_residents(user, query: str, *, limit: int = 20, request=None) -> list:  # type: ignore[no-untyped-def]
    """Residents the user may see matching the query: exact matches first, then partial ones.

    Each query is cut at `limit`, so a common surname over a million residents costs no more
    than a rare one. Current residents come before those who left. A query on a hidden part of
    a number raises SearchRefused; a lookup by a whole ID number or phone is audited.
    """
    from jinlin.core.access import visible_residents
    from jinlin.people.models import LifeStatus, Resident

    kind, text = classify_query(query)
    if kind == "empty":
        return []
    if kind == "partial_number":
        raise SearchRefused()
    base = visible_residents(user)
    if kind == "address":
        condition = _address_condition(user, text)
        tiers = [(condition, ("household_id", "id"), None, 0, 0)] if condition is not None else []
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
    for resident in residents:
        resident.rank = ranked[resident.pk]
    residents.sort(key=lambda r: (r.rank, r.status != LifeStatus.CURRENT, position[r.pk]))
    return residents[:limit]


# A whole number typed into the search box finds its holder without unmasking anything, but
# says who holds it: recorded like a look at the value (docs/security.md, "Searching").
WHOLE_NUMBER_FIELDS = {"id": "id_number", "phone": "phone"}


def _audit_lookup(user, kind: str, found, request) -> None:  # type: ignore[no-untyped-def]
    from jinlin.core.audit import audit
    from jinlin.core.models import AuditEvent

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
