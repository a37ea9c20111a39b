"""Long Party work run by the task queue (core.jobs): a compound's placards."""

from __future__ import annotations

from django.http import Http404

from jinlin.core.jobs import JobFailed, job_finish, job_progress
from jinlin.core.models import Job
from jinlin.party import access, selectors
from jinlin.party.placards import placards_pdf

MSG_NO_LONGER_ALLOWED = "您已无权打印该小区的公示牌"
MSG_NO_BUILDINGS = "该小区没有可打印公示牌的楼组"


def compound_placards(job: Job, *, compound_id: int, show_years: bool, base_url: str) -> None:
    """Every building's 亮身份 placard of a compound, one PDF; access is checked again when the
    job runs (the owner may have lost the compound since it asked)."""
    try:
        compound, scope = access.access_party_compound(job.owner, compound_id)
    except Http404:
        raise JobFailed(MSG_NO_LONGER_ALLOWED) from None
    state = selectors.load_network(scope.area)
    buildings = [b for b in state.buildings.values() if b.compound_id == compound.pk]
    if not buildings:
        raise JobFailed(MSG_NO_BUILDINGS)
    job_progress(job, 0, len(buildings), message=f"正在排版 {len(buildings)} 个楼组的公示牌……")
    data = placards_pdf(
        user=job.owner,
        state=state,
        buildings=buildings,
        object_type="compound",
        object_id=compound.pk,
        show_years=show_years,
        base_url=base_url,
    )
    job_finish(job, filename=f"亮身份-{compound.name}.pdf", content=data)
