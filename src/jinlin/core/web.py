"""The one home of view helpers every app's pages share.

- `AuthedRequest`: the request of a page behind `login_required`, whose user is a `User`
  (annotate a view's request with it instead of ignoring the type of `request.user`).
- `attach_errors`: a service's ValidationError shown on the form that asked for the change.
- `submitted`: the shape of every form page's POST — valid form → service → redirect; a
  refusal from the service goes back onto the form, shown again with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from jinlin.core.models import User

T = TypeVar("T")


class AuthedRequest(HttpRequest):
    user: User  # narrowed: login_required has let only users in


def is_htmx(request: HttpRequest) -> bool:
    """The request is htmx's (it wants a part of the page, not the whole)."""
    return request.headers.get("HX-Request") == "true"


def attach_errors(
    form: forms.BaseForm,
    error: ValidationError,
    default: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> None:
    """Put each message of `error` on the form's field of that name (through `aliases` when a
    service names a model field the form calls otherwise), else on `default` (None: the form)."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            name = (aliases or {}).get(field, field)
            target = name if name in form.fields else default
            for message in field_messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(default, message)


class Outcome(Generic[T]):
    """What `submitted` did: `done` when the service ran, with its `result`."""

    __slots__ = ("done", "result")

    def __init__(self, done: bool, result: T | None = None) -> None:
        self.done = done
        self.result = result

    @property
    def value(self) -> T:
        """The service's result, once done."""
        assert self.done
        return cast(T, self.result)


def submitted(
    request: HttpRequest,
    form: forms.BaseForm,
    change: Callable[[dict[str, Any]], T],
    *,
    default: str | None = None,
    aliases: Mapping[str, str] | None = None,
    denied_is_404: bool = False,
) -> Outcome[T]:
    """A form page's POST: when the request posts a valid form, run `change` (a service) with
    its cleaned data. A refusal of the service is attached to the form, which the view then
    shows again; on success the view redirects (POST → service → redirect). With
    `denied_is_404`, a service's PermissionDenied answers 404 (the object is not the user's)."""
    if request.method != "POST" or not form.is_valid():
        return Outcome(False)
    try:
        return Outcome(True, change(form.cleaned_data))
    except PermissionDenied:
        if denied_is_404:
            raise Http404 from None
        raise
    except ValidationError as error:
        attach_errors(form, error, default, aliases)
        return Outcome(False)


def choices(form: forms.BaseForm, name: str, options: list[tuple[Any, str]]) -> None:
    """Set the options of a form's choice field at run time (the people, places, points of the
    user's scope)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = options
