"""Widgets every fieldwork form shares. Forms give shapes and labels only; the rules are in
each part's services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
CHOOSE = [("", "请选择")]


def today() -> Any:
    return timezone.localdate()
