"""Password rules in Chinese: Django's own validators, two of them reworded or made stricter.

Django's zh-hans catalogue leaves the minimum-length message in English (a plural form), and
its similarity check lets a password that merely contains the username through.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

MSG_TOO_SHORT = "密码太短，至少需要 {min_length} 个字符。"
HELP_TOO_SHORT = "密码至少 {min_length} 个字符。"
MSG_CONTAINS_USERNAME = "密码不能包含用户名。"
HELP_CONTAINS_USERNAME = "密码不能包含用户名。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return MSG_TOO_SHORT.format(min_length=self.min_length)

    def get_help_text(self) -> str:
        return HELP_TOO_SHORT.format(min_length=self.min_length)


class NotUsernameValidator:
    """Refuses a password that contains the username (ignoring case), however long."""

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(MSG_CONTAINS_USERNAME, code="password_contains_username")

    def get_help_text(self) -> str:
        return HELP_CONTAINS_USERNAME
