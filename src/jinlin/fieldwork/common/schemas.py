"""API pieces every part shares: paging and the user of the request."""

from __future__ import annotations

from ninja import Field

from jinlin.core.api_schemas import InputSchema, Offset


class Page(InputSchema):
    limit: int = Field(50, ge=1, le=200)
    offset: Offset = 0
