"""Long work as jobs 后台任务: a Job row its owner watches, run by the task queue (Huey).

A task is a plain function `task(job, **kwargs)` of any app, named by its dotted path so that
core imports no app above it; it reports with `job_progress` and ends with `job_finish` (a
file) or `job_fail` (a message in Chinese, never personal data). A task that raises marks its
job failed: no job is left running for ever. Running a job again (a consumer restarted and
the queue delivered it twice) redoes it from the start; a finished job is never redone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import db_task

from jinlin.core.audit import audit
from jinlin.core.models import AuditEvent, Job, User
from jinlin.core.notifications import notify

logger = logging.getLogger(__name__)

MSG_FAILED = "处理时出错，请稍后重试；仍不成功请联系管理员"
MSG_NOT_FOUND = "没有找到该任务"


class JobFailed(Exception):
    """Raised by a task to fail its job with a message for its owner (Chinese, no personal data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def start_job(
    *, owner: User, kind: str, title: str, task: Callable[..., Any], **kwargs: Any
) -> Job:
    """Create the job and queue `task(job, **kwargs)` once the surrounding transaction commits
    (the consumer must find the row); kwargs must be plain data (ids, strings, dates)."""
    job = Job.objects.create(owner=owner, kind=kind, title=title[:200])
    path = f"{task.__module__}.{task.__qualname__}"
    transaction.on_commit(lambda: run_job(job.pk, path, kwargs))
    return job


@db_task()
def run_job(job_id: int, task_path: str, kwargs: dict[str, Any]) -> None:
    job = Job.objects.filter(pk=job_id).select_related("owner").first()
    if job is None or job.is_finished:
        return
    job.status = Job.Status.RUNNING
    job.started_at = timezone.now()
    job.done = 0
    job.save(update_fields=["status", "started_at", "done"])
    try:
        task = import_string(task_path)
        task(job, **kwargs)
    except JobFailed as error:
        job_fail(job, error.message)
        return
    except Exception:
        # The traceback goes to the operator's log (ids only); the owner reads a plain message.
        logger.exception("job %s (%s) failed", job_id, job.kind)
        job_fail(job, MSG_FAILED)
        return
    if not job.is_finished:
        _finish(job, fields={"message": ""})


def job_progress(job: Job, done: int, total: int, *, message: str | None = None) -> None:
    """How far the job is (`done` of `total` steps), for its page's progress bar, and what it
    is doing (`message`, shown under the bar; Chinese, no personal data)."""
    job.done = max(0, done)
    job.total = max(0, total)
    fields = ["done", "total"]
    if message is not None:
        job.message = message[:200]
        fields.append("message")
    job.save(update_fields=fields)


def job_finish(job: Job, *, filename: str, content: bytes, message: str = "") -> None:
    """The job is done: its file kept under MEDIA_ROOT/jobs/ (default storage), named `filename`
    when downloaded."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    job.result.save(f"job-{job.pk}.{suffix}", ContentFile(content), save=False)
    _finish(
        job,
        fields={"result": job.result, "result_name": filename[:200], "message": message[:200]},
    )


def _finish(job: Job, *, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.status = Job.Status.DONE
    job.finished_at = timezone.now()
    if job.total:
        job.done = job.total
    job.save(update_fields=[*fields, "status", "finished_at", "done"])
    _tell_owner(job)


def job_fail(job: Job, message: str) -> None:
    job.status = Job.Status.FAILED
    job.message = (message or MSG_FAILED)[:200]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "finished_at"])
    _tell_owner(job)


def _tell_owner(job: Job) -> None:
    """The owner hears that its job ended (done or failed), wherever it is in Jinlin: once,
    however often the queue delivers the task."""
    done = job.status == Job.Status.DONE
    notify(
        user=job.owner,
        kind="job",
        title=f"{job.title}：{'已完成，可以下载' if done else '失败'}",
        link=reverse("job_detail", args=[job.pk]),
        key=f"job:{job.pk}",
    )


# --- reads ------------------------------------------------------------------------------------


def visible_jobs(user: User) -> QuerySet[Job]:
    """A user's own jobs: nobody else's, whatever its role (a ledger is its maker's)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner_id=user.pk)


def access_job(user: User, job_id: int) -> Job:
    try:
        return visible_jobs(user).get(pk=job_id)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404(MSG_NOT_FOUND) from None


def job_downloaded(*, user: User, job: Job, request: HttpRequest | None = None) -> None:
    """Each download of a job's file is an export: who, which job, when (like every download)."""
    audit(
        actor=user,
        action=AuditEvent.Action.EXPORT,
        object_type="job",
        object_id=job.pk,
        fields=[f"kind:{job.kind}", "via:download"],
        reason=f"下载：{job.title}"[:200],
        request=request,
        area_id=user.area_id,
    )
