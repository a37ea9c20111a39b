"""What the Party pages share: the acting user and a refusal as one line of text."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest


def acting_user(request: HttpRequest) -> Any:
    return request.user


def error_text(error: ValidationError) -> str:
    return "；".join(error.messages)
