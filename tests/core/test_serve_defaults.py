"""`jinlin serve` runs one thread a gunicorn process, a process a core and one more (2 to 8),
unless told otherwise (docs/performance.md, "The web path under gunicorn")."""

import os

import pytest

from jinlin.console.management.commands import serve


def _options(monkeypatch, cores, **environment):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)))
    for name in ("JINLIN_WORKERS", "JINLIN_THREADS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return serve.Command().create_parser("jinlin", "serve").parse_args([])


@pytest.mark.parametrize(("cores", "workers"), [(1, 2), (2, 3), (3, 4), (8, 8), (16, 8)])
def test_a_process_a_core_and_one_more_of_one_thread_each(monkeypatch, cores, workers):
    options = _options(monkeypatch, cores)
    assert (options.workers, options.threads) == (workers, 1)


def test_the_environment_still_decides(monkeypatch):
    options = _options(monkeypatch, 2, JINLIN_WORKERS="3", JINLIN_THREADS="2")
    assert (options.workers, options.threads) == (3, 2)
