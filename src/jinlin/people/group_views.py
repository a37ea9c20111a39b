"""Pages of 群体类别: an area's (and a subdistrict's) own groups, added, edited and retired by
its secretary (the subdistrict admin for the subdistrict's); everybody else reads the list."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jinlin.core.models import Role
from jinlin.core.web import AuthedRequest, submitted
from jinlin.people import services
from jinlin.people.catalogue import group_catalogue, scope_q
from jinlin.people.models import GroupDefinition
from jinlin.places.access import access_area
from jinlin.places.models import Area, Subdistrict


class GroupDefinitionForm(forms.Form):
    label = forms.CharField(label="群体名称", max_length=40, help_text="如：低保、残疾、退役军人")
    category = forms.ChoiceField(label="类别", choices=GroupDefinition.Category.choices)
    is_sensitive = forms.BooleanField(
        label="敏感群体（列表和导出中隐藏，查看名单记入审计日志）",
        required=False,
        help_text="创建后不能更改",
    )
    assignable_by = forms.ChoiceField(
        label="谁可以认定", choices=GroupDefinition.AssignableBy.choices
    )
    visit_days = forms.CharField(
        label="关爱走访周期（天）",
        required=False,
        max_length=5,
        help_text="1–365 天；不填则不列入关爱走访",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class GroupDefinitionEditForm(GroupDefinitionForm):
    is_sensitive = forms.BooleanField(
        label="敏感群体（创建后不能更改）", required=False, disabled=True
    )


def _refused(request: AuthedRequest, where: str) -> HttpResponse:
    return render(
        request,
        "people/group_refused.html",
        {"message": services.MSG_GROUP_NOT_ALLOWED, "back": where},
        status=403,
    )


@login_required
def area_groups(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = access_area(request.user, area_id)
    catalogue = group_catalogue(area.pk)
    return render(
        request,
        "people/area_groups.html",
        {
            "area": area,
            "builtins": [kind for kind in catalogue.every if not kind.is_custom],
            "custom": _definitions_of_area(area),
            "may_manage": services.may_manage_groups(request.user, area_id=area.pk),
        },
    )


def _definitions_of_area(area: Area) -> list[GroupDefinition]:
    return list(
        GroupDefinition.objects.filter(scope_q(area.pk))
        .distinct()
        .select_related("subdistrict", "created_by", "retired_by")
        .order_by("retired_at", "created_at", "id")
    )


def _create(request: AuthedRequest, *, area: Area | None, subdistrict: Subdistrict | None):
    form = GroupDefinitionForm(request.POST or None)
    outcome = submitted(
        request,
        form,
        lambda data: services.group_definition_create(
            actor=request.user,
            label=data["label"],
            category=data["category"],
            is_sensitive=data["is_sensitive"],
            assignable_by=data["assignable_by"],
            visit_days=data["visit_days"],
            area_id=area.pk if area else None,
            subdistrict_id=subdistrict.pk if subdistrict else None,
        ),
        default="label",
    )
    return form, outcome


@login_required
def area_group_create(request: AuthedRequest, area_id: int) -> HttpResponse:
    area = access_area(request.user, area_id)
    if not services.may_manage_groups(request.user, area_id=area.pk):
        return _refused(request, "area_groups")
    form, outcome = _create(request, area=area, subdistrict=None)
    if outcome.done:
        messages.success(request, f"已添加群体“{outcome.result.label}”。")
        return redirect("area_groups", area_id=area.pk)
    return render(request, "people/group_definition_form.html", {"form": form, "scope": area.name})


def _own_subdistrict(request: AuthedRequest) -> Subdistrict:
    user = request.user
    if user.role != Role.SUBDISTRICT_ADMIN or user.subdistrict_id is None:
        raise Http404("没有找到")
    return Subdistrict.objects.get(pk=user.subdistrict_id)


@login_required
def subdistrict_groups(request: AuthedRequest) -> HttpResponse:
    subdistrict = _own_subdistrict(request)
    definitions = list(
        GroupDefinition.objects.filter(subdistrict=subdistrict)
        .select_related("created_by", "retired_by")
        .order_by("retired_at", "created_at", "id")
    )
    return render(
        request,
        "people/subdistrict_groups.html",
        {"subdistrict": subdistrict, "custom": definitions},
    )


@login_required
def subdistrict_group_create(request: AuthedRequest) -> HttpResponse:
    subdistrict = _own_subdistrict(request)
    form, outcome = _create(request, area=None, subdistrict=subdistrict)
    if outcome.done:
        messages.success(request, f"已添加群体“{outcome.result.label}”，所有居民区可用。")
        return redirect("subdistrict_groups")
    return render(
        request,
        "people/group_definition_form.html",
        {"form": form, "scope": f"{subdistrict.name}（所有居民区）"},
    )


def _managed(request: AuthedRequest, definition_id: int) -> GroupDefinition:
    """A group its manager may edit; anybody else learns nothing of it (404)."""
    definition = (
        GroupDefinition.objects.select_related("area", "subdistrict")
        .filter(pk=definition_id)
        .first()
    )
    if definition is None or not services.may_manage_groups(
        request.user, area_id=definition.area_id, subdistrict_id=definition.subdistrict_id
    ):
        raise Http404("没有找到该群体")
    return definition


def _back(definition: GroupDefinition) -> HttpResponse:
    if definition.area_id is not None:
        return redirect("area_groups", area_id=definition.area_id)
    return redirect("subdistrict_groups")


@login_required
def group_definition_edit(request: AuthedRequest, definition_id: int) -> HttpResponse:
    definition = _managed(request, definition_id)
    initial: dict[str, Any] = {
        "label": definition.label,
        "category": definition.category,
        "is_sensitive": definition.is_sensitive,
        "assignable_by": definition.assignable_by,
        "visit_days": definition.visit_days or "",
    }
    form = GroupDefinitionEditForm(request.POST or None, initial=initial)
    if submitted(
        request,
        form,
        lambda data: services.group_definition_update(
            actor=request.user,
            definition=definition,
            label=data["label"],
            category=data["category"],
            assignable_by=data["assignable_by"],
            visit_days=data["visit_days"],
        ),
        default="label",
    ).done:
        messages.success(request, "已保存。")
        return _back(definition)
    scope = definition.area.name if definition.area else f"{definition.subdistrict}（所有居民区）"
    return render(
        request,
        "people/group_definition_form.html",
        {"form": form, "scope": scope, "definition": definition},
    )


@login_required
@require_POST
def group_definition_retire(request: AuthedRequest, definition_id: int) -> HttpResponse:
    definition = _managed(request, definition_id)
    try:
        services.group_definition_retire(actor=request.user, definition=definition)
    except PermissionDenied:
        raise Http404("没有找到该群体") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(definition)
    messages.success(request, f"已停用“{definition.label}”：不再认定新成员，原有成员和记录保留。")
    return _back(definition)
