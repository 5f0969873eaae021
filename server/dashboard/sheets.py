"""Printable help sheets (A4) for workshops: each journey's steps with the kiosk's screens.

Public pages (no sign-in): a participant scans the sheet's QR code to open it again on their
phone. The sheets, their words and pictures come from static/fiches/fiches.json, written by
scripts/help-sheets.py (`make help-sheets`) from the kiosk's journeys.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

import qrcode
import qrcode.image.svg
from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from server.dashboard.pages import HERE, page

router = APIRouter(include_in_schema=False)

FICHES = HERE / "static" / "fiches"
MANIFEST = FICHES / "fiches.json"
PICTURES = "/conseil/static/fiches"
SVG = "http://www.w3.org/2000/svg"


def manifest() -> dict[str, Any]:
    """The sheets, read at each request: `make help-sheets` needs no restart."""
    if not MANIFEST.exists():
        return {"sheets": []}
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


def typeset(text: str) -> str:
    """French spacing: no line break before ? ! : ; » nor after «."""
    for mark in "?!:;»":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text.replace("« ", "«\u00a0")


def qr_svg(address: str) -> str:
    """The address as an inline SVG QR code (the pages' CSP blocks data: images)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(address)
    svg = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    ET.register_namespace("", SVG)
    element = ET.fromstring(svg.to_string(encoding="unicode"))
    for size in ("width", "height"):  # the stylesheet sizes it
        element.attrib.pop(size, None)
    for path in element:
        path.attrib.pop("id", None)  # "qr-path": an id that would be the page's own
    element.set("class", "qr-code")
    element.set("role", "img")
    element.set("aria-label", "QR code de l'adresse de cette fiche")
    element.set("focusable", "false")
    return ET.tostring(element, encoding="unicode")


@router.get("/fiches/", response_class=HTMLResponse, name="fiches")
def sheet_list(request: Request) -> HTMLResponse:
    return page(request, "fiches.html", {"sheets": manifest()["sheets"], "here": "fiches"})


@router.get("/fiches/{sheet_id}", response_class=HTMLResponse, name="fiche")
def sheet(request: Request, sheet_id: str) -> HTMLResponse:
    known = manifest()
    found = next((s for s in known["sheets"] if s["id"] == sheet_id), None)
    if found is None:
        return page(request, "fiche_absente.html", {"here": "fiches"}, status_code=404)
    address = str(request.url_for("fiche", sheet_id=sheet_id))
    words = ("action", "title", "help")
    steps = [{**step, **{k: typeset(step[k]) for k in words}} for step in found["steps"]]
    found = {**found, "goal": typeset(found["goal"]), "steps": steps}
    context = {
        "sheet": found,
        "address": address,
        "qr": qr_svg(address),
        "pictures": PICTURES,
        "width": known["picture_width"],
        "height": known["picture_height"],
        "here": "fiches",
    }
    return page(request, "fiche.html", context)
