"""The JSON API root: /api/v1/, OpenAPI at /api/v1/openapi.json, session or bearer-token auth."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputError
from ninja.security import APIKeyCookie, HttpBearer

from jinlin.core.api_schemas import MSG_BLANK, MSG_UNPARSABLE, NOT_BLANK
from jinlin.core.models import ApiToken, User


class BearerToken(HttpBearer):
    """Personal API tokens (`jinlin token USERNAME`); stored hashed, revocable."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        row = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=ApiToken.hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class SessionCookie(APIKeyCookie):
    """The pages' own session; ninja checks CSRF on unsafe methods."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a logged-in session there is nothing a forged request could ride on: answer
        # 401 (not ninja's CSRF 403) to a client that sent no credentials at all.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


MSG_CSRF = "CSRF 校验失败：请刷新页面后重试（或改用 API 令牌）"

api = NinjaAPI(
    title="Jinlin 近邻 API",
    version="1",
    description="居民区工作平台接口。个人数据默认脱敏；越权访问一律返回 404。",
    auth=[BearerToken(), SessionCookie()],
    urls_namespace="api",
)


def _error(request: HttpRequest, status: int, detail: object) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, str(exc) or "没有找到")


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        detail = [
            {"field": field, "message": " ".join(messages)}
            for field, messages in exc.message_dict.items()
        ]
    else:
        detail = [{"field": "", "message": message} for message in exc.messages]
    return _error(request, 422, detail)


# Pydantic's messages for what a client can get wrong, in the language of the rest of the API.
_INPUT_MESSAGES = {
    "missing": "必填",
    "string_type": "应为文字",
    "string_too_short": "至少 {min_length} 个字",
    "string_too_long": "最多 {max_length} 个字",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "multiple_of": "应为 {multiple_of} 的整数倍",
    "string_pattern_mismatch": "格式不对（应符合 {pattern}）",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "date_type": "应为日期，如 2025-11-25",
    "date_parsing": "应为日期，如 2025-11-25",
    "date_from_datetime_parsing": "应为日期，如 2025-11-25",
    "date_from_datetime_inexact": "应为日期，如 2025-11-25",
    "datetime_type": "应为时间，如 2025-11-25T09:00:00+08:00",
    "datetime_parsing": "应为时间，如 2025-11-25T09:00:00+08:00",
    "datetime_from_date_parsing": "应为时间，如 2025-11-25T09:00:00+08:00",
    "enum": "应为以下之一：{expected}",
    "literal_error": "应为以下之一：{expected}",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": MSG_UNPARSABLE,
}


def _input_field(location: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "hobbies", 3) → "hobbies.3"; ("query", "limit") → "limit"."""
    parts = list(location)
    # The source, and for a body its parameter's name in the view ("payload"), say nothing.
    skip = 2 if parts[:1] == ["body"] else 1
    return ".".join(str(part) for part in parts[skip:] if part != "[key]")


def _input_message(error: dict[str, Any]) -> str:
    if error.get("ctx", {}).get("pattern") == NOT_BLANK:
        return MSG_BLANK
    template = _INPUT_MESSAGES.get(error.get("type", ""))
    if template is None:
        return str(error.get("msg", "格式不对"))
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return str(error.get("msg", "格式不对"))


@api.exception_handler(InputError)
def _refused_input(request: HttpRequest, exc: InputError) -> HttpResponse:
    """Schema errors in the same shape as the services' refusals: field and Chinese message."""
    detail = [
        {"field": _input_field(error.get("loc", ())), "message": _input_message(error)}
        for error in exc.errors
    ]
    return _error(request, 422, detail)


# ninja raises these in English: a body it cannot parse (400), a session without its CSRF token (403).
_HTTP_ERROR_MESSAGES = {400: MSG_UNPARSABLE, 403: MSG_CSRF}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, _HTTP_ERROR_MESSAGES.get(exc.status_code, str(exc)))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "无权进行此操作")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "请先登录或提供有效的 API 令牌")
