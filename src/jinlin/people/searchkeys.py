"""The keys of resident search, without Django: pinyin and initials of a name, the phone
tail, what kind of key a query is (and which queries are refused), the end of a prefix range.

Resident.save stores the keys; people.search reads them through indexes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from jinlin.people.cells import chinese_to_int

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


@cache
def pinyin_table() -> dict[int, Any]:
    """pypinyin's table of readings, imported at its first use: with its package it takes
    0.15 s to import, which the import's reading process does while calamine reads."""
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@lru_cache(maxsize=20_000)
def _char_reading(char: str) -> str:
    readings = pinyin_table().get(ord(char))
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


@lru_cache(maxsize=50_000)
def name_pinyin(name: str) -> tuple[str, str]:
    """("zhangsan", "zs") for 张三, surnames read as surnames (曾 zeng, 单 shan). Names repeat
    down a sheet (an import reads each distinct one once)."""
    syllables = _syllables(name)
    return "".join(syllables)[:200], "".join(s[0] for s in syllables)[:20]


def search_keys(name: str, phone: str) -> tuple[str, str, str]:
    full, initials = name_pinyin(name)
    phone = phone or ""
    digits = phone if phone.isdigit() else "".join(ch for ch in phone if ch.isdigit())
    return full, initials, digits[-4:]


# 12号楼301, 12-301, 12幢2单元301室, 绿园八村12号301, 十二号楼301.
ADDRESS_PATTERN = re.compile(
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
        if any(ch.isdigit() for ch in address) and ADDRESS_PATTERN.match(address):
            return "address", address
    if text.isascii() and text.isalpha():
        return "pinyin", text.lower()
    return "name", text


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
