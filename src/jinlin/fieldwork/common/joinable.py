"""The open cases an evidence page offers to join ("并入个案"), provided by the cases part.

Cases sit on top of visits, concerns, patrols and consultations, which never import them; yet
the detail page of a concern, finding or consultation offers its area's open cases. The cases
part hands its `joinable_cases` over when the app is ready (FieldworkConfig.ready), and those
pages ask here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinlin.core.models import User

_provider: Callable[[User, int], list[Any]] | None = None


def provide(provider: Callable[[User, int], list[Any]]) -> None:
    global _provider
    _provider = provider


def joinable_cases(user: User, area_id: int) -> list[Any]:
    """The open cases of the area the user may work on, newest first (at most 50)."""
    if _provider is None:  # pragma: no cover - set when the app is ready
        raise RuntimeError("fieldwork cases are not loaded")
    return _provider(user, area_id)
