"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

`page_as(user)` logs a persona in and returns a page; `shoot(page, name)` saves a screenshot,
to a temporary folder by default (a test run leaves the tree clean) and to docs/screenshots/
for the README when JINLIN_SCREENSHOTS names that folder (`make screenshots`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from jinlin.core.models import User
from tests.party.conftest import organised, party  # noqa: F401  (the organised Party network)

# Playwright's sync API runs an event loop in this thread; the ORM calls of fixtures are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(
    os.environ.get("JINLIN_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / f"jinlin-screenshots-{os.getuid()}"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            "Debian's chromium is missing: apt-get install chromium fonts-noto-cjk (make browser-deps)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_as(browser, live_server, transactional_db):
    contexts = []

    def open_page(user=None, *, password: str = PASSWORD, viewport: dict | None = None):
        context = browser.new_context(
            viewport=viewport or DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base_url = live_server.url  # type: ignore[attr-defined]
        if user is not None:
            page.goto(f"{live_server.url}/login/")
            page.fill("input[name=username]", user.username)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
        return page

    yield open_page
    for context in contexts:
        context.close()


def tap_box(locator) -> dict[str, float]:
    """A control's box as the user sees it: after its page's stylesheets have loaded. Right
    after a click that navigates, the new page's text can be there before its CSS, and a
    button measured then has the size of an unstyled one (38 px instead of 48, seen once in
    CI on a busy machine)."""
    locator.page.wait_for_load_state("load")
    return locator.bounding_box()


def style_of(locator, prop: str) -> str:
    """A computed style of an element, read like `tap_box` once its page's stylesheets have
    loaded (a phone's list read 16 px, the browser's default, right after a sign-in redirect
    in CI)."""
    locator.page.wait_for_load_state("load")
    return locator.evaluate(f"el => getComputedStyle(el).{prop}")


def shoot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def demo_small(transactional_db):
    """The small demo subdistrict (a few seconds to build), with its demo accounts."""
    from django.core.cache import cache

    from jinlin.demo.generator import DEMO_PASSWORD, generate

    report = generate(scale="small", seed=2026)
    cache.delete("jinlin:is_demo")
    for user in User.objects.filter(username__in=[a[0] for a in report.accounts]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    assert DEMO_PASSWORD  # demo accounts use the test password here
    return report


@pytest.fixture
def demo_world(request, monkeypatch):
    """The demo cut smaller than "small" (two areas of two compounds of 6-8 buildings: the same
    kinds of pages, less to load and to check), with three weeks of fieldwork in its first area
    (visits, cases, receipts)."""
    from jinlin.demo import generator
    from jinlin.demo.fieldwork import generate_fieldwork
    from jinlin.places.models import Area

    smaller = generator.Scale(subdistricts=1, areas=2, compounds=(2, 2), buildings=(6, 8))
    monkeypatch.setitem(generator.SCALES, "small", smaller)
    demo_small = request.getfixturevalue("demo_small")

    first = Area.objects.filter(subdistrict__is_demo=True).order_by("id")[:1]
    generate_fieldwork(seed=2026, days=21, areas=list(first), visit_scale=0.3, case_scale=0.5)
    return demo_small
