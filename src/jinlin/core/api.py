"""The JSON API root: /api/v1/, OpenAPI at /api/v1/openapi.json, session or bearer-token auth."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

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

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user  # type: ignore[return-value]
        return None


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


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or "无权进行此操作")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "请先登录或提供有效的 API 令牌")


def _register_routers() -> None:
    from jinlin.fieldwork.api import router as fieldwork_router
    from jinlin.party.api import router as party_router
    from jinlin.people.api import router as people_router
    from jinlin.places.api import router as places_router
    from jinlin.woodpecker.api import router as woodpecker_router

    api.add_router("/", places_router)
    api.add_router("/", people_router)
    api.add_router("/", fieldwork_router)
    api.add_router("/party", party_router)
    api.add_router("/woodpecker", woodpecker_router)


_register_routers()
