"""The audit log page: the area secretary searches its area's log. Reading only, no edits."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from jinlin.core.audit import audit_scope
from jinlin.core.auditwords import CODE_LABELS, OBJECT_LABELS, field_label, object_label
from jinlin.core.models import AuditEvent, User
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork.concerns.models import Subcategory
from jinlin.people.access import visible_residents
from jinlin.people.catalogue import label_of
from jinlin.people.groups import GroupCode
from jinlin.places.models import Area, Building, Compound

PAGE_SIZE = 50
OBJECT_TYPES = [("", "全部"), *OBJECT_LABELS.items()]


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=150)
    action = forms.ChoiceField(
        label="动作", required=False, choices=[("", "全部"), *AuditEvent.Action.choices]
    )
    object_type = forms.ChoiceField(label="对象类型", required=False, choices=OBJECT_TYPES)
    object_id = forms.CharField(label="对象编号", required=False, max_length=64)
    since = forms.DateField(
        label="起始日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label="截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    logins = forms.BooleanField(label="显示登录记录", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


GROUP_CODES = frozenset(code.value for code in GroupCode)
LOGIN_ACTIONS = (AuditEvent.Action.LOGIN, AuditEvent.Action.LOGIN_FAILED)


def search_events(events, data: dict):
    # Sign-ins are most of a log and least of its questions: folded unless asked for.
    if not data.get("logins") and data.get("action") not in LOGIN_ACTIONS:
        events = events.exclude(action__in=LOGIN_ACTIONS)
    if data.get("actor"):
        events = events.filter(actor_name__icontains=data["actor"].strip())
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("object_type"):
        events = events.filter(object_type=data["object_type"])
    if data.get("object_id"):
        events = events.filter(object_id=data["object_id"].strip())
    if data.get("since"):
        events = events.filter(at__gte=_local_midnight(data["since"]))
    if data.get("until"):
        events = events.filter(at__lt=_local_midnight(data["until"] + timedelta(days=1)))
    return events


@require_GET
@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    user: User = request.user
    events = audit_scope(user)
    if events is None:
        raise Http404("没有找到")
    form = AuditSearchForm(request.GET or None)
    if form.is_bound and form.is_valid():
        events = search_events(events, form.cleaned_data)
    elif form.is_bound:
        events = events.none()
    else:
        events = search_events(events, {})
    page = Paginator(events.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    names = object_names(user, list(page))
    for event in page:
        event.field_labels = [field_label(f) for f in event.fields]
        event.object_label = object_label(event.object_type)
        event.object_name = names.get((event.object_type, event.object_id), "")
        if event.object_type == "resident" and event.object_id.isdigit():
            event.resident_name = event.object_name
    return render(request, "overview/audit_log.html", {"form": form, "page": page})


def object_names(user: User, events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """(object type, id) → what a secretary calls it: a resident's name (only one it may see),
    an account's name, a place's name, a group's or category's label. One query per kind."""
    wanted: dict[str, set[int]] = {}
    names: dict[tuple[str, str], str] = {}
    for event in events:
        kind, key = event.object_type, event.object_id
        if kind == "group" and (key in GROUP_CODES or key.startswith("g")):
            names[(kind, key)] = label_of(key)
        elif kind == "concern_subcategory" and key in Subcategory.values:
            names[(kind, key)] = str(Subcategory(key).label)
        elif key in CODE_LABELS.get(kind, {}):
            names[(kind, key)] = CODE_LABELS[kind][key]
        elif key.isdigit():
            wanted.setdefault(kind, set()).add(int(key))
    sources = {
        "resident": lambda ids: (
            visible_residents(user).filter(pk__in=ids).values_list("pk", "name")
        ),
        "area": lambda ids: Area.objects.filter(pk__in=ids).values_list("pk", "name"),
        "compound": lambda ids: Compound.objects.filter(pk__in=ids).values_list("pk", "name"),
        "user": lambda ids: [
            (u.pk, f"{u.display_name}（{u.username}）" if u.display_name else u.username)
            for u in User.objects.filter(pk__in=ids).only("pk", "username", "display_name")
        ],
        "building": lambda ids: [
            (b.pk, f"{b.compound.name}{b.label}")
            for b in Building.objects.filter(pk__in=ids).select_related("compound")
        ],
    }
    for kind, ids in wanted.items():
        if kind in sources:
            for pk, name in sources[kind](ids):
                names[(kind, str(pk))] = name
    return names
