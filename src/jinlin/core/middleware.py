"""Headers every response carries besides django-csp's Content-Security-Policy (configured in
settings.CONTENT_SECURITY_POLICY, no exceptions: the admin and the API docs run under it too),
the second-factor gate for sessions that still owe one, and the idle timeout's rolling expiry."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.functional import empty


class PrivateResponseMiddleware:
    """Pages with personal data are never cached; the browser's sensors are never needed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        response.headers.setdefault(
            "Cache-Control", "no-store" if request.user.is_authenticated else "private"
        )
        return response


# Paths a session that still owes its second factor may reach.
SECOND_FACTOR_OPEN_PATHS = ("/account/second-factor/", "/logout/", "/login/", "/static/")


class SecondFactorMiddleware:
    """With JINLIN_2FA_REQUIRED, a session of a role that needs it goes nowhere else until the
    user has enrolled (or, with a device, entered a code in this session)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from jinlin.core.second_factor import owes_second_factor

        user = request.user
        if not request.path.startswith(SECOND_FACTOR_OPEN_PATHS) and owes_second_factor(user):  # type: ignore[arg-type]  # an anonymous user owes nothing
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先在网页上完成两步验证"}, status=403)
            return redirect("second_factor")
        # The user is loaded now: the views and templates read the object itself rather than
        # through the lazy wrapper, which cost a few µs an attribute (hundreds a page).
        loaded = getattr(user, "_wrapped", None)
        if loaded is not None and loaded is not empty:
            request.user = loaded
        return self.get_response(request)


SESSION_SEEN_KEY = "_jinlin_seen"
SESSION_REFRESH_SECONDS = 60


class RollingSessionMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE) moves on with use, but a session is written at most
    once a minute (a tenth of the timeout when that is shorter): a page view stays a read, and
    SQLite's one writer is not taken by every click. The timeout holds to within that minute.

    Listed after SessionMiddleware, so that it marks the session before it is saved."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response
        refresh = min(SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10)
        now = int(time.time())
        if now - int(session.get(SESSION_SEEN_KEY, 0)) >= refresh:
            session[SESSION_SEEN_KEY] = now
        return response
