"""Throughput and latency of the web path under `jinlin serve` (gunicorn as it ships: a
process a core and one more, one thread each; JINLIN_WORKERS / JINLIN_THREADS try others), against
`/healthz` on the same server in the same run.

The district demo with a year of fieldwork (the data of bench/fieldwork_pages.py, built there),
the secretary of the largest area signed in (a session cookie) and holding an API token. wrk
(Debian's `wrk`) opens 16 keep-alive connections for each target in turn; its Lua hook prints
p50/p95/p99 of every request's latency:

    python bench/fieldwork_pages.py              # once: the data
    python bench/web_path.py [--seconds 15] [--connections 16]
    python bench/web_path.py --quick             # small demo of its own, 2 s a target

Targets: /healthz (the floor: routing, middleware, no database), GET /api/v1/residents (a
page of 50 masked residents), /today/ (the secretary's morning page), /subdistrict/ (as the
subdistrict admin). Each line prints requests/s, the ratio to /healthz, and the latencies.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import database_label, free_port, setup_django, start_jinlin

BIN = Path(sys.executable).parent
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("JINLIN %d %d %.3f %.3f %.3f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def run_wrk(url: str, headers: list[str], seconds: int, connections: int, script: str) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", script, "--timeout", "10s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    match = re.search(r"JINLIN (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
    if match is None:
        sys.exit(f"wrk said:\n{output}")
    requests, errors = int(match[1]), int(match[2])
    return {
        "requests": requests,
        "errors": errors,
        "rate": requests / seconds,
        "p50": float(match[3]),
        "p95": float(match[4]),
        "p99": float(match[5]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--var", default=os.path.join(tempfile.gettempdir(), "jinlin-bench-fieldwork")
    )
    parser.add_argument("--quick", action="store_true", help="small demo, 2 s a target")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        if args.quick:  # `make bench` on a machine without it: say so, do not fail the set
            print("web_path: skipped, needs wrk (apt-get install wrk)")
            return
        sys.exit("needs wrk: apt-get install wrk")
    if args.quick:
        args.var = os.path.join(tempfile.gettempdir(), "jinlin-bench-web-quick")
        args.seconds = 2
    elif not (Path(args.var) / "jinlin.sqlite3").exists() and "DATABASE_URL" not in os.environ:
        sys.exit("no data yet: run python bench/fieldwork_pages.py first")
    setup_django(args.var)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db.models import Count

    from jinlin.core.models import Role, User
    from jinlin.core.services import token_issue
    from jinlin.people.models import Resident

    call_command("migrate", verbosity=0)
    if args.quick and not Resident.objects.exists():
        from jinlin.demo.fieldwork import generate_fieldwork
        from jinlin.demo.generator import generate

        generate(scale="small", seed=2026)
        generate_fieldwork(seed=1, days=30)
    largest = Resident.objects.values("area_id").annotate(n=Count("id")).order_by("-n").first()
    secretary = (
        User.objects.filter(area_id=largest["area_id"], role=Role.AREA_SECRETARY)
        .order_by("id")
        .first()
    )
    admin = User.objects.filter(role=Role.SUBDISTRICT_ADMIN).order_by("id").first()

    def session_of(user: User) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return f"Cookie: {settings.SESSION_COOKIE_NAME}={store.session_key}"

    _row, token = token_issue(user=secretary, actor=None, name="bench/web_path.py")
    port = free_port()
    server = start_jinlin(port, args.var, ["--no-queue"], {}, "web-path-server.log")
    base = f"http://127.0.0.1:{port}"
    targets = [
        ("/healthz", [], "/healthz"),
        ("GET /api/v1/residents", [f"Authorization: Bearer {token}"], "/api/v1/residents"),
        ("今日 (secretary)", [session_of(secretary)], "/today/"),
        ("subdistrict overview", [session_of(admin)], "/subdistrict/"),
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA)
    try:
        for _label, headers, path in targets:  # warm each worker and its caches
            run_wrk(base + path, headers, 2, args.connections, script.name)
        from jinlin.console.workers import default_workers

        workers = os.environ.get("JINLIN_WORKERS", str(default_workers()))
        threads = os.environ.get("JINLIN_THREADS", "1")
        print(
            f"database: {database_label()}; server: jinlin serve (gunicorn {workers} × "
            f"{threads} thread{'s' if threads != '1' else ''}); "
            f"wrk {args.connections} connections, {args.seconds} s per target"
        )
        print(
            f"  {'target':<26}{'req/s':>8}{'× healthz':>11}{'p50':>9}{'p95':>9}{'p99':>9}  errors"
        )
        floor = None
        for label, headers, path in targets:
            result = run_wrk(base + path, headers, args.seconds, args.connections, script.name)
            floor = floor or result["rate"]
            print(
                f"  {label:<26}{result['rate']:>8.0f}{result['rate'] / floor:>10.2f}x"
                f"{result['p50']:>7.1f}ms{result['p95']:>7.1f}ms{result['p99']:>7.1f}ms"
                f"  {result['errors']} of {result['requests']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
        os.unlink(script.name)


if __name__ == "__main__":
    main()
