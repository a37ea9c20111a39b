"""API across the parts: the area dashboard."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router

from jinlin.core.api_schemas import ObjectId, answers
from jinlin.core.web import AuthedRequest
from jinlin.fieldwork import access
from jinlin.fieldwork.summary import selectors
from jinlin.places.access import access_area

router = Router(tags=["fieldwork"])

MSG_NOT_DASHBOARD = "没有找到该居民区的工作台"


@router.get(
    "/areas/{area_id}/fieldwork-dashboard",
    response=answers(200, dict[str, Any], 404, 422),
    summary="居民区工作台（汇总，无个人信息）",
)
def area_dashboard(request: AuthedRequest, area_id: ObjectId) -> dict[str, Any]:
    user = request.user
    area = access_area(user, area_id)
    if not access.can_see_dashboard(user, area.pk):
        raise Http404(MSG_NOT_DASHBOARD)
    board = selectors.dashboard(area.pk)
    return {
        "date": board.on.isoformat(),
        "status_counts": board.status_counts,
        "cases_by_category": board.cases_by_category,
        "overdue_by_worker": board.overdue_by_worker,
        "findings_by_compound": board.findings_by_compound,
        "months": board.months,
        "garbage_points": board.garbage_points,
        "concerns_by_subcategory": board.concerns_by_subcategory,
        "overdue_actions": board.overdue_actions,
        "due_total": board.due_total,
        "overdue_total": board.overdue_total,
    }
