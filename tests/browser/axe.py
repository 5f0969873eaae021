"""Accessibility checks with axe-core (from npm, pinned in scripts/setup.sh).

violations = serious_violations(page)
assert not violations, describe(violations)
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
SERIOUS = ("serious", "critical")


@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise FileNotFoundError(
            f"{AXE_JS.relative_to(ROOT)} is missing: run `bash scripts/setup.sh test` "
            "(it installs axe-core from npm into .cache/npm)"
        )
    return AXE_JS.read_text(encoding="utf-8")


def inject(page: Page) -> None:
    """Loads axe into the page unless it is there already.

    Through page.evaluate (DevTools), not page.add_script_tag: the dashboard sends
    `Content-Security-Policy: default-src 'self'`, which refuses an inline <script>, while
    DevTools evaluation is outside the page's policy. So the policy stays in force for the
    page itself (no bypass_csp), and what axe checks is what a person's browser shows.
    """
    if page.evaluate("typeof window.axe === 'object'"):
        return
    page.evaluate(_axe_source())
    if not page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        raise RuntimeError(f"axe-core did not load into {page.url}")


def violations(page: Page) -> list[dict[str, Any]]:
    """Every axe violation of the page as it is now (WCAG 2.2 A/AA and best practices)."""
    inject(page)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: tags, resultTypes: ['violations']})", TAGS
    )
    return result["violations"]


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations(page) if v.get("impact") in SERIOUS]


def describe(found: list[dict[str, Any]], targets: int = 3) -> str:
    """One line per violation, for assertion messages: id, impact, help, first targets."""
    lines = []
    for v in found:
        nodes = v.get("nodes", [])
        where = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:targets])
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"{v['id']} [{v.get('impact')}] {v['help']}: {where}{more}")
    return "\n".join(lines) or "no violation"
