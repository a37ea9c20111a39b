"""Citizen ID numbers (GB 11643-1999) and mainland mobile phones: parse, check, mask.

Pure rules with no Django import, shared by forms, the API, imports and the demo generator.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# GB 11643-1999: weights of the 17 body digits and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
# ASCII digits only: \d and str.isdigit() also take other scripts' digits (١٢٣), which NFKC
# leaves as they are and which would be stored as they were typed.
_ID_SHAPE = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE_SHAPE = re.compile(r"^1[3-9][0-9]{9}$")
# Landlines as workers write them: 021-62345678, 62345678, 021 6234 5678.
_LANDLINE_SHAPE = re.compile(r"^(0[0-9]{2,3})?[0-9]{7,8}$")

MSG_ID_EMPTY = "身份证号不能为空"
MSG_ID_LEGACY = "这是15位旧身份证号，请填写18位公民身份号码"
MSG_ID_LENGTH = "身份证号应为18位（17位数字加1位校验码）"
MSG_ID_CHARS = "身份证号只能包含数字，最后一位可以是X"
MSG_ID_CHECK = "身份证号校验码不正确，请核对每一位"
MSG_ID_BIRTH = "身份证号中的出生日期无效"
MSG_ID_FUTURE = "身份证号中的出生日期晚于今天"
MSG_PHONE = "电话号码应为11位手机号（1开头）或带区号的固定电话"


class IdNumberError(ValueError):
    """A citizen ID number that cannot be right; the message is for the user, in Chinese."""


@dataclass(frozen=True)
class CitizenId:
    number: str
    birth_date: date
    gender: str  # "M" or "F": the 17th digit is odd for men

    @property
    def region(self) -> str:
        return self.number[:6]


def normalise_text(value: str) -> str:
    """Full-width digits and letters to half-width, spaces removed, upper case."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


def check_character(body: str) -> str:
    """The 18th character for the 17 body digits."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def parse_id_number(value: str, *, today: date | None = None) -> CitizenId:
    """Return the normalised ID with its birth date and gender, or raise IdNumberError."""
    number = normalise_text(value or "")
    if not number:
        raise IdNumberError(MSG_ID_EMPTY)
    if len(number) == 15 and number.isascii() and number.isdigit():
        raise IdNumberError(MSG_ID_LEGACY)
    if len(number) != 18:
        raise IdNumberError(MSG_ID_LENGTH)
    if not _ID_SHAPE.match(number):
        raise IdNumberError(MSG_ID_CHARS)
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(MSG_ID_BIRTH) from None
    if birth.year < 1880:
        raise IdNumberError(MSG_ID_BIRTH)
    if today is not None and birth > today:
        raise IdNumberError(MSG_ID_FUTURE)
    if check_character(number[:17]) != number[17]:
        raise IdNumberError(MSG_ID_CHECK)
    gender = "M" if int(number[16]) % 2 == 1 else "F"
    return CitizenId(number=number, birth_date=birth, gender=gender)


def make_id_number(region: str, birth: date, sequence: int, gender: str) -> str:
    """Build a valid number: region (6 digits), birth date, a 2-digit sequence and gender digit."""
    gender_digit = (sequence % 5) * 2 + (1 if gender == "M" else 0)
    body = f"{region}{birth:%Y%m%d}{sequence % 100:02d}{gender_digit}"
    return body + check_character(body)


def normalise_phone(value: str) -> str:
    """Return the phone as digits (mobile) or area-code-hyphen-number (landline); raise ValueError."""
    text = normalise_text(value or "")
    text = text.removeprefix("+86").removeprefix("0086")
    digits = text.replace("-", "").replace("(", "").replace(")", "")
    if _PHONE_SHAPE.match(digits):
        return digits
    if _LANDLINE_SHAPE.match(digits) and not digits.startswith("1"):
        if digits.startswith("0") and len(digits) > 8:
            code_len = 3 if digits[1] in "12" else 4
            return f"{digits[:code_len]}-{digits[code_len:]}"
        return digits
    raise ValueError(MSG_PHONE)


def mask_id_number(number: str) -> str:
    """310105********123X: region kept, birth date and sequence hidden, last four shown."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    """138****5678 for mobiles; landlines keep their area code and last four."""
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[-4:]
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[: max(0, len(phone) - 8)] + "****" + phone[-4:]
