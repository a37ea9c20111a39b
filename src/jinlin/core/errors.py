"""Jinlin's own answers to 400, 403, 404 and 500, and the refusal of input it cannot read.

Django's default handlers run the CSRF check again (`requires_csrf_token`), which reads the
request's body a second time: a body that failed once (an undecodable form, one field too
many) fails again inside the handler and the reader gets a bare 500 (issue 20). These handlers
never read the body, render the Chinese page, and fall back to a fixed Chinese page when even
rendering fails (a broken database, a template error).

Input that is not UTF-8 is refused before any view sees it: Jinlin's pages are UTF-8 and ask
for nothing else, so a body in another charset, or bytes that are not UTF-8 under a UTF-8
label, is refused with a clear message rather than stored with replacement characters
(`REL5-gbk����`).
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.html import escape

logger = logging.getLogger(__name__)

MSG_NOT_UTF8 = (
    "提交的内容不是 UTF-8 编码，无法识别，没有保存任何内容。请用浏览器打开页面重新填写后提交。"
)
MSG_CHARSET = "不支持的字符编码 {charset}：请以 UTF-8 编码提交，没有保存任何内容。"

_FALLBACK = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
    "<title>{title} · 近邻</title></head><body><main><h1>{title}</h1><p>{text}</p>"
    '<p><a href="/">返回首页</a></p></main></body></html>'
)
_PAGES = {
    400: (
        "400.html",
        "请求无法处理",
        "提交的内容无法处理，没有保存任何内容。请返回上一页重新填写。",
    ),
    403: ("403.html", "无权操作", "您的账号不能进行这项操作。"),
    404: ("404.html", "没有找到", "该页面不存在，或不在您的工作范围内。"),
    500: ("500.html", "系统出错了", "错误已记录，请稍后再试。您输入的内容没有丢失，请返回上一页。"),
}


def error_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """The Chinese page for this status; a fixed page if rendering it fails."""
    template, title, text = _PAGES[status]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message or title}, status=status)
    try:
        body = loader.get_template(template).render({"message": message}, request)
    except Exception:  # noqa: BLE001  # the error page itself must never fail
        logger.exception("error page %s could not be rendered", status)
        body = _FALLBACK.format(title=title, text=escape(message or text))
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its token (an old page, cookies off): say what to do, in Chinese."""
    return error_page(request, 403, "页面已过期或浏览器未保存 Cookie，请刷新页面后重新提交。")


def undecodable(request: HttpRequest) -> str | None:
    """Why this request's body cannot be read as UTF-8, or None when it can (or has none)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    content_type, _, params = request.META.get("CONTENT_TYPE", "").partition(";")
    charset = _charset(params)
    if charset is not None:
        try:
            known = codecs.lookup(charset).name
        except LookupError:
            known = ""
        if known != "utf-8":
            return MSG_CHARSET.format(charset=charset[:40])
    kind = content_type.strip().lower()
    if kind == "application/x-www-form-urlencoded":
        raw = request.body
        if not _utf8(raw) or not _utf8(unquote_to_bytes(raw.replace(b"+", b" "))):
            return MSG_NOT_UTF8
    elif kind == "multipart/form-data":
        # Django decodes multipart fields with replacement: a field that needed one was not
        # UTF-8 (a U+FFFD typed on purpose is refused too: it stands for nothing).
        if any("\ufffd" in key or "\ufffd" in value for key, value in request.POST.items()):
            return MSG_NOT_UTF8
        names = (
            str(getattr(upload, "name", "") or "")
            for _, uploads in request.FILES.lists()
            for upload in uploads
        )
        if any("\ufffd" in name for name in names):
            return MSG_NOT_UTF8
    elif (kind == "application/json" or kind.endswith("+json")) and not _utf8(request.body):
        return MSG_NOT_UTF8
    return None


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class RefuseUndecodableInputMiddleware:
    """A body Jinlin cannot read as UTF-8 is refused with 400 before any view or form sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A body too large or malformed raises here as it would in the view: Django turns it
        # into a 400 through bad_request below.
        reason = undecodable(request)
        if reason is not None:
            logger.warning("refused a %s body that is not UTF-8", request.method)
            return error_page(request, 400, reason)
        return self.get_response(request)
