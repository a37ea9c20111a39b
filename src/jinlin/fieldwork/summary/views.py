"""Pages across the parts: the worker's today page and the area dashboard."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jinlin.core.models import Role
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork import access
from jinlin.fieldwork.cases.models import CaseStatus
from jinlin.fieldwork.common.pages import require_scope
from jinlin.fieldwork.summary import rows, selectors
from jinlin.fieldwork.visits.selectors import DUE_LIST_LIMIT
from jinlin.places.access import access_area


@login_required
def today(request: AuthedRequest) -> HttpResponse:
    """The worker's morning page: visits due and overdue, its case actions, new concerns."""
    user = request.user
    require_scope(request)
    day = timezone.localdate()
    show_all = request.GET.get("all") == "1"
    data = selectors.today(
        user, day, due_limit=DUE_LIST_LIMIT if show_all else selectors.TODAY_DUE_LIMIT
    )
    weekday = "周" + "一二三四五六日"[day.weekday()]
    may_write = access.can_write(user)
    return render(
        request,
        "fieldwork/today.html",
        {
            "today": data,
            "day": day,
            "weekday": weekday,
            "may_write": may_write,
            "due_recent": rows.due_rows_html(data.due_recent, may_write=may_write),
            "due_folded": rows.due_rows_html(data.due_folded, may_write=may_write),
            "actions_recent": rows.action_rows_html(data.actions_recent, day),
            "actions_folded": rows.action_rows_html(data.actions_folded, day),
            "new_concerns": rows.concern_rows_html(data.concerns),
        },
    )


@login_required
def dashboard(request: AuthedRequest, area_id: int) -> HttpResponse:
    user = request.user
    area = access_area(user, area_id)
    if not access.can_see_dashboard(user, area.pk):
        raise Http404("没有找到该居民区的工作台")
    board = selectors.dashboard(area.pk)
    return render(
        request,
        "fieldwork/dashboard.html",
        {
            "area": area,
            "board": board,
            "statuses": CaseStatus.choices,
            "age_buckets": selectors.AGE_BUCKETS,
            "may_configure": user.is_superuser
            or (user.role == Role.AREA_SECRETARY and user.area_id == area.pk),
            "may_hand_over": access.can_hand_over(user, area.pk),
        },
    )
