"""The simulated people of bench/load.py, as a locustfile (run by load.py, not by hand).

Community workers log in through the login form and then, in a loop: open their today page,
a resident of their patch, a search, and now and then record a visit through the visit form.
Anonymous readers post woodpecker error reports to the API, each from its own address
(X-Forwarded-For; the server trusts one proxy). Every user takes part in three phases, timed
from the moment the last worker has logged in:

- think:    workers pause between clicks (the figures the aim is about);
- saturate: the same mix with no pause (what the server can carry);
- trivial:  the same users only poll /healthz, without cookies (the baseline).

Every request is recorded (name, phase, start, milliseconds, ok) with the visit ids and the
receipt numbers the server acknowledged, and written as JSON when the run ends. A short *warm*
phase before *think* (the think mix, not reported) lets every server process load its templates
and open its database connections, as a server that has been up for a while has.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
from pathlib import Path
from urllib.parse import quote

import gevent
from locust import FastHttpUser, events, task
from locust.contrib.fasthttp import FastHttpSession

PLAN = json.loads(Path(os.environ["JINLIN_LOAD_PLAN"]).read_text(encoding="utf-8"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VISIT_LOCATION = re.compile(r"/visits/(\d+)/$")

samples: list[list[object]] = []
acknowledged = {"visits": [], "receipts": []}
state = {"ready": 0, "t0": None, "users": PLAN["workers_count"] + PLAN["readers_count"]}
reader_addresses = itertools.count(1)


def phase(at: float | None = None) -> str:
    """The phase at a moment (now by default): wait, warm, think, saturate, trivial or done."""
    if state["t0"] is None:
        return "wait"
    elapsed = (time.time() if at is None else at) - state["t0"]
    for name, seconds in PLAN["phases"]:
        if elapsed < seconds:
            return name
        elapsed -= seconds
    return "done"


def mark_ready() -> None:
    state["ready"] += 1
    if state["ready"] >= state["users"] and state["t0"] is None:
        state["t0"] = time.time()


@events.request.add_listener
def record(request_type, name, response_time, exception, start_time=None, **kwargs):  # type: ignore[no-untyped-def]
    started = start_time or time.time()
    samples.append(
        [name, phase(started), round(started, 3), round(response_time, 2), exception is None]
    )


@events.test_start.add_listener
def stop_after_the_last_phase(environment, **kwargs):  # type: ignore[no-untyped-def]
    def watch() -> None:
        while phase() != "done":
            gevent.sleep(0.5)
        environment.runner.quit()

    gevent.spawn(watch)


@events.quitting.add_listener
def write(environment, **kwargs):  # type: ignore[no-untyped-def]
    with open(PLAN["output"], "w", encoding="utf-8") as out:
        json.dump({"t0": state["t0"], "samples": samples, **acknowledged}, out)


class Person(FastHttpUser):
    abstract = True
    network_timeout = 30.0
    connection_timeout = 10.0

    def pause(self) -> float:
        current = phase()
        if current in ("wait", "done"):
            return 0.2
        if current in ("warm", "think"):
            low, high = PLAN[f"{self.kind}_think"]
            return random.uniform(low, high)
        return 0.0

    def wait_time(self) -> float:  # type: ignore[override]
        return self.pause()

    @task
    def act(self) -> None:
        current = phase()
        if current in ("wait", "done"):
            return
        if current == "trivial":
            self.poll_health()
            return
        self.work()

    def poll_health(self) -> None:
        if getattr(self, "plain", None) is None:
            # A monitor has no cookies: a session cookie would cost a session and a user query.
            self.plain = FastHttpSession(self.host, self.environment.events.request, user=self)
        self.plain.get("/healthz", name="healthz (trivial)")

    def work(self) -> None:
        raise NotImplementedError


class Worker(Person):
    fixed_count = PLAN["workers_count"]
    kind = "worker"
    accounts = iter(PLAN["workers"])

    def on_start(self) -> None:
        self.account = next(Worker.accounts)
        self.headers = {"X-Forwarded-For": self.account["address"]}
        self.rng = random.Random(self.account["username"])
        try:
            self.log_in()
        finally:
            mark_ready()

    def log_in(self) -> None:
        page = self.client.get("/login/", name="login page", headers=self.headers)
        token = CSRF.search(page.text or "")
        with self.client.post(
            "/login/",
            name="login",
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    def get_page(self, url: str, name: str) -> str:
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
                return ""
            return response.text or ""

    def work(self) -> None:
        account, rng = self.account, self.rng
        choice = rng.choices(["today", "resident", "search", "visit"], weights=PLAN["mix"])[0]
        if choice == "today":
            self.get_page("/today/", "today")
        elif choice == "resident":
            self.get_page(f"/residents/{rng.choice(account['residents'])}/", "resident")
        elif choice == "search":
            query = rng.choice(account["searches"])
            self.get_page(f"/search/?q={quote(query)}", "search")
        else:
            self.record_visit(rng.choice(account["households"]))

    def record_visit(self, household: int) -> None:
        """Opens the visit form, posts it, follows the redirect to the new visit."""
        url = f"/visits/new/?household={household}"
        token = CSRF.search(self.get_page(url, "visit form"))
        if token is None:
            return
        with self.client.post(
            url,
            name="visit (POST)",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "household": str(household),
                "visited_on": PLAN["today"],
                "mode": "in_person",
                "resident": "",
                "condition": self.rng.choice(["good", "good", "fair", "poor"]),
                "family_situation": "老两口同住，子女周末回来",
                "health": "血压偏高，按时服药",
                "living_habits": "",
                "needs": "希望社区帮忙联系上门理发",
            },
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            found = VISIT_LOCATION.search(response.headers.get("Location") or "")
            if response.status_code != 302 or found is None:
                response.failure(f"visit answered {response.status_code}")
                return
            acknowledged["visits"].append(int(found.group(1)))
        self.get_page(f"/visits/{found.group(1)}/", "visit detail")


class Reader(Person):
    fixed_count = PLAN["readers_count"]
    kind = "reader"

    def on_start(self) -> None:
        self.rng = random.Random()
        mark_ready()

    def work(self) -> None:
        report = self.rng.choice(PLAN["reports"])
        number = next(reader_addresses)
        # Each report from its own reader's address (documentation range 198.18.0.0/15).
        address = f"198.{18 + number // 65536 % 2}.{number // 256 % 256}.{number % 256}"
        with self.client.post(
            "/api/v1/woodpecker/reports",
            name="woodpecker report (POST)",
            json={
                **report,
                "explanation": "原文有错别字",
                "name": f"读者{number}",
                "is_nickname": True,
                "contact": f"139{number:08d}",
            },
            headers={"X-Forwarded-For": address},
            catch_response=True,
        ) as response:
            receipt = (
                (response.json() or {}).get("receipt") if response.status_code == 201 else None
            )
            if receipt is None:
                response.failure(f"report answered {response.status_code}: {response.text[:200]}")
                return
            acknowledged["receipts"].append(receipt)
