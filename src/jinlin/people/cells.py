"""Cells of residents' sheets as community workers type them: text, Chinese numerals, places,
dates, ID numbers, phones and choices, each to one clean value or a clear Chinese message.

Pure rules, no Django; people.sheet puts them together into columns and rows.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
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
