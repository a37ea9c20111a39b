"""Filters every template has (a builtin library, settings.TEMPLATES)."""

from __future__ import annotations

import time
import unicodedata
from datetime import date, datetime

from django import template
from django.template.base import Parser, Token
from django.template.context import Context
from django.template.defaultfilters import stringfilter
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.text import Truncator

from jinlin.core.fasturls import fast_reverser
from jinlin.core.idnumber import mask_phone

register = template.Library()


class FastURLNode(URLNode):
    """`{% url %}` as Django's, through `core.fasturls` when it has only positional arguments
    (an id in a list of records: most of a long page's URLs); a tag inside a loop looks its
    name up once a rendering (`fast_reverser`, kept in the render context)."""

    def render(self, context: Context) -> str:
        if self.kwargs:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or ":" in view_name:  # a namespace: current_app
            return super().render(context)
        url = ""
        kept = context.render_context.get(self)
        if kept is None:
            kept = context.render_context[self] = {}
        reverser = kept.get((view_name, len(args)))
        if reverser is None:
            reverser = kept[view_name, len(args)] = fast_reverser(view_name, len(args))
        try:
            url = reverser(*args)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    """Replaces the built-in `{% url %}` (this library is a builtin loaded after Django's)."""
    node = django_url(parser, token)
    return FastURLNode(node.view_name, node.args, node.kwargs, node.asvar)


def truncate_chars(text: str, length: int) -> str:
    """Django's `Truncator(text).chars(length)`, without its per-character walk for a text
    already short enough (most of them: a concern's words on 今日, a reason in a list)."""
    if len(text) <= length and length > 0 and unicodedata.is_normalized("NFC", text):
        return text  # no more characters than `length`, combining ones included
    return Truncator(text).chars(length)


@register.filter(is_safe=True)
@stringfilter
def truncatechars(value: str, arg: int | str) -> str:
    """Replaces the built-in `|truncatechars` (same results, `truncate_chars`)."""
    try:
        length = int(arg)
    except ValueError:  # as Django's: an unusable length leaves the text as it is
        return value
    return truncate_chars(value, length)


@register.filter
def get_item(mapping: dict, key: str) -> object:
    return mapping.get(key) if mapping else None


_year: tuple[float, float, int] = (0.0, 0.0, 0)  # [start, end) as timestamps, and the year


def this_year() -> int:
    """The year in Shanghai (the project never activates another time zone), worked out once a
    year rather than once a date shown."""
    global _year
    start, end, year = _year
    now = time.time()
    if not start <= now < end:
        year = timezone.localdate().year
        zone = timezone.get_default_timezone()
        start = datetime(year, 1, 1, tzinfo=zone).timestamp()
        end = datetime(year + 1, 1, 1, tzinfo=zone).timestamp()
        _year = (start, end, year)
    return year


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
    if value.year != this_year():
        text = f"{value.year}年{text}"
    if with_time == "H:i" and isinstance(value, datetime):  # the usual one, without dateformat
        text += f" {value.hour:02d}:{value.minute:02d}"
    elif with_time and isinstance(value, datetime):
        text += " " + date_format(value, with_time)
    return text


@register.filter
def masked_phone(value: str) -> str:
    """138****5678: a phone as every list shows it (core.idnumber.mask_phone)."""
    return mask_phone(value or "")
