"""How long `make run` takes on a fresh clone, to the first login page served: the install, the
migrations, the demo data, then gunicorn; against the 45-second budget (issue 18).

The repository's last commit is cloned into a temporary directory (uncommitted changes are not
measured) and `make run` is started there with a fresh virtualenv, a fresh JINLIN_VAR (SQLite)
and a free port; its output is read line by line to time each step:

    install   until $(VENV)/.installed exists (venv, uv or pip, the package with [dev])
    migrate   until `jinlin serve` announces the demo data (it migrates first)
    demo      until it says it is ready (`jinlin demo --scale small --fieldwork`)
    serve     until GET /login/ answers 200 (gunicorn and its workers start)

Then the server is stopped and the directory removed.

    python bench/first_page.py            # the whole first start, install included (~30-60 s)
    python bench/first_page.py --quick    # no install: reuses this Python's virtualenv (make's
                                          # install step is skipped, the clone's code is served)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from _common import ROOT, free_port

BUDGET_SECONDS = 45.0
DEMO_STARTED = "正在生成演示数据"
READY = "已就绪"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="skip the install: reuse this Python's virtualenv"
    )
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="jinlin-bench-first-"))
    clone, var = work / "jinlin", work / "var"
    port = free_port()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    environment = {**os.environ, "JINLIN_VAR": str(var), "JINLIN_PORT": str(port)}
    environment.pop("DATABASE_URL", None)  # `make run` as a newcomer types it: SQLite
    if args.quick:
        venv = Path(sys.executable).parent.parent
        # -o: make takes the install as done (it would reinstall into this venv otherwise);
        # PYTHONPATH: the clone's code, not the code this venv was installed from.
        command = ["make", "run", f"VENV={venv}", "-o", f"{venv}/.installed"]
        environment["PYTHONPATH"] = str(clone / "src")
    else:
        venv = work / "venv"
        command = ["make", "run", f"VENV={venv}"]

    marks: dict[str, float] = {}
    log: list[str] = []
    started = time.perf_counter()
    server = subprocess.Popen(
        command,
        cwd=clone,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: make, jinlin, gunicorn, the queue
    )

    def read_output() -> None:
        assert server.stdout is not None
        for raw in server.stdout:
            line = raw.decode(errors="replace").rstrip()
            log.append(line)
            now = time.perf_counter() - started
            if DEMO_STARTED in line:
                marks.setdefault("migrated", now)
            elif READY in line:
                marks.setdefault("ready", now)

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()
    installed = venv / ".installed"
    try:
        while True:
            now = time.perf_counter() - started
            if now > args.timeout or server.poll() is not None:
                print("\n".join(log[-40:]))
                sys.exit(f"no login page after {now:.0f} s (make exited {server.returncode})")
            if "installed" not in marks and (args.quick or installed.exists()):
                marks["installed"] = 0.0 if args.quick else now
            if "ready" in marks and answers(f"http://127.0.0.1:{port}/login/"):
                marks["served"] = time.perf_counter() - started
                break
            time.sleep(0.1)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)

    steps = [
        ("install", 0.0, marks["installed"]),
        ("migrate", marks["installed"], marks.get("migrated", marks["installed"])),
        ("demo", marks.get("migrated", marks["installed"]), marks["ready"]),
        ("serve", marks["ready"], marks["served"]),
    ]
    mode = "quick: install skipped, this venv reused" if args.quick else "fresh venv"
    print(f"make run on a fresh clone ({mode}), SQLite, to GET /login/ 200:")
    for name, begin, end in steps:
        print(f"  {name:8} {end - begin:6.1f} s")
    total = marks["served"]
    print(f"  total    {total:6.1f} s")
    print(f"ratio total / {BUDGET_SECONDS:.0f} s budget: {total / BUDGET_SECONDS:.2f}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


if __name__ == "__main__":
    main()
