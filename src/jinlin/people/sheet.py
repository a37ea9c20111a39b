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
from datetime import date, datetime, timedelta
from typing import Any

from jinlin.core.idnumber import IdNumberError, normalise_phone, normalise_text, parse_id_number

# --- messages (tests import them) ----------------------------------------------------------
MSG_REQUIRED = "不能为空"
MSG_TOO_LONG = "太长（最多{n}个字）"
MSG_ID_AS_NUMBER = (
    "身份证号被存成了数字，Excel 只保留前15位，后几位已丢失：请把该列设为“文本”格式后重新填写"
)
MSG_ID_MASKED = "身份证号是脱敏后的（含*号），无法导入：请使用完整的身份证号"
MSG_DATE_FORMAT = "无法识别的日期，请写成 1950-03-02、1950.3.2 或 1950年3月2日"
MSG_DATE_PARTIAL = "日期不完整（缺少月或日），请写出年月日，例如 1950-03-02"
MSG_DATE_RANGE = "日期不在合理范围内（1880年至今）"
MSG_DATE_FUTURE = "日期晚于今天"
MSG_BIRTH_DISAGREES = "出生日期与身份证号不一致（身份证号中为 {day}）"
MSG_GENDER_DISAGREES = "性别与身份证号不一致（身份证号中为{gender}）"
MSG_GENDER = "性别应为“男”或“女”"
MSG_BUILDING = "无法识别的楼号，请写成 12、12号 或 12号楼"
MSG_STAIRWELL = "无法识别的门洞/单元，请写成 1、1号 或 1单元"
MSG_ROOM = "无法识别的室号，请写成 301 或 301室"
MSG_CHOICE = "无法识别“{value}”，可填：{choices}"
MSG_YES_NO = "请填写“是”或“否”"
MSG_STATUS_DATE_NEEDED = "迁出或死亡须填写变动日期"
MSG_JOINED_BEFORE_BIRTH = "入党时间早于出生日期"
MSG_MISSING_COLUMN = "缺少必需的列“{heading}”"
MSG_DUPLICATE_COLUMN = "有两列都是“{heading}”，请删除其中一列"
MSG_NO_HEADER = "没有找到表头：前{n}行中没有一行包含“{anchors}”等列名"
MSG_DUPLICATE_ROW = "与第{row}行重复（同一{what}）"
MSG_NUMBER_AS_DATE = "这是一个数字，不是日期"

HEADER_SEARCH_ROWS = 30
# Cells beginning with these are neutralised on export (a leading apostrophe) and restored
# on import, so that an export read back changes nothing.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """One cell that cannot be read; the message is for the user, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- cells to text --------------------------------------------------------------------------

_BLANKS = "\u3000\u00a0\u200b\ufeff"


def unneutralise(text: str) -> str:
    """Undo the export's protection against formula injection ('=SUM → =SUM)."""
    if text.startswith("'") and (text[1:2] in FORMULA_TRIGGERS or text[1:2] == "'"):
        return text[1:]
    return text


def neutralise(text: str) -> str:
    """A leading apostrophe before = + - @ tab CR (and before an apostrophe, to round-trip)."""
    if text[:1] in FORMULA_TRIGGERS or text.startswith("'"):
        return "'" + text
    return text


_STRIP = " \t\r\n" + _BLANKS


def cell_text(value: Any) -> str:
    """The cell as the user sees it, trimmed (full-width and no-break spaces included)."""
    if type(value) is str:
        text = value.strip(_STRIP)
        return unneutralise(text) if text[:1] == "'" else text
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
            return ""
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return (
            value.date().isoformat()
            if value.time() == datetime.min.time()
            else value.isoformat(" ")
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip(_STRIP)
    return unneutralise(text)


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is str:
        return not value.strip(_STRIP)
    return cell_text(value) == ""


def plain_text(value: Any, *, max_length: int) -> str:
    text = cell_text(value)
    if len(text) > max_length:
        raise CellError(MSG_TOO_LONG.format(n=max_length))
    return text


def person_name(value: Any) -> str:
    """张　三 → 张三 (spaces padding two-character names); Latin names keep single spaces."""
    text = cell_text(value)
    separator = "" if text and max(text) > "\u2e80" else " "  # CJK and beyond: no spaces
    text = separator.join(text.split())
    if not text:
        raise CellError(MSG_REQUIRED)
    if len(text) > 50:
        raise CellError(MSG_TOO_LONG.format(n=50))
    return text


# --- numbers written in Chinese ---------------------------------------------------------------

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMBER = re.compile(r"[零〇○一二两三四五六七八九十百千]+")


def chinese_to_int(text: str) -> int | None:
    """十二 → 12, 一百零三 → 103, 三〇一 → 301; None if it is not such a number."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if not any(ch in _UNITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def chinese_numerals_to_digits(text: str) -> str:
    """十二号楼三〇一 → 12号楼301 (every run of Chinese numerals in the text)."""
    return _CHINESE_NUMBER.sub(lambda m: str(chinese_to_int(m.group())), text)


# --- places -----------------------------------------------------------------------------------

# [0-9], not \d: other scripts' digits (١٢) survive NFKC and would be stored as typed.
_BUILDING = re.compile(
    r"^第?(?P<number>[0-9]{1,4}[A-Z]?|[A-Z][0-9]{0,3})(?:号楼|号|幢|栋|楼|座)?"
    r"(?:(?P<stair>[0-9]{1,2})(?:门洞|单元|门|号门洞))?$"
)
_STAIRWELL = re.compile(r"^第?(?P<stair>[0-9]{1,2}|[A-Z])(?:号门洞|门洞|单元|号|门)?$")
_ROOM = re.compile(r"^(?P<room>[0-9A-Z][0-9A-Z\-]{0,9})(?:室|号|房)?$")


def _compact(value: Any) -> str:
    text = cell_text(value)
    text = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    return chinese_numerals_to_digits(text)


def building_number(value: Any) -> tuple[str, str]:
    """12 / 12号 / 12号楼 / 十二号楼 / 12幢 / 12号楼2单元 → ("12", "") or ("12", "2")."""
    text = _compact(value)
    if not text:
        raise CellError(MSG_REQUIRED)
    match = _BUILDING.match(text)
    if match is None:
        raise CellError(MSG_BUILDING)
    return match["number"].lstrip("0") or "0", match["stair"] or ""


def stairwell(value: Any) -> str:
    text = _compact(value)
    if not text:
        return ""
    match = _STAIRWELL.match(text)
    if match is None:
        raise CellError(MSG_STAIRWELL)
    return match["stair"].lstrip("0") or "0"


def room_number(value: Any) -> str:
    """301 / 301室 / ３０１ / 301.0 (a number cell) → "301"."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError(MSG_ROOM)
    text = _compact(value)
    if not text:
        raise CellError(MSG_REQUIRED)
    match = _ROOM.match(text)
    if match is None:
        raise CellError(MSG_ROOM)
    return match["room"]


def compound_name(value: Any) -> str:
    text = "".join(cell_text(value).split())
    if len(text) > 50:
        raise CellError(MSG_TOO_LONG.format(n=50))
    return text


# --- dates ------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_YMD = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_YMD_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YM = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$|^\d{4}年?$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _checked(day: date, today: date, allow_future: bool) -> date:
    if day.year < 1880:
        raise CellError(MSG_DATE_RANGE)
    if not allow_future and day > today:
        raise CellError(MSG_DATE_FUTURE)
    return day


def _from_parts(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(MSG_DATE_FORMAT) from None


def parse_date(value: Any, *, today: date, allow_future: bool = False) -> date | None:
    """A date from a date cell, an Excel serial, 19500302, 1950.3.2, 1950-03-02, 1950年3月2日."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _checked(value.date(), today, allow_future)
    if isinstance(value, date):
        return _checked(value, today, allow_future)
    if isinstance(value, bool):
        raise CellError(MSG_DATE_FORMAT)
    if isinstance(value, int | float):
        number = float(value)
        if number != number:
            raise CellError(MSG_DATE_FORMAT)
        if number.is_integer() and 18800101 <= number <= 21001231:
            compact = _YMD_COMPACT.match(str(int(number)))
            assert compact is not None  # eight digits in the range always match
            return _checked(_from_parts(*compact.groups()), today, allow_future)
        if 1880 <= number <= 2100:
            raise CellError(MSG_DATE_PARTIAL)  # a year, or 1950.3 typed as a number
        if 1 <= number < 2958466:
            # Excel's 1900 date system (serial 60 is the 29 February 1900 that never was).
            serial = int(number)
            day = (
                _EXCEL_EPOCH + timedelta(days=serial)
                if serial > 60
                else date(1899, 12, 31) + timedelta(days=serial)
            )
            return _checked(day, today, allow_future)
        raise CellError(MSG_NUMBER_AS_DATE)
    text = unicodedata.normalize("NFKC", cell_text(value)).strip()
    if not text:
        return None
    text = (
        chinese_numerals_to_digits(text)
        if re.search(r"[〇○零一二三四五六七八九十]", text)
        else text
    )
    text = _TIME_TAIL.sub("", text)
    match = _YMD.match(text) or _YMD_COMPACT.match(text)
    if match:
        return _checked(_from_parts(*match.groups()), today, allow_future)
    if _YM.match(text):
        raise CellError(MSG_DATE_PARTIAL)
    raise CellError(MSG_DATE_FORMAT)


# --- identity -------------------------------------------------------------------------------


def id_number_text(value: Any) -> str:
    """The ID number as text, refusing numbers whose last digits Excel has already lost."""
    if isinstance(value, bool):
        raise CellError(MSG_ID_AS_NUMBER)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 2**53:
            return str(int(value))
        raise CellError(MSG_ID_AS_NUMBER)
    if isinstance(value, int):
        return str(value)
    text = normalise_text(cell_text(value)).strip("'\"‘’“”")
    if "*" in text:
        raise CellError(MSG_ID_MASKED)
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text):
        raise CellError(MSG_ID_AS_NUMBER)  # 3.10105E+17 copied from Excel's display
    return text


# An ID cell as it usually is: 17 ASCII digits and a check character, nothing to normalise.
_PLAIN_ID = re.compile(r"[0-9]{17}[0-9X]")
_CHECK_CHARACTERS = "10X98765432"


def _plain_citizen_id(text: str, today: date) -> tuple[str, date, str] | None:
    """The usual cell checked quickly (an import reads 100,000 of them); None whenever
    anything is off, and parse_id_number then says what.

    GB 11643's weight of digit i is 2^(17-i) mod 11, and 13 ≡ 2 (mod 11): the weighted sum is
    twice the 17 digits read in base 13, mod 11, which int() computes in C."""
    if _PLAIN_ID.fullmatch(text) is None:
        return None
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return None
    if birth.year < 1880 or birth > today:
        return None
    if _CHECK_CHARACTERS[2 * int(text[:17], 13) % 11] != text[17]:
        return None
    return text, birth, "M" if int(text[16]) % 2 == 1 else "F"


def citizen_id(value: Any, *, today: date) -> tuple[str, date, str]:
    """(number, birth date, "M"/"F"), or CellError with the GB 11643 reason."""
    if type(value) is str and len(value) == 18:
        plain = _plain_citizen_id(value, today)
        if plain is not None:
            return plain
    text = id_number_text(value)
    try:
        parsed = parse_id_number(text, today=today)
    except IdNumberError as error:
        if isinstance(value, int | float) and not isinstance(value, bool) and len(text) >= 16:
            raise CellError(MSG_ID_AS_NUMBER) from None
        raise CellError(str(error)) from None
    return parsed.number, parsed.birth_date, parsed.gender


_PLAIN_MOBILE = re.compile(r"1[3-9][0-9]{9}")


def phone(value: Any) -> str:
    if type(value) is str and _PLAIN_MOBILE.fullmatch(value):
        return value  # the usual cell: a mobile number with nothing to normalise
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = cell_text(value)
    if not text:
        return ""
    try:
        return normalise_phone(text)
    except ValueError as error:
        raise CellError(str(error)) from None


# --- choices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A choice column: labels (and what workers also write) to the stored code."""

    codes: dict[str, str]  # normalised text → code
    labels: dict[str, str]  # code → the label exported

    def parse(self, value: Any) -> str:
        text = "".join(unicodedata.normalize("NFKC", cell_text(value)).split()).lower()
        if text in self.codes:
            return self.codes[text]
        raise CellError(
            MSG_CHOICE.format(value=cell_text(value)[:20], choices="、".join(self.labels.values()))
        )


def _choice(labels: dict[str, str], synonyms: dict[str, str]) -> Choice:
    codes = {label.lower(): code for code, label in labels.items()}
    codes.update({code: code for code in labels})
    codes.update({text.lower(): code for text, code in synonyms.items()})
    return Choice(codes=codes, labels=labels)


# The labels match the models' choices (people/models.py); a test keeps them in step.
GENDER = _choice({"M": "男", "F": "女"}, {"男性": "M", "女性": "F"})
RELATION = _choice(
    {
        "head": "户主",
        "spouse": "配偶",
        "child": "子女",
        "parent": "父母",
        "grandchild": "孙子女",
        "sibling": "兄弟姐妹",
        "child_in_law": "儿媳/女婿",
        "other": "其他",
        "tenant": "租户",
    },
    {
        "本人": "head",
        "户主本人": "head",
        "妻": "spouse",
        "妻子": "spouse",
        "夫": "spouse",
        "丈夫": "spouse",
        "子": "child",
        "女": "child",
        "儿子": "child",
        "女儿": "child",
        "长子": "child",
        "次子": "child",
        "长女": "child",
        "次女": "child",
        "独子": "child",
        "独女": "child",
        "养子": "child",
        "养女": "child",
        "父": "parent",
        "母": "parent",
        "父亲": "parent",
        "母亲": "parent",
        "孙子": "grandchild",
        "孙女": "grandchild",
        "外孙": "grandchild",
        "外孙子": "grandchild",
        "外孙女": "grandchild",
        "兄": "sibling",
        "弟": "sibling",
        "姐": "sibling",
        "妹": "sibling",
        "哥哥": "sibling",
        "弟弟": "sibling",
        "姐姐": "sibling",
        "妹妹": "sibling",
        "儿媳": "child_in_law",
        "女婿": "child_in_law",
        "租客": "tenant",
        "承租人": "tenant",
        "其它": "other",
    },
)
RESIDENCE = _choice(
    {"registered": "户籍", "permanent": "常住", "separated": "人户分离", "floating": "流动"},
    {
        "户籍人口": "registered",
        "本市户籍": "registered",
        "常住人口": "permanent",
        "人在户不在": "separated",
        "户在人不在": "separated",
        "流动人口": "floating",
        "来沪人员": "floating",
        "外来人口": "floating",
        "外来": "floating",
    },
)
HEALTH = _choice(
    {"good": "良好", "chronic": "慢性病", "serious": "大病重病", "disabled": "残疾"},
    {
        "健康": "good",
        "好": "good",
        "一般": "good",
        "正常": "good",
        "大病": "serious",
        "重病": "serious",
        "重大疾病": "serious",
        "残障": "disabled",
        "残疾人": "disabled",
    },
)
POLITICAL = _choice(
    {
        "member": "中共党员",
        "probationary": "中共预备党员",
        "league": "共青团员",
        "democratic": "民主党派",
        "masses": "群众",
    },
    {
        "党员": "member",
        "共产党员": "member",
        "预备党员": "probationary",
        "团员": "league",
        "民革": "democratic",
        "民盟": "democratic",
        "民建": "democratic",
        "民进": "democratic",
        "农工党": "democratic",
        "致公党": "democratic",
        "九三学社": "democratic",
        "台盟": "democratic",
        "无党派": "masses",
        "无党派人士": "masses",
        "无": "masses",
    },
)
LIFE = _choice(
    {"current": "在住", "moved_out": "已迁出", "deceased": "已故"},
    {
        "正常": "current",
        "在册": "current",
        "迁出": "moved_out",
        "死亡": "deceased",
        "去世": "deceased",
        "已死亡": "deceased",
        "已去世": "deceased",
    },
)
_YES = {"是", "y", "yes", "√", "✓", "1", "true", "退休", "已退休", "有"}
_NO = {"否", "n", "no", "×", "0", "false", "在职", "未退休", "无"}


def yes_no(value: Any) -> bool:
    text = "".join(unicodedata.normalize("NFKC", cell_text(value)).split()).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(MSG_YES_NO)


def tags(value: Any) -> list[str]:
    """书法、太极拳，合唱 → ["书法", "太极拳", "合唱"]."""
    text = cell_text(value)
    return [t for t in re.split(r"[、,，;；/\s]+", text) if t][:30]


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
    }


_MISSING = object()
_BLANK = object()


def _parsed(parse: Parser, value: Any) -> Any:
    """The clean value, or the CellError saying why there is none."""
    try:
        return parse(value)
    except CellError as error:
        return error


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
        # (cell index, key, parser, cache) in sheet order. Columns whose few distinct values
        # repeat down the sheet have a cache: each text is parsed once.
        self.columns: list[tuple[int, str, Parser, dict[object, object] | None]] = [
            (index, key, self.parsers[key], {} if key in REPEATING else None)
            for index, key in sorted(header.columns.items())
        ]

    def heading(self, key: str) -> str:
        return self.header.headings.get(key) or heading_of(key)

    def clean(self, number: int, cells: list[Any]) -> CleanRow | None:
        width = len(cells)
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        filled = False
        for index, key, parse, cache in self.columns:
            if index >= width:
                continue
            value = cells[index]
            if value is None or value == "":
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
        return CleanRow(number, values, problems)

    def _agree(self, number: int, values: dict[str, Any], problems: list[Problem]) -> None:
        """Cross-column rules: birth date and gender as in the ID; dates of a departure."""
        identity = values.get("id_number")
        if identity is not None:
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


def duplicate_key(kind: str, values: dict[str, Any]) -> tuple[Any, ...] | None:
    """What makes two rows of one file the same record (ID number, or the address)."""
    if kind in (KIND_RESIDENTS, KIND_PARTY):
        number = values.get("id_number")
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
