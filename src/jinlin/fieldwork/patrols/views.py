"""Pages of patrols 望: the list, a new patrol, its findings and photos.

Thin: reads through selectors, writes through services; photos are served only to who may
see the finding.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render

from jinlin.core.web import AuthedRequest, submitted
from jinlin.fieldwork import access
from jinlin.fieldwork.common.joinable import joinable_cases
from jinlin.fieldwork.common.pages import (
    FIELD_ALIASES,
    attach,
    paginate,
    require_scope,
)
from jinlin.fieldwork.common.selectors import patrol_compounds
from jinlin.fieldwork.patrols import forms, selectors, services
from jinlin.fieldwork.photos import MSG_TOO_LARGE, max_bytes


@login_required
def patrol_list(request: AuthedRequest) -> HttpResponse:
    require_scope(request)
    return render(
        request,
        "fieldwork/patrol_list.html",
        {"page": paginate(request, selectors.patrol_list(request.user))},
    )


@login_required
def patrol_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require_scope(request)
    form = forms.PatrolForm(request.POST or None, compounds=patrol_compounds(user))
    outcome = submitted(
        request,
        form,
        lambda data: services.patrol_record(
            actor=user,
            compound_id=data["compound"],
            patrolled_on=data["patrolled_on"],
            notes=data["notes"],
        ),
        default="compound",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        patrol = outcome.value
        return redirect("fieldwork_patrol", patrol_id=patrol.pk)
    return render(request, "fieldwork/patrol_form.html", {"form": form})


@login_required
def patrol_detail(request: AuthedRequest, patrol_id: int) -> HttpResponse:
    user = request.user
    patrol = selectors.access_patrol(user, patrol_id)
    buildings = selectors.compound_buildings(patrol.compound_id)
    points = selectors.collection_points(user, patrol.compound_id) if patrol.compound_id else []
    form = forms.FindingForm(
        request.POST or None, request.FILES or None, buildings=buildings, points=points
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        uploads = request.FILES.getlist("photos")
        try:
            contents = [_read_upload(upload) for upload in uploads]
            services.finding_record(
                patrol=patrol,
                actor=user,
                photos=contents,
                data=services.FindingInput(
                    category=data["category"],
                    place=data["place"],
                    severity=data["severity"],
                    building_id=data["building"],
                    facility_state=data["facility_state"],
                    collection_point_id=data["collection_point"],
                    is_up_to_standard=data["is_up_to_standard"],
                    description=data["description"],
                ),
            )
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            attach(form, error, "category")
        else:
            messages.success(request, "已登记巡查发现。")
            return redirect("fieldwork_patrol", patrol_id=patrol.pk)
    findings = selectors.patrol_findings_for_page(patrol)
    return render(
        request,
        "fieldwork/patrol_detail.html",
        {"patrol": patrol, "form": form, "findings": findings, "may_write": access.can_write(user)},
    )


def _read_upload(upload: Any) -> bytes:
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError({"photo": MSG_TOO_LARGE.format(mb=limit // (1024 * 1024))})
    return bytes(upload.read(limit + 1))


@login_required
def finding_detail(request: AuthedRequest, finding_id: int) -> HttpResponse:
    user = request.user
    finding = selectors.access_finding(user, finding_id)
    fixing = request.POST.get("action") == "fixed"
    form = forms.PhotoForm(
        request.POST if not fixing else None, request.FILES if not fixing else None
    )
    fixed_form = forms.FixedForm(request.POST if fixing else None, prefix="fixed")
    outcome = submitted(
        request,
        fixed_form if fixing else form,
        (
            (lambda data: services.finding_mark_fixed(finding=finding, actor=user, **data))
            if fixing
            else (
                lambda data: services.finding_add_photo(
                    finding=finding, actor=user, content=_read_upload(data["photo"])
                )
            )
        ),
        default="note" if fixing else "photo",
        aliases=FIELD_ALIASES,
        denied_is_404=True,
    )
    if outcome.done:
        messages.success(request, "已确认修复。" if fixing else "已上传照片。")
        return redirect("fieldwork_finding", finding_id=finding.pk)
    return render(
        request,
        "fieldwork/finding_detail.html",
        {
            "finding": finding,
            "form": form,
            "fixed_form": fixed_form,
            "photos": selectors.finding_photos(finding),
            "links": selectors.finding_case_links(finding),
            "open_cases": joinable_cases(user, finding.area_id),
            "may_write": access.can_write(user),
        },
    )


@login_required
def photo(request: AuthedRequest, photo_id: int) -> FileResponse:
    """Photos are served only to who may see the finding; they are not public media."""
    row = selectors.access_photo(request.user, photo_id)
    return FileResponse(row.image.open("rb"), content_type="image/jpeg")
