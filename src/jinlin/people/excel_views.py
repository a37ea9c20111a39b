"""Pages for Excel in and out: the secretary's upload (preview, then import), the template,
and the export links of the list pages."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from jinlin.core.access import can_manage_area
from jinlin.core.downloads import xlsx_response
from jinlin.core.jobs import start_job
from jinlin.core.web import AuthedRequest
from jinlin.people import exporting, sheet
from jinlin.people.importing import import_limits, import_sheet
from jinlin.people.tasks import import_staged
from jinlin.places.access import access_area
from jinlin.places.models import Area
from jinlin.places.selectors import compounds_without_adjacency

MSG_NO_FILE = "请选择要导入的 .xlsx 文件"
MSG_EXPIRED = "上传的文件已过期，请重新上传"
UPLOAD_LIFETIME = 3600
SESSION_KEY = "jinlin_imports"


UPLOAD_DIR = "imports"


def _staged_name(token: str) -> str:
    """The storage name of a sheet between its dry run and its import. It lives in the default
    storage (the shared bucket of a deployment), not on one app server's disk: the import
    itself may reach another server than the dry run did."""
    return f"{UPLOAD_DIR}/{token}.xlsx"


def _sweep_uploads() -> None:
    """Uploaded sheets hold personal data: none is kept longer than an hour."""
    cutoff = timezone.now() - timedelta(seconds=UPLOAD_LIFETIME)
    try:
        _dirs, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{UPLOAD_DIR}/{filename}"
        if filename.endswith(".xlsx") and default_storage.get_modified_time(name) < cutoff:
            default_storage.delete(name)


def _secretary_area(request: AuthedRequest, area_id: int) -> Area:
    area = access_area(request.user, area_id)
    if not can_manage_area(request.user, area.pk):
        raise Http404("没有找到")
    return area


def _kind(value: str | None) -> str:
    return value if value in sheet.KINDS else sheet.KIND_RESIDENTS


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest, area_id: int) -> HttpResponse:
    """Step 1 (GET): choose a file. Step 2 (POST with a file): a dry run shows every error
    with its row and column. Step 3 (POST with the token): the import itself."""
    area = _secretary_area(request, area_id)
    kind = _kind(request.POST.get("kind") or request.GET.get("kind"))
    valid_only = request.POST.get("valid_only") == "on"
    context: dict[str, object] = {
        "area": area,
        "kind": kind,
        "kinds": [(k, sheet.KIND_LABELS[k]) for k in sheet.KINDS],
        "valid_only": valid_only,
        "max_mb": import_limits().max_file_bytes // 2**20,
    }
    if request.method == "GET":
        return render(request, "people/import.html", context)
    uploads = request.session.get(SESSION_KEY, {})
    token = request.POST.get("token", "")
    if token:
        stored = uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
        # The token names a file: a bare name we made, checked before it names a file.
        name = _staged_name(token) if token.isalnum() else None
        if (
            name is None
            or stored is None
            or stored.get("area") != area.pk
            or not default_storage.exists(name)
        ):
            context["error"] = MSG_EXPIRED
            return render(request, "people/import.html", context, status=400)
        if stored.get("rows", 0) > settings.JINLIN["IMPORT_JOB_ROWS"]:
            # A large sheet goes to the task queue; the job's page shows it and its result.
            job = start_job(
                owner=request.user,
                kind="import",
                title=f"导入{sheet.KIND_LABELS[stored['kind']]}：{area.name}（{stored['rows']} 行）",
                task=import_staged,
                area_id=area.pk,
                name=name,
                sheet_kind=stored["kind"],
                valid_only=valid_only,
                create_places=request.POST.get("create_places") == "on",
            )
            return redirect("job_detail", job_id=job.pk)
        try:
            with default_storage.open(name, "rb") as staged:
                report = import_sheet(
                    source=staged,
                    kind=stored["kind"],
                    area=area,
                    actor=request.user,
                    valid_only=valid_only,
                    actor_name=request.user.get_username(),
                    create_places=request.POST.get("create_places") == "on",
                )
        finally:
            default_storage.delete(name)
        context.update(report=report, kind=stored["kind"], done=True)
        if report.written and report.new_buildings:
            context["unlinked"] = compounds_without_adjacency(area)
        return render(request, "people/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["error"] = MSG_NO_FILE
        return render(request, "people/import.html", context, status=400)
    limits = import_limits()
    if upload.size is not None and upload.size > limits.max_file_bytes:
        from jinlin.people.workbook import MSG_TOO_BIG

        context["error"] = MSG_TOO_BIG.format(mb=limits.max_file_bytes // 2**20)
        return render(request, "people/import.html", context, status=400)
    _sweep_uploads()
    token = secrets.token_hex(16)
    name = default_storage.save(_staged_name(token), upload)
    if name != _staged_name(token):  # a storage that renamed it would lose it at the import
        default_storage.delete(name)
        raise RuntimeError("the staged import sheet was stored under another name")
    with default_storage.open(name, "rb") as staged:
        report = import_sheet(source=staged, kind=kind, area=area, actor=request.user, dry_run=True)
    can_import = (
        report.rows > 0
        and (not report.errors or valid_only)
        and not any(p.row == 0 for p in report.errors)
    )
    if can_import:
        uploads[token] = {"kind": kind, "area": area.pk, "rows": report.rows}
        request.session[SESSION_KEY] = uploads
    else:
        default_storage.delete(name)
    context.update(report=report, token=token if can_import else "", can_import=can_import)
    return render(request, "people/import.html", context)


@login_required
def import_template(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in sheet.KINDS:
        raise Http404("没有这种模板")
    return _xlsx(exporting.template_workbook(kind), f"{sheet.KIND_LABELS[kind]}导入模板.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    return xlsx_response(content, filename, fallback="residents.xlsx")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        raise Http404("没有找到") from None


@login_required
@require_http_methods(["GET", "POST"])
def export_residents(request: AuthedRequest, area_id: int) -> HttpResponse:
    """GET: a masked export. POST with a reason: whole values for what the role may unmask.
    `kind` (residents, households, party-members) picks the import format it is written in."""
    data = request.POST if request.method == "POST" else request.GET
    kind = data.get("kind") or sheet.KIND_RESIDENTS
    if kind not in sheet.KINDS:
        raise Http404("没有这种导出格式")
    selection = exporting.select(
        request.user,
        area_id=area_id,
        compound_id=_int(data.get("compound")),
        building_id=_int(data.get("building")),
        group=data.get("group") or None,
    )
    try:
        export = exporting.export_residents(
            user=request.user,
            selection=selection,
            unmasked=request.method == "POST",
            reason=data.get("reason", "")[:200],
            request=request,
            kind=kind,
        )
    except PermissionDenied as refused:
        return render(request, "people/export_refused.html", {"message": str(refused)}, status=403)
    return _xlsx(export.content, export.filename)
