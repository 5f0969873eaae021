"""Rendering a dashboard page: the templates and the headers every page carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.trim_blocks = templates.env.lstrip_blocks = True

# Scripts and styles come from /conseil/static only; no page may frame the dashboard.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",  # pages hold phone numbers to call
    # Not "no-referrer": with it, Chromium sends `Origin: null` on the dashboard's own forms,
    # which the origin check then refuses.
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(
        request, name, context or {}, status_code=status_code, headers=SECURITY_HEADERS
    )


def fragment(name: str, context: dict[str, Any]) -> str:
    """A piece of a page, for the live stream."""
    return templates.get_template(name).render(context)
