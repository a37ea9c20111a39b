"""What every fieldwork page does alike: the user, the scope check, refusals shown on forms,
the `next` address and paging. Thin: no reads or writes of records here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from jinlin.core.web import AuthedRequest, attach_errors
from jinlin.fieldwork import access

PAGE_SIZE = 30


def require_scope(request: AuthedRequest) -> None:
    """Roles without fieldwork (editor, Party roles) see nothing here."""
    if access.fieldwork_scope(request.user).is_empty:
        raise Http404("没有找到")


# The model fields a service names, as the forms call them.
FIELD_ALIASES = {
    "resident_id": "resident",
    "compound_id": "compound",
    "owner_id": "owner",
    "veteran_id": "veteran",
    "building_id": "building",
    "collection_point_id": "collection_point",
    "talent_id": "talent",
    "into_id": "into",
    "photo": "photos",
}


def attach(form: Any, error: ValidationError, default: str | None = None) -> None:
    attach_errors(form, error, default, FIELD_ALIASES)


def next_url(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def paginate(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
