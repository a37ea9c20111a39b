"""Every page a person reads (jinlin.pages.PAGES), on a desktop here and on a phone in
test_accessibility_phone_browser.py, passes axe-core:
no critical or serious violation of WCAG 2.1 A/AA (nor 2.2's 24 px tap targets), and no
sideways scroll. axe-core comes inside axe-playwright-python; nothing is fetched.

One browser context per persona and viewport, the server started once: each page is checked
in each viewport as one of the personas that reach it, taking turns, so that every persona's
header is checked; JINLIN_A11Y_ALL_PERSONAS=1 checks every page as every persona that reaches
it (slower). docs/accessibility.md says what this covers and what it does not.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse
from playwright.sync_api import expect

from jinlin.pages import PAGES
from tests.browser.conftest import PASSWORD, shoot, tap_box

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 800},
    "phone": {"width": 390, "height": 844},
}
FAILING = {"critical", "serious"}
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
ALL_PERSONAS = os.environ.get("JINLIN_A11Y_ALL_PERSONAS") == "1"


def _plan(urls: dict[str, str]) -> dict[tuple[str | None, str], list[str]]:
    """(persona, viewport) → page names; each page once per viewport, personas taking turns."""
    plan: dict[tuple[str | None, str], list[str]] = defaultdict(list)
    turn: Counter[str] = Counter()
    for page in PAGES:
        for viewport in VIEWPORTS:
            if ALL_PERSONAS:
                chosen = list(page.personas)
            else:
                chosen = [page.personas[turn[page.name] % len(page.personas)]]
                turn[page.name] += 1
            for persona in chosen:
                plan[(persona, viewport)].append(page.name)
    return plan


def _describe(page_name: str, url: str, viewport: str, persona: str | None, v: dict) -> list[str]:
    who = persona or "anonymous"
    lines = [f"{page_name} {url} [{viewport}, {who}] {v['id']} ({v['impact']}): {v['help']}"]
    for node in v["nodes"][:5]:
        target = " ".join(str(t) for t in node["target"])
        summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
        lines.append(f"    {target}: {node['html'][:160]} — {summary}")
    if len(v["nodes"]) > 5:
        lines.append(f"    … and {len(v['nodes']) - 5} more")
    return lines


def check_pages_in_viewport(browser, live_server, viewport: str) -> None:
    """Check every page of the plan's `viewport` half; the two halves are two tests in two files
    so that the two test workers (--dist loadfile) check them side by side."""
    problems: list[str] = []
    urls: dict[str, str] = {}
    for entry in PAGES:
        try:
            urls[entry.name] = reverse(entry.name, kwargs=entry.kwargs()) + entry.query
        except Exception as error:  # noqa: BLE001  (every page's failure is reported at once)
            problems.append(f"{entry.name}: its address cannot be built: {error!r}")
    plan = _plan(urls)
    # Every persona's header is checked, over the two viewports together.
    assert {persona for persona, _ in plan} >= {
        None,
        "jiedao",
        "shuji",
        "shegong",
        "zhibu",
        "xiaozu",
        "bianji",
        "dangyuan",
        "louzu",
    }
    counts: Counter[str] = Counter()
    checked = 0
    for (persona, planned_viewport), names in plan.items():
        if planned_viewport != viewport:
            continue
        context = browser.new_context(
            viewport=VIEWPORTS[viewport], locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        context.add_init_script(AXE_SCRIPT)
        page = context.new_page()
        if persona is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", persona)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("load")
        for name in names:
            if name not in urls:
                continue
            url = urls[name]
            checked += 1
            try:
                response = page.goto(f"{live_server.url}{url}")
            except Exception as error:  # noqa: BLE001  (reported with the others)
                problems.append(f"{name} {url} [{viewport}, {persona}]: {error}")
                continue
            if response is None or response.status != 200:
                status = response.status if response else "no answer"
                problems.append(f"{name} {url} [{viewport}, {persona}]: HTTP {status}")
                continue
            wide = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if wide > 1:
                problems.append(
                    f"{name} {url} [{viewport}, {persona}]: scrolls sideways by {wide}px"
                )
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for violation in result["violations"]:
                counts[f"{violation['impact']} {violation['id']}"] += len(violation["nodes"])
                if violation["impact"] in FAILING:
                    problems.extend(_describe(name, url, viewport, persona, violation))
        context.close()
    print(f"axe findings on {viewport} (nodes, all impacts):", dict(sorted(counts.items())))
    assert checked == len(urls), f"{checked} pages checked on {viewport}, {len(urls)} listed"
    assert not problems, "accessibility problems:\n" + "\n".join(problems)


def test_every_page_passes_axe_on_a_desktop(browser, live_server, demo_world):
    check_pages_in_viewport(browser, live_server, "desktop")


def test_phone_header_at_360_px_has_the_daily_places_and_the_rest_under_one_menu(
    page_as, secretary, worker_in, editor
):
    narrow = {"width": 360, "height": 720}
    for user, daily, name in (
        (secretary, ["今日", "党建"], "header-secretary-360"),
        (worker_in, ["今日", "党建"], "header-worker-360"),
        (editor, ["纠错有奖"], "header-editor-360"),
    ):
        page = page_as(user, viewport=narrow)
        page.goto(f"{page.base_url}/account/")
        header = page.locator("header")
        for word in daily:
            expect(header.locator("nav.user")).to_contain_text(word)
        if user.role != "editor":
            expect(header.get_by_role("searchbox", name="搜索居民")).to_be_visible()
        logout = header.get_by_role("button", name="退出")
        expect(logout).to_be_hidden()
        shoot(page, name, full_page=False)
        header.locator("details.menu > summary").click()
        expect(logout).to_be_visible()
        expect(header.get_by_role("link", name=str(user))).to_be_visible()
        shoot(page, f"{name}-menu", full_page=False)
        # Every target 44 px high, on screen, its label on one line; the page never scrolls sideways.
        for target in header.locator("a:visible, button:visible, summary:visible").all():
            box = tap_box(target)
            label = target.inner_text()
            assert box is not None and box["height"] >= 44, label
            assert box["x"] >= 0 and box["x"] + box["width"] <= narrow["width"], label
            assert box["height"] < 60, label
        assert page.evaluate("document.documentElement.scrollWidth") <= narrow["width"]
