"""How the browser tests start Chromium, and where their pictures go.

Debian's Chromium only (scripts/setup.sh test installs it): no tool ever downloads a browser.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# One new context per test: a counsellor's desk screen, in French. The page's own
# Content-Security-Policy stays in force (no bypass_csp): axe is injected through DevTools,
# which the policy does not cover, so a page that needs an inline script or style fails here
# as it would for a person.
CONTEXT_OPTIONS: dict[str, Any] = {
    "viewport": {"width": 1280, "height": 900},
    "locale": "fr-FR",
    "timezone_id": "Europe/Paris",
}
TIMEOUT_MS = 10_000  # Playwright waits 30 s by default: a broken page should fail sooner


def screenshot(page: Page, name: str) -> Path | None:
    """The whole page as KIOSK_SCREENSHOTS/browser/NAME.png when that variable is set.

    Like tests/kiosk/screens (`make screenshots`): nothing is written otherwise.
    """
    chosen = os.environ.get("KIOSK_SCREENSHOTS")
    if not chosen:
        return None
    folder = Path(chosen) / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{re.sub(r'[^A-Za-z0-9._-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
