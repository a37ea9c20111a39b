"""What the Party pages share: a refusal as one line of text."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def error_text(error: ValidationError) -> str:
    return "；".join(error.messages)
