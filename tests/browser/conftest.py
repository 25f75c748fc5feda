"""Browser fixtures: Debian's Chromium, headless, driven by Playwright; screenshots kept."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from bot.settings import PROJECT_ROOT

CHROMIUM = os.environ.get("CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
ARTEFACTS = PROJECT_ROOT / "var" / "test-artefacts" / "screenshots"
LAUNCH_FLAGS = [  # what works on these machines (containers, no GPU, nothing fetched)
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    """One Playwright driver for the browser tests, stopped after them: the sync API keeps
    an event loop running in the main thread, which breaks `asyncio.run` in later tests."""
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless (the tests never download a browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-browser.sh")
    chromium = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=LAUNCH_FLAGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (no shared cookies or storage)."""
    browser_context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 900})
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A page in the test's own browser profile."""
    return context.new_page()


def screenshot(page: Page, name: str) -> Path:
    """Keep a full-page screenshot under var/test-artefacts/screenshots/ for humans to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
