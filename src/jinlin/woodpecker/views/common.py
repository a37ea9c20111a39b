"""What the woodpecker pages share: the acting user, errors onto forms, paging, the editor check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from jinlin.woodpecker import services

T = TypeVar("T")


PAGE_SIZE = 30


def content_length(request: HttpRequest) -> int:
    """The body's size as declared (the CSRF check has already read the form from the stream)."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def found_or_404(found: T | None) -> T:
    """The object a selector found, or the 404 page."""
    if found is None:
        raise Http404("没有找到")
    return found


def paginate(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Logged in and an editor (or superuser); for anybody else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.can_judge(request.user):
            raise Http404("没有找到")
        return view(request, *args, **kwargs)

    return wrapped
