"""Residents' Excel sheets as community workers keep them: headings, messy cells, clean rows.

Pure rules, no Django: cell values in (str, int, float, bool, date, datetime, None), one
clean value or a clear Chinese message out. The same columns describe the export, so an
export can be imported back. docs/import.md lists the headings and values accepted.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jinlin.people.cells import (
    GENDER,
    HEADER_SEARCH_ROWS,
    HEALTH,
    LIFE,
    MSG_BIRTH_DISAGREES,
    MSG_DUPLICATE_COLUMN,
    MSG_GENDER_DISAGREES,
    MSG_JOINED_BEFORE_BIRTH,
    MSG_MISSING_COLUMN,
    MSG_NO_HEADER,
    MSG_REQUIRED,
    MSG_STATUS_DATE_NEEDED,
    POLITICAL,
    RELATION,
    RESIDENCE,
    CellError,
    building_number,
    cell_text,
    citizen_id,
    compound_name,
    is_blank,
    neutralise,
    parse_date,
    person_name,
    phone,
    plain_text,
    room_number,
    stairwell,
    tags,
    yes_no,
)
from jinlin.people.searchkeys import search_keys

# --- columns --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    heading: str  # as exported and in the template
    variants: tuple[str, ...] = ()
    note: str = ""  # accepted values, for docs/import.md and the template's second row


_COLUMNS = {
    column.key: column
    for column in [
        Column("compound", "小区", ("小区名称", "所在小区", "小区名")),
        Column(
            "building", "楼号", ("幢", "幢号", "楼栋", "栋", "楼", "楼栋号", "号楼", "楼幢", "楼组")
        ),
        Column("stairwell", "门洞", ("单元", "单元号", "门洞号")),
        Column("room", "室号", ("房号", "室", "房间号", "房间", "门牌", "户室号")),
        Column("name", "姓名", ("名字", "居民姓名", "党员姓名")),
        Column("gender", "性别", (), "男、女；可不填，按身份证号得出"),
        Column(
            "id_number",
            "身份证号",
            ("身份证号码", "公民身份号码", "公民身份证号码", "身份证", "证件号码", "身份证件号码"),
        ),
        Column(
            "birth_date", "出生日期", ("出生年月日", "生日", "出生年月"), "可不填，按身份证号得出"
        ),
        Column(
            "phone",
            "联系电话",
            ("手机", "手机号", "手机号码", "电话", "联系方式", "电话号码", "联系手机"),
        ),
        Column("relation_to_head", "与户主关系", ("户主关系", "关系", "与户主的关系")),
        Column(
            "residence_status",
            "居住状态",
            ("户籍/居住状态", "户籍状态", "人口类型", "户籍类别", "居住类型", "人员类型"),
        ),
        Column(
            "employer",
            "工作单位",
            ("工作单位/原单位", "原工作单位", "单位", "原单位", "工作单位(原单位)"),
        ),
        Column("occupation", "职业", ("职务", "工种")),
        Column("is_retired", "是否退休", ("退休", "退休情况", "是否已退休"), "是、否"),
        Column("health", "健康状况", ("健康", "身体状况", "健康情况")),
        Column("health_notes", "健康备注", ("健康状况备注", "病情")),
        Column("hobbies", "兴趣爱好", ("爱好", "特长爱好", "兴趣"), "用顿号或逗号分隔"),
        Column("political_status", "政治面貌", ()),
        Column("joined_on", "入党时间", ("入党日期", "入党年月")),
        Column("full_member_on", "转正时间", ("转正日期",), "空表示预备党员"),
        Column("is_in_service", "在职党员", ("是否在职",), "是、否"),
        Column("is_dual_registered", "双报到", ("在职党员双报到", "是否双报到"), "是、否"),
        Column("home_organisation", "组织关系所在单位", ("组织关系所在党组织", "组织关系")),
        Column("can_contact", "能承担联系户", ("能否联系户", "是否能联系户"), "是、否"),
        Column("cannot_contact_reason", "不能联系户的原因", ("不能联系原因",)),
        Column("phone_consent", "同意公示电话", ("公示电话",), "是、否"),
        Column("status", "状态", ("人员状态", "在住状态", "居住情况"), "在住、已迁出、已故"),
        Column("status_date", "变动日期", ("迁出/死亡日期", "迁出日期", "死亡日期", "变动时间")),
        Column("notes", "备注", ("说明",)),
        Column(
            "groups",
            "群体",
            ("群体类别", "重点人群", "人群类别"),
            "人工认定的群体名称，用顿号分隔（如：社区能人、退役军人）；独居老人、老党员由系统判定，"
            "不必填。导入只增加群体，不会移除",
        ),
        Column(
            "sensitive_groups",
            "敏感群体",
            ("敏感人群",),
            "如困难家庭、低保；脱敏导出为“已隐藏”，导入时保持不变",
        ),
    ]
}
IGNORED_HEADINGS = frozenset({"序号", "编号", "no", "no.", "年龄"})

KIND_RESIDENTS = "residents"
KIND_HOUSEHOLDS = "households"
KIND_PARTY = "party-members"
KINDS = (KIND_RESIDENTS, KIND_HOUSEHOLDS, KIND_PARTY)

KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    KIND_RESIDENTS: (
        "compound",
        "building",
        "stairwell",
        "room",
        "name",
        "gender",
        "id_number",
        "birth_date",
        "phone",
        "relation_to_head",
        "residence_status",
        "employer",
        "occupation",
        "is_retired",
        "health",
        "health_notes",
        "hobbies",
        "political_status",
        "joined_on",
        "status",
        "status_date",
        "notes",
        "groups",
        "sensitive_groups",
    ),
    KIND_HOUSEHOLDS: ("compound", "building", "stairwell", "room", "notes"),
    KIND_PARTY: (
        "name",
        "id_number",
        "joined_on",
        "full_member_on",
        "is_in_service",
        "is_dual_registered",
        "home_organisation",
        "can_contact",
        "cannot_contact_reason",
        "phone_consent",
    ),
}
KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    KIND_RESIDENTS: ("building", "room", "name", "id_number"),
    KIND_HOUSEHOLDS: ("building", "room"),
    KIND_PARTY: ("id_number", "joined_on"),
}
KIND_LABELS = {KIND_RESIDENTS: "居民", KIND_HOUSEHOLDS: "户", KIND_PARTY: "党员"}


def columns_of(kind: str) -> list[Column]:
    return [_COLUMNS[key] for key in KIND_COLUMNS[kind]]


def heading_of(key: str) -> str:
    return _COLUMNS[key].heading


def _heading_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(text.split()).lower().strip("*★:：")
    return text.replace("（", "(").replace("）", ")")


_HEADING_INDEX: dict[str, str] = {}
for _column in _COLUMNS.values():
    for _text in (_column.heading, *_column.variants):
        _HEADING_INDEX[_heading_key(_text)] = _column.key


def recognise_heading(text: Any) -> str | None:
    """The column key for a heading as workers write it: 公民身份号码, 身份证号（18位）, *姓名."""
    if not isinstance(text, str):
        return None
    key = _heading_key(text)
    if not key:
        return None
    if key in _HEADING_INDEX:
        return _HEADING_INDEX[key]
    bare = re.sub(r"\(.*?\)", "", key).removeprefix("必填").removesuffix("(必填)")
    return _HEADING_INDEX.get(bare)


# --- masked cells (a masked export read back) -------------------------------------------------


@dataclass(frozen=True)
class MaskedId:
    """An ID number as a masked export writes it (310105********123X): not a number to store,
    but, with the name on the row, the key to a resident already registered (the writer finds
    it in the area)."""

    head: str  # the region, six digits
    tail: str  # the last four characters

    def __str__(self) -> str:
        return f"{self.head}********{self.tail}"


_MASKED_ID = re.compile(r"([0-9]{6})\*{8}([0-9]{3}[0-9X])")
_MASKED_PHONE = re.compile(r"[0-9-]*\*{4}[0-9]{4}")
_YEAR_ONLY = re.compile(r"[0-9]{4}年?")
HIDDEN = "已隐藏"  # as people.masking writes health and its notes (no Django here)


def masked_id(value: Any) -> MaskedId | None:
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().upper()
    match = _MASKED_ID.fullmatch(text)
    return MaskedId(match.group(1), match.group(2)) if match else None


def is_kept_as_is(key: str, value: Any, *, id_is_masked: bool) -> bool:
    """A cell a masked export wrote in place of the value: the value stays as stored. The
    birth date is shown as its year beside a masked ID (the whole date would give the ID)."""
    if not isinstance(value, str):
        return id_is_masked and key == "birth_date" and isinstance(value, int)
    text = unicodedata.normalize("NFKC", value).strip()
    if key == "phone":
        return bool(_MASKED_PHONE.fullmatch(text))
    if key in ("health", "health_notes", "sensitive_groups"):
        return text == HIDDEN
    if key == "birth_date":
        return id_is_masked and bool(_YEAR_ONLY.fullmatch(text))
    return False


# --- header and rows ------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Header:
    row: int
    columns: dict[int, str]  # cell index → key
    headings: dict[str, str]  # key → heading as written in the sheet
    ignored: list[str] = field(default_factory=list)


def find_header(rows: Iterator[tuple[int, list[Any]]], kind: str) -> Header | Problem:
    """The first row (of the first 30) naming the kind's columns; merged title rows skipped."""
    wanted = set(KIND_COLUMNS[kind])
    required = KIND_REQUIRED[kind]
    last = 0
    for number, cells in rows:
        last = number
        keys = {index: recognise_heading(value) for index, value in enumerate(cells)}
        found = {index: key for index, key in keys.items() if key in wanted}
        if len(set(found.values())) >= min(3, len(required)) and any(
            k in found.values() for k in required
        ):
            seen: dict[str, int] = {}
            for index, key in found.items():
                if key in seen:
                    return Problem(
                        number,
                        cell_text(cells[index]),
                        MSG_DUPLICATE_COLUMN.format(heading=cell_text(cells[index])),
                    )
                seen[key] = index
            missing = [key for key in required if key not in seen]
            if missing:
                heading = heading_of(missing[0])
                return Problem(number, heading, MSG_MISSING_COLUMN.format(heading=heading))
            ignored = [
                cell_text(value)
                for index, value in enumerate(cells)
                if index not in found
                and cell_text(value)
                and _heading_key(cell_text(value)) not in IGNORED_HEADINGS
            ]
            return Header(
                row=number,
                columns=found,
                headings={key: cell_text(cells[index]) for index, key in found.items()},
                ignored=ignored,
            )
        if number >= HEADER_SEARCH_ROWS:
            break
    anchors = "”“".join(heading_of(key) for key in required)
    return Problem(last or 1, "", MSG_NO_HEADER.format(n=HEADER_SEARCH_ROWS, anchors=anchors))


@dataclass
class CleanRow:
    row: int
    values: dict[str, Any]
    problems: list[Problem]
    # A resident row's search keys (pinyin, initials, phone tail) from its name and phone,
    # worked out with the cleaning (in the reading process when there are two).
    keys: tuple[str, str, str] | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems


Parser = Callable[[Any], Any]


def _parsers(today: date) -> dict[str, Parser]:
    def past(value: Any) -> date | None:
        return parse_date(value, today=today)

    return {
        "compound": compound_name,
        "building": building_number,
        "stairwell": stairwell,
        "room": room_number,
        "name": person_name,
        "gender": GENDER.parse,
        "id_number": lambda value: citizen_id(value, today=today),
        "birth_date": past,
        "phone": phone,
        "relation_to_head": RELATION.parse,
        "residence_status": RESIDENCE.parse,
        "employer": lambda value: plain_text(value, max_length=100),
        "occupation": lambda value: plain_text(value, max_length=50),
        "is_retired": yes_no,
        "health": HEALTH.parse,
        "health_notes": lambda value: plain_text(value, max_length=2000),
        "hobbies": tags,
        "political_status": POLITICAL.parse,
        "joined_on": past,
        "full_member_on": past,
        "is_in_service": yes_no,
        "is_dual_registered": yes_no,
        "home_organisation": lambda value: plain_text(value, max_length=100),
        "can_contact": yes_no,
        "cannot_contact_reason": lambda value: plain_text(value, max_length=100),
        "phone_consent": yes_no,
        "status": LIFE.parse,
        "status_date": past,
        "notes": lambda value: plain_text(value, max_length=2000),
        "groups": tags,
        "sensitive_groups": tags,
    }


_MISSING = object()
_BLANK = object()


def _parsed(parse: Parser, value: Any) -> Any:
    """The clean value, or the CellError saying why there is none."""
    try:
        return parse(value)
    except CellError as error:
        return error


# Columns a masked export writes masked: their masked cells leave the stored value as it is.
KEPT_COLUMNS = frozenset({"phone", "health", "health_notes", "birth_date", "sensitive_groups"})

REPEATING = frozenset(
    {
        "compound",
        "building",
        "stairwell",
        "room",
        "gender",
        "relation_to_head",
        "residence_status",
        "employer",
        "occupation",
        "is_retired",
        "health",
        "political_status",
        "status",
        "is_in_service",
        "is_dual_registered",
        "home_organisation",
        "can_contact",
        "phone_consent",
    }
)


class RowCleaner:
    """Turns the sheet's rows after the header into CleanRows (blank rows skipped)."""

    def __init__(self, kind: str, header: Header, *, today: date) -> None:
        self.kind = kind
        self.header = header
        self.today = today
        self.parsers = _parsers(today)
        self.required = KIND_REQUIRED[kind]
        self.total_rows: list[int] = []  # 合计/总计 rows skipped, by row number
        self.id_index = next(
            (index for index, key in header.columns.items() if key == "id_number"), None
        )
        # (cell index, key, parser, cache) in sheet order. Columns whose few distinct values
        # repeat down the sheet have a cache: each text is parsed once.
        self.columns: list[tuple[int, str, Parser, dict[object, object] | None]] = [
            (index, key, self.parsers[key], {} if key in REPEATING else None)
            for index, key in sorted(header.columns.items())
        ]

    def heading(self, key: str) -> str:
        return self.header.headings.get(key) or heading_of(key)

    def clean(self, number: int, cells: list[Any]) -> CleanRow | None:
        """The row's clean values and problems; None for a blank row or a 合计 row."""
        if is_total_row(cells, self.header.columns, self.required):
            self.total_rows.append(number)
            return None
        width = len(cells)
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        filled = False
        masked = self._masked_id(cells)
        for index, key, parse, cache in self.columns:
            if index >= width:
                continue
            value = cells[index]
            if value is None or value == "":
                continue
            if masked is not None and key == "id_number":
                values[key], filled = masked, True
                continue
            if key in KEPT_COLUMNS and is_kept_as_is(key, value, id_is_masked=masked is not None):
                filled = True  # left as stored: not read, not changed
                continue
            if cache is not None and type(value) is str:
                outcome = cache.get(value, _MISSING)
                if outcome is _MISSING:
                    outcome = _BLANK if is_blank(value) else _parsed(parse, value)
                    if len(cache) >= 10_000:
                        cache.clear()
                    cache[value] = outcome
                if outcome is _BLANK:
                    continue
            elif is_blank(value):
                continue
            else:
                outcome = _parsed(parse, value)
            filled = True
            if isinstance(outcome, CellError):
                problems.append(Problem(number, self.heading(key), outcome.message))
            else:
                values[key] = outcome
        if not filled:
            return None
        for key in self.required:
            if key not in values and not any(p.column == self.heading(key) for p in problems):
                problems.append(Problem(number, self.heading(key), MSG_REQUIRED))
        self._agree(number, values, problems)
        if self.kind == KIND_RESIDENTS:
            keys = search_keys(values.get("name", ""), values.get("phone", ""))
            return CleanRow(number, values, problems, keys)
        return CleanRow(number, values, problems)

    def _masked_id(self, cells: list[Any]) -> MaskedId | None:
        index = self.id_index
        return masked_id(cells[index]) if index is not None and index < len(cells) else None

    def _agree(self, number: int, values: dict[str, Any], problems: list[Problem]) -> None:
        """Cross-column rules: birth date and gender as in the ID; dates of a departure."""
        identity = values.get("id_number")
        if identity is not None and not isinstance(identity, MaskedId):
            values["id_number"], birth, gender = identity
            given_birth = values.get("birth_date")
            if given_birth is not None and given_birth != birth:
                problems.append(
                    Problem(
                        number,
                        self.heading("birth_date"),
                        MSG_BIRTH_DISAGREES.format(day=birth.isoformat()),
                    )
                )
            given_gender = values.get("gender")
            if given_gender is not None and given_gender != gender:
                label = GENDER.labels[gender]
                problems.append(
                    Problem(
                        number, self.heading("gender"), MSG_GENDER_DISAGREES.format(gender=label)
                    )
                )
            values["birth_date"], values["gender"] = birth, gender
            joined = values.get("joined_on")
            if joined is not None and joined < birth:
                problems.append(Problem(number, self.heading("joined_on"), MSG_JOINED_BEFORE_BIRTH))
        building = values.get("building")
        if building is not None:
            values["building"], stair_in_number = building
            if stair_in_number and not values.get("stairwell"):
                values["stairwell"] = stair_in_number
        if values.get("status") not in (None, "current") and values.get("status_date") is None:
            problems.append(Problem(number, self.heading("status"), MSG_STATUS_DATE_NEEDED))


def filled_down(
    rows: Iterable[tuple[int, list[Any]]], merges: Iterable[tuple[int, int, int]], *, below: int
) -> Iterator[tuple[int, list[Any]]]:
    """The rows with each merge that spans rows (first row, last row, cell index) filled down
    from its top cell, as the worker sees it in Excel; merges starting at or above row `below`
    (titles, the header) are left alone. Only empty cells are filled."""
    pending = sorted(m for m in merges if m[0] > below)
    active: list[tuple[int, int, Any]] = []  # (last row, cell index, value)
    position = 0
    for number, cells in rows:
        while position < len(pending) and pending[position][0] <= number:
            first, last, index = pending[position]
            position += 1
            if first == number and index < len(cells):
                active.append((last, index, cells[index]))
        active = [item for item in active if item[0] >= number]
        for _last, index, value in active:
            if value in (None, ""):
                continue
            if index >= len(cells):
                cells = [*cells, *([None] * (index + 1 - len(cells)))]
            if cells[index] in (None, ""):
                cells[index] = value
        yield number, cells


_TOTAL = re.compile(r"^\s*(合\s*计|总\s*计|小\s*计|共\s*计)")


def _may_be_total(value: str) -> bool:
    """The cell starts with 合计/总计/小计/共计 once NFKC-normalised. Most cells are already
    normalised and hold no 计: those are answered without normalising or matching."""
    if "计" not in value and unicodedata.is_normalized("NFKC", value):
        return False
    return _TOTAL.match(unicodedata.normalize("NFKC", value)) is not None


def is_total_row(cells: list[Any], columns: dict[int, str], required: Iterable[str]) -> bool:
    """A 合计/总计 row at the foot of a sheet: one of its cells starts with the word, and every
    required column but the one holding it is empty (a resident named 合计 still has an ID)."""
    texts = [value for value in cells if isinstance(value, str)]
    # Nearly every row: no 计 anywhere and every text already normalised (joined by a
    # newline, which composes with nothing, the whole is normalised only if each text is).
    joined = "\n".join(texts)
    if "计" not in joined and unicodedata.is_normalized("NFKC", joined):
        return False
    holders = [
        index
        for index, value in enumerate(cells)
        if isinstance(value, str) and _may_be_total(value)
    ]
    if not holders:
        return False
    wanted = set(required)
    for index, key in columns.items():
        if (
            key in wanted
            and index not in holders
            and index < len(cells)
            and not is_blank(cells[index])
        ):
            return False
    return True


def duplicate_key(kind: str, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """What makes two rows of one file the same record (ID number, or the address)."""
    if kind in (KIND_RESIDENTS, KIND_PARTY):
        number = values.get("id_number")
        if isinstance(number, MaskedId):  # two people may share a masked number, not a name too
            return (number, values.get("name"))
        return (number,) if number else None
    if "building" in values and "room" in values:
        return (
            values.get("compound", ""),
            values["building"],
            values.get("stairwell", ""),
            values["room"],
        )
    return None


def export_cell(key: str, value: Any) -> Any:
    """The exported form of one stored value (labels for codes, 是/否, tags joined)."""
    choice = {
        "gender": GENDER,
        "relation_to_head": RELATION,
        "residence_status": RESIDENCE,
        "health": HEALTH,
        "political_status": POLITICAL,
        "status": LIFE,
    }.get(key)
    if value is None:
        return None
    if choice is not None:
        return choice.labels.get(value, value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, str):
        return neutralise(value)
    return value


def iter_problems(rows: Iterable[CleanRow]) -> Iterator[Problem]:
    for row in rows:
        yield from row.problems
