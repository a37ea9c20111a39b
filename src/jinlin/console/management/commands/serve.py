"""`jinlin serve [--demo] [--port N] [--supervise] [--no-queue]`: migrate, optionally load demo
data, start the task queue's consumer (reminders; console.queue), serve with gunicorn (kept
running by console.supervisor with --supervise)."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from jinlin.console.accesslog import ACCESS_LOG_FORMAT
from jinlin.console.queue import start_consumer, stop_consumer
from jinlin.console.supervisor import Supervisor, Watch
from jinlin.console.workers import default_workers
from jinlin.demo.generator import DEMO_PASSWORD
from jinlin.places.models import Subdistrict


class Command(BaseCommand):
    help = "Migrate the database, load demo data with --demo when it is empty, and serve Jinlin."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--demo", action="store_true", help="load demo data if the database is empty"
        )
        parser.add_argument("--host", default=os.environ.get("JINLIN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("JINLIN_PORT", "8000")))
        # One thread a process, a process a core and one more (console.workers): p95 was twice
        # p50 with 2 × 4, 1.1 times with 4 × 1 (docs/performance.md).
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("JINLIN_WORKERS", str(default_workers()))),
        )
        parser.add_argument(
            "--threads", type=int, default=int(os.environ.get("JINLIN_THREADS", "1"))
        )
        parser.add_argument(
            "--keep-alive",
            type=int,
            default=int(os.environ.get("JINLIN_KEEPALIVE", "0")),
            help="seconds gunicorn keeps an idle connection open (0: one request a connection, "
            "so that every request goes to whichever worker is free; docs/performance.md)",
        )
        parser.add_argument(
            "--no-server", action="store_true", help="prepare the database, then exit"
        )
        parser.add_argument(
            "--supervise",
            action="store_true",
            help="restart gunicorn when it dies or /healthz stops answering; "
            "speaks systemd's notify protocol (deploy/jinlin.service)",
        )

        parser.add_argument(
            "--no-queue",
            action="store_true",
            help="do not start the task queue's consumer (run `jinlin run_huey` apart)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if options["demo"] and not Subdistrict.objects.exists():
            # With a year of fieldwork, so that 今日, cases and the dashboards are not empty.
            self.stdout.write(
                "数据库为空，正在生成演示数据（含一年的走访、民声和个案，不到十秒）……"
            )
            call_command("demo", scale="small", quiet=True, fieldwork=True, stdout=self.stdout)
        elif options["demo"]:
            self.stdout.write(
                f"数据库中已有数据。演示账号：shuji（书记）、shegong（社工）、jiedao（街道）、"
                f"zhibu（支部书记）、xiaozu（党小组长）、bianji（编辑），密码 {DEMO_PASSWORD}"
            )
        address = f"http://{options['host']}:{options['port']}/"
        database = settings.DATABASES["default"]
        where = (
            database["NAME"] if database["ENGINE"].endswith("sqlite3") else database.get("HOST", "")
        )
        self.stdout.write(f"近邻 Jinlin 已就绪：{address}  （数据库：{where}）")
        self.stdout.flush()
        if options["no_server"]:
            return
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        argv = [
            gunicorn or "gunicorn",
            "jinlin.wsgi:application",
            "--bind",
            f"{options['host']}:{options['port']}",
            "--workers",
            str(options["workers"]),
            "--threads",
            str(options["threads"]),
            "--keep-alive",
            str(options["keep_alive"]),
            "--access-logfile",
            "-",
            # The access log prints paths only (no query strings): search terms stay out of logs.
            "--access-logformat",
            ACCESS_LOG_FORMAT,
            "--logger-class",
            "jinlin.console.accesslog.AccessLogger",
        ]
        consumer = None
        if not options["no_queue"] and not settings.HUEY.get("immediate"):
            consumer = start_consumer()
            self.stdout.write("任务队列已启动（每日提醒、上报）")
            self.stdout.flush()
        if options["supervise"]:
            local = "127.0.0.1" if options["host"] in ("0.0.0.0", "", "::") else options["host"]  # noqa: S104  (a check of our own bind address)
            watch = Watch(url=f"http://{local}:{options['port']}/healthz")
            self.stdout.write(f"守护模式：gunicorn 退出或 {watch.url} 无应答时自动重启")
            self.stdout.flush()
            try:
                code = Supervisor(argv, watch).run()
            finally:
                if consumer is not None:
                    stop_consumer(consumer)
            raise SystemExit(code)
        # The consumer stays this process's child: it dies with gunicorn (console.queue).
        os.execv(argv[0], argv)  # noqa: S606  (replace this process by gunicorn)
