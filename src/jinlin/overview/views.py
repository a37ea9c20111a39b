"""Pages of those who oversee whole areas: the subdistrict and area overviews, a compound's
buildings with their counts, and opening an area's personal data (subdistrict admin)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jinlin.core.access import can_manage_area, can_see_personal_data, personal_scope
from jinlin.core.audit import audit
from jinlin.core.downloads import xlsx_response
from jinlin.core.jobs import start_job
from jinlin.core.models import AuditEvent, Role, User
from jinlin.core.replica import replica_reads
from jinlin.core.web import AuthedRequest, is_htmx
from jinlin.overview import selectors, services, story, tables
from jinlin.overview.exporting import overview_workbook
from jinlin.overview.sheet import household_sheet as build_sheet
from jinlin.overview.sheet import sheet_pdf, sheet_printed
from jinlin.overview.tasks import party_check
from jinlin.people.access import access_resident
from jinlin.people.catalogue import group_catalogue, kind_from_definition
from jinlin.people.groups import GROUPS, GroupKind
from jinlin.people.models import GroupDefinition
from jinlin.places.access import access_area, access_compound, access_household

MSG_OPEN_REASON = "请填写打开该居民区个人信息的事由"


def _subdistrict_rows(user: User) -> list[dict[str, object]]:
    """Only for those who oversee whole areas: a worker's or a volunteer's reach is smaller
    than the area these counts are of."""
    if not (user.is_superuser or user.role in (Role.SUBDISTRICT_ADMIN, Role.AREA_SECRETARY)):
        raise Http404("没有找到")
    return selectors.subdistrict_rows(user)


def subdistrict_group_columns(user: User) -> list[GroupKind]:
    """Columns of the subdistrict's overview: the built-ins and the subdistrict's own groups
    in use (an area's own groups are counted on its own page)."""
    own = GroupDefinition.objects.filter(retired_at__isnull=True)
    if user.is_superuser:
        own = own.filter(subdistrict__isnull=False)
    elif user.subdistrict_id is not None:
        own = own.filter(subdistrict_id=user.subdistrict_id)
    else:  # an area's secretary: its area's subdistrict
        own = own.filter(subdistrict__area__id=user.area_id or 0)
    return [*GROUPS.values(), *(kind_from_definition(d) for d in own)]


@login_required
@replica_reads
def subdistrict_overview(request: AuthedRequest) -> HttpResponse:
    rows = _subdistrict_rows(request.user)
    opened = personal_scope(request.user).area_ids
    groups = subdistrict_group_columns(request.user)
    return render(
        request,
        "overview/subdistrict.html",
        {
            "rows": rows,
            "groups": groups,
            "work_rows": tables.work_rows_html(rows, opened),
            "satisfaction_rows": tables.satisfaction_rows_html(rows),
            "group_rows": tables.group_rows_html(rows, groups),
            "totals": selectors.work_totals(rows),
            "rating_labels": selectors.RATING_LABELS,
        },
    )


@login_required
@require_POST
def subdistrict_party_check(request: AuthedRequest) -> HttpResponse:
    """Every area's Party proposal against its network, by the task queue (tens of areas, a
    city's hundreds): a workbook of what each would change; nothing is applied."""
    if not (request.user.is_superuser or request.user.role == Role.SUBDISTRICT_ADMIN):
        raise Http404("没有找到")
    job = start_job(
        owner=request.user, kind="party_check", title="全部居民区党组织方案检查", task=party_check
    )
    return redirect("job_detail", job_id=job.pk)


@login_required
def subdistrict_export(request: AuthedRequest) -> HttpResponse:
    """The overview as .xlsx (counts only, no person), naming who exported it and when."""
    made_at = timezone.localtime()
    author = getattr(request.user, "display_name", "") or request.user.get_username()
    rows = _subdistrict_rows(request.user)
    groups = subdistrict_group_columns(request.user)
    content = overview_workbook(rows, groups, author=author, made_at=made_at)
    audit(
        actor=request.user,
        action=AuditEvent.Action.EXPORT,
        object_type="subdistrict_overview",
        reason=f"街道总览（汇总数字，{len(rows)} 个居民区）",
        request=request,
    )
    return xlsx_response(content, f"街道总览-{made_at:%Y%m%d}.xlsx", fallback="overview.xlsx")


@login_required
@replica_reads
def area_overview(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = access_area(request.user, area_id)
    scope = personal_scope(request.user)
    may_open = request.user.role == Role.SUBDISTRICT_ADMIN and area.pk not in scope.area_ids
    rows = selectors.area_overview(request.user, area)
    return render(
        request,
        "overview/area.html",
        {
            "area": area,
            "rows": rows,
            "total": selectors.overview_totals(rows),
            "groups": group_catalogue(area.pk).kinds,
            "may_open": may_open,
            "opening_hours": settings.JINLIN["AREA_OPENING_HOURS"],
            "may_manage": can_manage_area(request.user, area.pk),
            "has_personal": can_see_personal_data(request.user) and not may_open,
        },
    )


@login_required
@require_POST
def area_open(request: AuthedRequest, area_id: int) -> HttpResponse:
    """A subdistrict admin opens an area's personal data for a while, with a reason."""
    area = access_area(request.user, area_id)
    if request.user.role != Role.SUBDISTRICT_ADMIN:
        raise Http404
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        messages.error(request, MSG_OPEN_REASON)
        return redirect("area_overview", area_id=area.pk)
    hours = services.open_area(request.user, area, reason, request)
    messages.success(request, f"已打开{area.name}的个人信息，{hours}小时内有效，每次查看均有记录。")
    return redirect("area_overview", area_id=area.pk)


@login_required
def compound_detail(request: AuthedRequest, compound_id: int) -> HttpResponse:
    compound = access_compound(request.user, compound_id)
    return render(
        request,
        "overview/compound.html",
        {
            "compound": compound,
            "rows": selectors.compound_buildings(request.user, compound),
            "may_manage": can_manage_area(request.user, compound.area_id),
        },
    )


@login_required
def household_story(request: AuthedRequest, household_id: int) -> HttpResponse:
    """一户一档: the household's timeline, filterable by kind; 404 outside the user's scope."""
    household = access_household(request.user, household_id)
    kind = request.GET.get("kind", "")
    return render(
        request,
        "overview/story.html",
        {
            "household": household,
            "items": story.household_story(request.user, household, kind),
            "kinds": list(story.KINDS.items()),
            "kind": kind if kind in story.KINDS else "",
        },
    )


@login_required
def resident_story(request: AuthedRequest, resident_id: int) -> HttpResponse:
    """A resident's part of the household's story: on its page (htmx) or alone; 404 outside
    the user's scope."""
    resident = access_resident(request.user, resident_id)
    template = (
        "overview/_resident_story.html" if is_htmx(request) else "overview/resident_story.html"
    )
    items = story.household_story(request.user, resident.household, resident=resident)
    return render(request, template, {"resident": resident, "items": items})


@login_required
def household_sheet(request: AuthedRequest, household_id: int) -> HttpResponse:
    """一户一档 打印页 (HTML, for the browser's print); each print audited like an export."""
    household = access_household(request.user, household_id)
    sheet = build_sheet(request.user, household)
    sheet_printed(user=request.user, household=household, form="page", request=request)
    response = render(request, "overview/sheet.html", {"sheet": sheet, "for_pdf": False})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def household_sheet_pdf(request: AuthedRequest, household_id: int) -> HttpResponse:
    """The same sheet as an A4 PDF (WeasyPrint, Chinese fonts embedded)."""
    household = access_household(request.user, household_id)
    sheet = build_sheet(request.user, household)
    data = sheet_pdf(sheet)
    sheet_printed(user=request.user, household=household, form="pdf", request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="household-{household.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
