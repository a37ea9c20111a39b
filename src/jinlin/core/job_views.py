"""A user's jobs 后台任务: the list, one job's progress (htmx polls it every 2 s), its file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from jinlin.core.downloads import file_response
from jinlin.core.jobs import access_job, job_downloaded, visible_jobs
from jinlin.core.models import Job
from jinlin.core.web import AuthedRequest, is_htmx

JOB_LIST_LIMIT = 50
# htmx stops polling when the answer's status is 286: a finished job's last fragment.
STOP_POLLING = 286


@login_required
def job_list(request: AuthedRequest) -> HttpResponse:
    jobs = list(visible_jobs(request.user)[:JOB_LIST_LIMIT])
    return render(request, "core/job_list.html", {"jobs": jobs})


@login_required
def job_detail(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    if is_htmx(request):
        return render(
            request,
            "core/_job_status.html",
            {"job": job},
            status=STOP_POLLING if job.is_finished else 200,
        )
    return render(request, "core/job_detail.html", {"job": job})


@login_required
def job_download(request: AuthedRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404("该任务没有可下载的文件")
    with job.result.open("rb") as stored:
        content = stored.read()
    job_downloaded(user=request.user, job=job, request=request)
    suffix = job.result_name.rsplit(".", 1)[-1] if "." in job.result_name else "bin"
    return file_response(content, job.result_name, fallback=f"job-{job.pk}.{suffix}")
