"""`reverse` for the hot case of the pages: a URL name and whole-number arguments (a record's
id), as every `{% url %}` in a list of records has.

Django's `reverse` walks the name's candidate patterns and checks the URL it built against the
pattern's regular expression, about 70 µs a call: 今日 reverses a URL for each of its rows
(bench/web_path.py, issue 18). Here each (URL conf, script prefix, name, number of arguments)
is reversed once with sentinel numbers and kept as the text around them; a later call joins the
pieces with the arguments. A pattern is kept only when that join gives what `reverse` gives for
other numbers of other lengths (a `[0-9]{4}` pattern is not, and keeps going through `reverse`).
Everything else (keyword arguments, namespaces, text arguments, negative numbers) goes through
`reverse` unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

# Sentinels unlike any fixed part of a path; the checks use numbers of other lengths.
_SENTINEL = 7_364_019_283_000
_CHECKS = ((0,), (5,), (48_213,), (9_999_999_999_999_999,))

_Pieces = tuple[str, ...]
_kept: dict[tuple[Any, str, str, int], _Pieces | None] = {}


def _join(pieces: _Pieces, args: Sequence[int]) -> str:
    parts = [pieces[0]]
    for arg, piece in zip(args, pieces[1:], strict=True):
        parts.append(str(arg))
        parts.append(piece)
    return "".join(parts)


def _pieces(view_name: str, count: int) -> _Pieces | None:
    sentinels = [_SENTINEL + position for position in range(count)]
    try:
        url = reverse(view_name, args=sentinels)
    except NoReverseMatch:
        return None
    pieces: list[str] = []
    rest = url
    for sentinel in sentinels:
        before, found, rest = rest.partition(str(sentinel))
        if not found or str(sentinel) in rest:
            return None
        pieces.append(before)
    pieces.append(rest)
    kept = tuple(pieces)
    for check in _CHECKS:
        args = [check[0] + position for position in range(count)]
        try:
            if reverse(view_name, args=args) != _join(kept, args):
                return None
        except NoReverseMatch:
            return None
    return kept


def _kept_pieces(view_name: str, count: int) -> _Pieces | None:
    key = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), view_name, count)
    try:
        return _kept[key]
    except KeyError:
        pieces = _kept[key] = _pieces(view_name, count)
        return pieces


def _plain(args: Sequence[Any]) -> bool:
    return all(type(arg) is int and arg >= 0 for arg in args)


def fast_reverse(view_name: str, args: Sequence[Any] = ()) -> str:
    """What `reverse(view_name, args=args)` returns, without walking the patterns again when
    every argument is a whole number of at least 0."""
    if ":" in view_name or not _plain(args):
        return reverse(view_name, args=args)
    pieces = _kept_pieces(view_name, len(args))
    if pieces is None:
        return reverse(view_name, args=args)
    return _join(pieces, args)


def fast_reverser(view_name: str, count: int = 1) -> Callable[..., str]:
    """`fast_reverse` for a loop over records: `fast_reverser(name)(pk)` is
    `fast_reverse(name, [pk])`, the URL conf and script prefix (the request's) read once, when
    the loop starts, rather than for every row (0.2 µs a row, against 14 µs a call)."""
    pieces = None if ":" in view_name else _kept_pieces(view_name, count)
    if pieces is not None and count == 1:
        before, after = pieces

        def one(*args: Any) -> str:
            if len(args) == 1 and type(args[0]) is int and args[0] >= 0:
                return f"{before}{args[0]}{after}"
            return reverse(view_name, args=args)

        return one

    def many(*args: Any) -> str:
        if pieces is None or len(args) != count or not _plain(args):
            return reverse(view_name, args=args)
        return _join(pieces, args)

    return many


@receiver(setting_changed)
def _forget(setting: str, **kwargs: Any) -> None:
    """Tests that swap the URL conf (override_settings) get patterns of the new one."""
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _kept.clear()
