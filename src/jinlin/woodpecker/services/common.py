"""What every woodpecker write shares: text limits and cleaning, and who may act as an editor."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from jinlin.core.models import Role, User

MSG_NOT_EDITOR = "只有社区报编辑可以进行此操作"


QUOTED_MAX = 500
CORRECTION_MAX = 500
EXPLANATION_MAX = 1000
NAME_MAX = 40
CONTACT_MAX = 100
TITLE_MAX = 120

# C0/C1 controls except tab and newline: never part of a reader's text, and NUL breaks PostgreSQL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]")


def refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def clean_text(value: object, *, multiline: bool = False) -> str:
    """Reader or editor text as stored: controls removed, newlines unified, trimmed.

    HTML is kept as typed and escaped wherever it is shown; it is text, not markup.
    """
    text = "" if value is None else str(value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", text).strip()


def can_judge(user: Any) -> bool:
    """Editors judge, catalogue and award; superusers may act for them. Nobody else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role == Role.EDITOR


def require_editor(actor: User) -> None:
    if not can_judge(actor):
        raise PermissionDenied(MSG_NOT_EDITOR)
