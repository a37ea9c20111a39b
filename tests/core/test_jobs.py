"""Long work as jobs: queued, run, its progress on its page, its file for its owner alone."""

from __future__ import annotations

import pytest

from jinlin.core.jobs import (
    MSG_FAILED,
    JobFailed,
    job_finish,
    job_progress,
    run_job,
    start_job,
)
from jinlin.core.models import AuditEvent, Job, Notification
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def task_counts_to_three(job, *, name):
    for done in range(1, 4):
        job_progress(job, done, 3)
    job_finish(job, filename=f"{name}.xlsx", content=b"PK-workbook")


def task_refuses(job):
    raise JobFailed("范围内没有可生成的记录")


def task_breaks(job):
    job_progress(job, 1, 10)
    raise RuntimeError("张建国 13812345678")  # what a bug might carry; the owner never sees it


def _start(user, task, capture, **kwargs):
    with capture(execute=True):
        return start_job(owner=user, kind="test", title="测试任务", task=task, **kwargs)


def test_a_job_runs_after_commit_and_keeps_its_file(secretary, django_capture_on_commit_callbacks):
    job = _start(secretary, task_counts_to_three, django_capture_on_commit_callbacks, name="台账")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result.name.startswith("jobs/")
    assert job.result_name == "台账.xlsx"
    assert job.started_at is not None and job.finished_at is not None


def test_a_job_is_not_run_before_its_transaction_commits(
    secretary, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_job(
            owner=secretary, kind="test", title="测试任务", task=task_counts_to_three, name="x"
        )
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert len(callbacks) == 1


def test_a_task_that_refuses_fails_its_job_with_its_message(
    secretary, django_capture_on_commit_callbacks
):
    job = _start(secretary, task_refuses, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "范围内没有可生成的记录"


def test_a_task_that_raises_fails_its_job_never_stuck_running(
    secretary, django_capture_on_commit_callbacks
):
    job = _start(secretary, task_breaks, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == MSG_FAILED
    assert "张建国" not in job.message
    assert job.finished_at is not None


def test_a_finished_job_delivered_twice_is_not_run_again(
    secretary, django_capture_on_commit_callbacks
):
    job = _start(secretary, task_counts_to_three, django_capture_on_commit_callbacks, name="a")
    job.refresh_from_db()
    finished_at = job.finished_at
    run_job(job.pk, f"{__name__}.task_breaks", {})
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.finished_at == finished_at


def test_the_owner_is_told_once_when_its_job_ends(secretary, django_capture_on_commit_callbacks):
    done = _start(secretary, task_counts_to_three, django_capture_on_commit_callbacks, name="a")
    failed = _start(secretary, task_refuses, django_capture_on_commit_callbacks)
    run_job(done.pk, f"{__name__}.task_counts_to_three", {"name": "a"})  # delivered again
    told = {n.link: n.title for n in Notification.objects.filter(user=secretary, kind="job")}
    assert told == {
        f"/jobs/{done.pk}/": "测试任务：已完成，可以下载",
        f"/jobs/{failed.pk}/": "测试任务：失败",
    }
    secretary.refresh_from_db()
    assert secretary.unread_notifications == 2
    page = login(secretary).get("/notifications/").content.decode()
    assert "测试任务：已完成，可以下载" in page


def test_job_page_shows_progress_then_the_link(secretary):
    job = Job.objects.create(owner=secretary, kind="test", title="走访台账 2026年11月")
    client = login(secretary)
    page = client.get(f"/jobs/{job.pk}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 2s"' in body
    assert 'aria-live="polite"' in body
    assert "<progress" in body and "进度" in body
    assert "/download" not in body

    job_progress(job, 2, 5, message="正在排版 PDF")
    part = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert part.status_code == 200  # still polling
    assert 'value="40"' in part.content.decode()
    assert "2 / 5 · 正在排版 PDF" in part.content.decode()

    job_finish(job, filename="走访台账.xlsx", content=b"PK-workbook")
    part = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert part.status_code == 286  # htmx stops polling
    assert f"/jobs/{job.pk}/download" in part.content.decode()
    assert "下载文件" in part.content.decode() and "走访台账.xlsx" in part.content.decode()


def test_failed_job_page_shows_its_message(secretary):
    job = Job.objects.create(
        owner=secretary,
        kind="test",
        title="个案台账",
        status=Job.Status.FAILED,
        message="范围内没有可生成的记录",
    )
    body = login(secretary).get(f"/jobs/{job.pk}/").content.decode()
    assert "失败：范围内没有可生成的记录" in body
    assert "every 2s" not in body


def test_download_is_the_owners_alone_and_audited(secretary, worker_in):
    job = Job.objects.create(owner=secretary, kind="ledger", title="走访台账")
    job_finish(job, filename="走访台账.xlsx", content=b"PK-workbook")
    assert login(worker_in).get(f"/jobs/{job.pk}/").status_code == 404
    assert login(worker_in).get(f"/jobs/{job.pk}/download").status_code == 404
    response = login(secretary).get(f"/jobs/{job.pk}/download")
    assert response.status_code == 200
    assert response.content == b"PK-workbook"
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT, object_type="job")
    assert event.object_id == str(job.pk) and event.actor == secretary


def test_unfinished_job_has_nothing_to_download(secretary):
    job = Job.objects.create(owner=secretary, kind="ledger", title="走访台账")
    assert login(secretary).get(f"/jobs/{job.pk}/download").status_code == 404


def test_job_list_shows_only_my_jobs(secretary, worker_in, django_assert_max_num_queries):
    Job.objects.create(owner=secretary, kind="ledger", title="书记的台账")
    Job.objects.create(owner=worker_in, kind="ledger", title="社工的台账")
    client = login(worker_in)
    with django_assert_max_num_queries(8):
        body = client.get("/jobs/").content.decode()
    assert "社工的台账" in body
    assert "书记的台账" not in body


@pytest.fixture(params=["sqlite", "redis"])
def real_queue(request, tmp_path, monkeypatch):
    """The queue on a real storage (SQLite in a temporary file, or Redis under a name of its
    own) instead of running tasks inline; the test plays the consumer."""
    from huey.contrib import djhuey
    from huey.storage import RedisStorage, SqliteStorage

    if request.param == "sqlite":
        storage = SqliteStorage(name="jinlin-jobs-test", filename=str(tmp_path / "queue.sqlite3"))
    else:
        import redis

        url = "redis://127.0.0.1:6379/0"
        try:
            redis.Redis.from_url(url).ping()
        except redis.RedisError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        storage = RedisStorage(name=f"jinlin-jobs-test-{id(tmp_path)}", url=url)
    # The consumer's wrapper closes stale connections between tasks; here it would close the
    # test's own connection, inside its transaction.
    monkeypatch.setattr(djhuey, "close_old_connections", lambda: None)
    saved = (djhuey.HUEY._immediate, djhuey.HUEY.storage)
    djhuey.HUEY._immediate = False
    djhuey.HUEY.storage = storage
    try:
        yield djhuey.HUEY
    finally:
        storage.flush_all()
        djhuey.HUEY._immediate, djhuey.HUEY.storage = saved


def test_a_job_waits_in_the_queue_until_a_consumer_runs_it(
    secretary, real_queue, django_capture_on_commit_callbacks
):
    job = _start(secretary, task_counts_to_three, django_capture_on_commit_callbacks, name="台账")
    client = login(secretary)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert real_queue.pending_count() == 1
    waiting = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200 and "排队中" in waiting.content.decode()

    real_queue.execute(real_queue.dequeue())  # what `jinlin run_huey` does

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    done = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true")
    assert done.status_code == 286
    assert f"/jobs/{job.pk}/download" in done.content.decode()
    assert real_queue.pending_count() == 0
