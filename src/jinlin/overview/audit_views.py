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

from jinlin.core.audit import FIELD_LABELS, audit_scope
from jinlin.core.models import AuditEvent, User
from jinlin.core.web import AuthedRequest
from jinlin.people.access import visible_residents

PAGE_SIZE = 50
OBJECT_TYPES = [
    ("", "全部"),
    ("resident", "居民"),
    ("household", "户"),
    ("building", "楼组"),
    ("compound", "小区"),
    ("user", "工作人员账号"),
    ("token", "API 令牌"),
    ("group", "群体名单"),
    ("area", "居民区"),
]


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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_events(events, data: dict):
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
    page = Paginator(events.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    resident_ids = [e.object_id for e in page if e.object_type == "resident" and e.object_id]
    names = dict(
        visible_residents(user).filter(pk__in=resident_ids).values_list("pk", "name")
        if resident_ids
        else []
    )
    for event in page:
        event.field_labels = [FIELD_LABELS.get(f, f) for f in event.fields]
        if event.object_type == "resident" and event.object_id.isdigit():
            event.resident_name = names.get(int(event.object_id), "")
    return render(request, "overview/audit_log.html", {"form": form, "page": page})
