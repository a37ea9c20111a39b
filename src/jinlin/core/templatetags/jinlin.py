"""Filters every template has (a builtin library, settings.TEMPLATES)."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from jinlin.core.idnumber import mask_phone

register = template.Library()


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if mapping else None


@register.filter
def day(value: date | datetime | None, with_time: str = "") -> str:
    """12月17日 this year, 2025年12月17日 another (on 12月4日 a bare 12月17日 reads as the
    future when it means last year); `|day:"H:i"` adds the time. Shanghai time for moments."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    # Spelled out rather than through dateformat: 今日 shows a few hundred dates.
    text = f"{value.month}月{value.day}日"
    if value.year != timezone.localdate().year:
        text = f"{value.year}年{text}"
    if with_time and isinstance(value, datetime):
        text += " " + date_format(value, with_time)
    return text


@register.filter
def masked_phone(value: str) -> str:
    """138****5678: a phone as every list shows it (core.idnumber.mask_phone)."""
    return mask_phone(value or "")
