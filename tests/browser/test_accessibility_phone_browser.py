"""Every page a person reads passes axe-core on a phone (390 × 844); the desktop half and what
is checked are in test_accessibility_browser.py. Two files, so that the two test workers
(--dist loadfile) check the two halves side by side."""

from __future__ import annotations

from tests.browser.test_accessibility_browser import check_pages_in_viewport


def test_every_page_passes_axe_on_a_phone(browser, live_server, demo_world):
    check_pages_in_viewport(browser, live_server, "phone")
