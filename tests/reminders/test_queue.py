"""The queue itself, on both storages: SQLite (the embedded default) and Redis (deployments).

The reminders' task function is put on a queue of the test's own, enqueued, then dequeued and
executed as a consumer does; a task enqueued and never executed ("killed" consumer) is still in
the storage for the next consumer.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import huey
import pytest

from jinlin.core.models import Notification
from jinlin.reminders.tasks import run_reminders

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# 张建国 (独居老人 since his 60th birthday, never visited) is long overdue on this day.
MORNING = datetime.combine(date(2026, 9, 30), time(9, 0), SHANGHAI).isoformat()


@pytest.fixture(params=["sqlite", "redis"])
def make_queue(request, tmp_path):
    """`make_queue()` → a queue on the storage; called again, another consumer's view of the
    same storage (what a restarted consumer finds)."""
    name = f"jinlin-test-{uuid.uuid4().hex}"
    made = []

    def make():
        if request.param == "sqlite":
            queue = huey.SqliteHuey(name=name, filename=str(tmp_path / "queue.sqlite3"))
        else:
            queue = huey.RedisHuey(name=name, url="redis://127.0.0.1:6379/15")
        made.append(queue)
        return queue, queue.task()(run_reminders)

    yield make
    if made:
        made[0].storage.flush_all()


def run_one(queue):
    task = queue.dequeue()
    assert task is not None, "the storage holds no task"
    return queue.execute(task)


def test_the_digest_task_runs_from_the_queue(make_queue, world, worker_in):
    queue, send = make_queue()
    result = send(MORNING)
    assert queue.pending_count() == 1
    assert not Notification.objects.filter(user=worker_in).exists()
    run_one(queue)
    assert queue.pending_count() == 0
    assert result.get()["digests_sent"] >= 1
    [note] = Notification.objects.filter(user=worker_in, kind="digest")
    assert "待走访 1 户" in note.title


def test_a_task_of_a_killed_consumer_stays_in_storage_and_runs_later(make_queue, world, worker_in):
    queue, send = make_queue()
    send(MORNING)
    del queue, send  # the consumer dies before it dequeues

    restarted, _ = make_queue()
    assert restarted.pending_count() == 1
    run_one(restarted)
    assert Notification.objects.filter(user=worker_in, kind="digest").count() == 1


def test_a_task_run_twice_notifies_once(make_queue, world, worker_in):
    queue, send = make_queue()
    send(MORNING)
    send(MORNING)
    run_one(queue)
    run_one(queue)
    assert Notification.objects.filter(user=worker_in, kind="digest").count() == 1
