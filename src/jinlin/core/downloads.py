"""Files handed to the browser: an .xlsx as an attachment under its Chinese name, never cached."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str, *, fallback: str = "export.xlsx") -> HttpResponse:
    """`filename` (UTF-8, RFC 6266) for browsers that read it, `fallback` (ASCII) for the rest."""
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response
