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


PDF = "application/pdf"
CONTENT_TYPES = {"xlsx": XLSX, "pdf": PDF}


def file_response(content: bytes, filename: str, *, fallback: str) -> HttpResponse:
    """Any kept file (a job's result) as an attachment, its type from its suffix."""
    suffix = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream")
    )
    response["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "no-store"
    return response
