"""API of fieldwork 望闻问切: one router assembled from the parts' routers.

Each part (visits, concerns, patrols, consultations, cases, and the summary across them) has
its own router on the same services, selectors and access rules as the pages. Outside the
user's scope every object is 404; refused input is 422 with the field and a Chinese message,
and nothing is changed.
"""

from __future__ import annotations

from ninja import Router

from jinlin.fieldwork.cases.api import router as cases_router
from jinlin.fieldwork.concerns.api import router as concerns_router
from jinlin.fieldwork.consultations.api import router as consultations_router
from jinlin.fieldwork.handover.api import router as handover_router
from jinlin.fieldwork.patrols.api import router as patrols_router
from jinlin.fieldwork.summary.api import router as summary_router
from jinlin.fieldwork.visits.api import router as visits_router

# The operation ids clients know were named after the one module all routes lived in.
OPERATION_ID_PREFIX = "jinlin_fieldwork_api_"

router = Router()  # the parts tag their operations "fieldwork"
for _part in (
    visits_router,
    concerns_router,
    patrols_router,
    consultations_router,
    cases_router,
    handover_router,
    summary_router,
):
    for _path in _part.path_operations.values():
        for _operation in _path.operations:
            _operation.operation_id = _operation.operation_id or (
                OPERATION_ID_PREFIX + _operation.view_func.__name__
            )
    router.add_router("", _part)
