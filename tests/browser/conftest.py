"""Fixtures for tests in a real browser: Debian's Chromium driven by Playwright's sync API.

`browser` is started once per session (about 1 s); `page` is a fresh French context per test.
Without /usr/bin/chromium the tests skip, except in CI (CI set), where they fail.
The sync API runs its own event loop in the main thread, only during each call; the
project's `live_server` runs uvicorn in another thread with its own loop, so both coexist.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import CHROMIUM, CONTEXT_OPTIONS, LAUNCH_ARGS, TIMEOUT_MS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page


def _missing(reason: str) -> None:
    reason += " (bash scripts/setup.sh test installs it)"
    if os.environ.get("CI"):
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright's Python package is missing")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**CONTEXT_OPTIONS)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """The page's console errors and uncaught exceptions, CSP refusals among them."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_page_error(error: Error) -> None:
        errors.append(f"{error.name}: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return errors
