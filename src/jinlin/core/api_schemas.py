"""What every API router shares: the input base, bounded identifiers, the documented refusals.

Apart from the API root (core/api.py) so that the routers can import it without a cycle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import (
    BaseModel,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

# The largest primary key SQLite and PostgreSQL (bigint) hold: a larger one in a query is an
# overflow in the database driver (a 500), so identifiers sent to the API are bounded by it.
MAX_ID = 2**63 - 1
# Text that must say something: the services trim it and refuse it blank, so the schema says so.
NOT_BLANK = r"\S"
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_ID)]

MSG_DAY = "应为日期，写成 2025-11-25"
MSG_MOMENT = "应为时间，写成 2025-11-25T09:30:00+08:00"
MSG_BAD_CHARACTERS = "不能包含空字符（\\x00）或无效的 Unicode 字符"
MSG_UNPARSABLE = "请求内容无法解析：应为 JSON（上传照片时为 multipart/form-data）"
MSG_BLANK = "不能为空白"
MSG_NOT_AN_OBJECT = "应为对象（JSON 的 {…}）"


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)


def _iso_day(value: object) -> object:
    """Pydantic would also read a number as seconds since 1970: a day must be written out."""
    if isinstance(value, date) or (isinstance(value, str) and _DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("day_format", MSG_DAY)


def _iso_moment(value: object) -> object:
    if isinstance(value, datetime) or (isinstance(value, str) and _MOMENT.fullmatch(value)):
        return value
    raise PydanticCustomError("moment_format", MSG_MOMENT)


Day = Annotated[date, BeforeValidator(_iso_day)]
Moment = Annotated[datetime, BeforeValidator(_iso_moment)]


def _is_storable(value: object) -> bool:
    """Text a database can store: no NUL (PostgreSQL refuses it) and no lone surrogate
    ("\\ud800" in JSON: UTF-8 cannot encode it, on either database)."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode()
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list | tuple):
        return all(_is_storable(item) for item in value)
    if isinstance(value, dict):
        return all(_is_storable(key) and _is_storable(item) for key, item in value.items())
    return True


class InputSchema(Schema):
    """The base of every request body and query: text a database cannot store is refused with
    a message (as Django's forms refuse NUL), rather than failing there with a 500; a body that
    is not a JSON object is refused too."""

    @model_validator(mode="before")
    @classmethod
    def _refuse_what_is_not_an_object(cls, value: object) -> object:
        # ninja's Schema reads any object by its attributes (to serialise models): a body of
        # `[null, null]`, `"x"`, `-1.79e308` or `null` then had none of the fields, and a schema
        # whose fields are all optional took it for `{}` (a 200 that changed nothing). ninja's own
        # validator has wrapped the value in its getter by the time this one runs.
        read = value._obj if isinstance(value, DjangoGetter) else value
        if isinstance(read, dict | Schema):
            return value
        raise PydanticCustomError("not_an_object", MSG_NOT_AN_OBJECT)

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_unstorable_text(cls, value: object) -> object:
        if not _is_storable(value):
            raise PydanticCustomError("bad_characters", MSG_BAD_CHARACTERS)
        return value


class AnswerOut(BaseModel):
    """The base of an answer built as plain dicts by its endpoint (`resident_out`, a patrol
    with its findings): pydantic checks the dicts in its compiled core. A ninja `Schema` wraps
    every value of every nested item in its `DjangoGetter` first, to read model instances: a
    page of 50 residents spent half its CPU there, a page of patrols with their findings 29 ms.
    The OpenAPI schema is the same."""


class ErrorOut(Schema):
    """A refusal, with its reason in Chinese."""

    detail: str


class FieldErrorOut(Schema):
    field: str = Field(description="出错的字段（嵌套时以 . 连接）；空表示整个请求")
    message: str


class InvalidOut(Schema):
    """Input refused, field by field; nothing was changed."""

    detail: list[FieldErrorOut]


_ERROR_SCHEMAS: dict[int, type[Schema]] = {422: InvalidOut}


def answers(status: int, schema: Any, *refusals: int, public: bool = False) -> dict[int, Any]:
    """The `response=` of an operation: its success and the refusals it documents.

    Every operation behind a login may also answer 401 (no or a bad token) and 403 (a role
    that may not, or a second factor still owed); `public` operations (auth=None) do not.
    """
    codes = sorted({*refusals, *(() if public else (401, 403))})
    return {status: schema, **{code: _ERROR_SCHEMAS.get(code, ErrorOut) for code in codes}}


class OneOf:
    """`Annotated[str, OneOf(VisitMode)]`: a choice field, its values an `enum` in the OpenAPI
    document (a client can see them) and anything else refused with them listed. A plain
    string to the service, and no named enum schema (two apps' `Severity` would clash)."""

    def __init__(self, choices: Iterable[Any], *, blank: bool = False) -> None:
        # An enum class (Django choices, StrEnum) iterates over its members; a dict its keys.
        values = [str(getattr(value, "value", value)) for value in choices]
        self.values = ["", *values] if blank else values

    def _check(self, value: str) -> str:
        if value not in self.values:
            expected = "、".join(value or "（空）" for value in self.values)
            raise PydanticCustomError("enum", "应为以下之一：{expected}", {"expected": expected})
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["enum"] = self.values
        return json_schema
