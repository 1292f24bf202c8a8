"""Browser tests: Debian's Chromium driven by Playwright on pytest-django's live_server."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from inside one unless
    # told. Only while the browser runs: the rest of the suite (and `check --deploy`) keeps Django's guard.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _chromium()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def _chromium():
    if not shutil.which(CHROMIUM):
        if os.environ.get("GEFYRA_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); CI sets GEFYRA_REQUIRE_BROWSER=1 to fail instead")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Staff:
    """A browser tab signed in as one member of staff."""

    def __init__(self, browser, live_server, user):
        self.base = live_server.url
        self.page = browser.new_page(viewport={"width": 1700, "height": 1000})
        self.page.goto(f"{self.base}/admin/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", PASSWORD)
        self.page.click("input[type=submit]")
        self.page.wait_for_selector("#my-task-counts")

    def claim_from_queue(self, person):
        self.page.goto(f"{self.base}/admin/workflows/teamtask/")
        self.page.click(f"text={person}")
        self.page.click("input[name=claim]")
        self.page.wait_for_selector("#step-form")

    def complete(self, fill):
        fill(self.page)
        self.page.click("input[name=complete]")
        self.page.wait_for_selector(".messagelist .success")

    def close(self):
        self.page.close()
