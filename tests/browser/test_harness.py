"""The browser harness itself: Chromium starts, axe finds what it should, CSP stays in force.

The pages come from a tiny HTTP server on 127.0.0.1 (or page.set_content).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.axe import describe, serious_violations
from tests.browser.helpers import screenshot

if TYPE_CHECKING:
    from playwright.sync_api import Page

CLEAN = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Rendez-vous du jour – Conseil</title>
<style>body { font-family: sans-serif; font-size: 18px; color: #1a1a1a; background: #fff; }</style>
</head>
<body>
<header><p>France Services de Douai</p></header>
<main>
  <h1>Rendez-vous du jour</h1>
  <p>Créneau à 14 h 30, déjà pris. Élodie, Noël, Zoé : ça s'affiche en français.</p>
  <form>
    <label for="nom">Nom de l'usager</label>
    <input id="nom" name="nom" type="text" autocomplete="family-name">
    <button type="submit">Chercher</button>
  </form>
</main>
</body>
</html>"""

FAULTY = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Page fautive</title></head>
<body><main>
  <h1>Page fautive</h1>
  <img src="/photo.png">
  <input type="text" name="sans-etiquette">
  <p style="color: #c8c8c8; background: #ffffff">Texte gris pâle, illisible.</p>
</main></body>
</html>"""

# Under `default-src 'self'`: styles only from a file of the same origin, and an inline script
# that the browser must refuse.
UNDER_CSP = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Sous CSP</title>
<link rel="stylesheet" href="/pale.css"></head>
<body><main>
  <h1>Sous CSP</h1>
  <img src="/photo.png">
  <p class="pale">Texte gris pâle, illisible.</p>
  <script>window.inlineRan = true;</script>
</main></body>
</html>"""

# A 1×1 white PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4e20000000049454e44ae426082"
)
CSP = "default-src 'self'"
PAGES: dict[str, tuple[str, bytes, dict[str, str]]] = {
    "/clean": ("text/html; charset=utf-8", CLEAN.encode(), {}),
    "/faulty": ("text/html; charset=utf-8", FAULTY.encode(), {}),
    "/csp": ("text/html; charset=utf-8", UNDER_CSP.encode(), {"Content-Security-Policy": CSP}),
    "/pale.css": ("text/css", b".pale { color: #c8c8c8; background: #fff; }", {}),
    "/photo.png": ("image/png", PNG, {}),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path not in PAGES:
            self.send_error(404)
            return
        kind, body, headers = PAGES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _ids(violations: list[dict]) -> set[str]:
    return {v["id"] for v in violations}


def test_a_clean_french_page_has_no_serious_violation(page: Page, site: str):
    page.goto(f"{site}/clean")
    violations = serious_violations(page)
    assert not violations, describe(violations)
    assert page.evaluate("navigator.language") == "fr-FR"
    screenshot(page, "harness-clean")


def test_a_page_given_as_content_is_checked_too(page: Page):
    page.set_content(CLEAN)
    violations = serious_violations(page)
    assert not violations, describe(violations)


def test_a_faulty_page_shows_its_missing_alt_label_and_contrast(page: Page, site: str):
    page.goto(f"{site}/faulty")
    violations = serious_violations(page)
    assert {"image-alt", "label", "color-contrast"} <= _ids(violations), describe(violations)
    message = describe(violations)
    assert "image-alt [critical]" in message
    assert "color-contrast [serious]" in message
    assert "img" in message  # the targets are named


def test_a_page_under_its_csp_is_checked_and_the_csp_still_holds(
    page: Page, site: str, console_errors: list[str]
):
    response = page.goto(f"{site}/csp")
    assert response is not None
    assert response.headers["content-security-policy"] == CSP
    violations = serious_violations(page)
    # the same-origin stylesheet applied (contrast), and axe ran in spite of the policy
    assert {"image-alt", "color-contrast"} <= _ids(violations), describe(violations)
    # the page's own inline script was refused, as in a person's browser: no bypass_csp
    assert page.evaluate("window.inlineRan") is None
    assert any("Content Security Policy" in error for error in console_errors), console_errors
    assert len(console_errors) == 1, console_errors  # injecting axe added no refusal


def test_screenshots_are_written_only_when_asked(
    page: Page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    page.set_content(CLEAN)
    monkeypatch.delenv("KIOSK_SCREENSHOTS", raising=False)
    assert screenshot(page, "nothing") is None
    monkeypatch.setenv("KIOSK_SCREENSHOTS", str(tmp_path))
    path = screenshot(page, "rendez-vous du jour")
    assert path == tmp_path / "browser" / "rendez-vous-du-jour.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_browser_works_beside_the_live_server(page: Page, live_server: str):
    """The project's live_server (uvicorn in a thread) and Playwright's loop coexist."""
    response = page.goto(f"{live_server}/api/v1/health")
    assert response is not None and response.ok
    assert response.json() == {"status": "ok", "database": "sqlite"}
