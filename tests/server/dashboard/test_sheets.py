"""The help sheets (/fiches/): public printable pages made from static/fiches/fiches.json,
which scripts/help-sheets.py (`make help-sheets`) writes from the kiosk's journeys."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qrcode
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw

from kiosk.workflows.exercises import BY_ID
from kiosk.workflows.journeys import JOURNEYS
from server.app import create_app
from server.config import Settings
from server.dashboard import sheets
from server.dashboard.pages import SECURITY_HEADERS

REGENERATE = "run `make help-sheets` again and commit server/dashboard/static/fiches/"
MANIFEST = json.loads(sheets.MANIFEST.read_text(encoding="utf-8"))
SHEETS = MANIFEST["sheets"]
IDS = [sheet["id"] for sheet in SHEETS]
STEPS = {step.id: step for journey in JOURNEYS for step in journey.steps}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Anyone's browser: the sheets need no sign-in, and no database."""
    folder = tmp_path_factory.mktemp("sheets")
    settings = Settings(
        database_url=f"sqlite:///{folder / 'kiosk.sqlite3'}",
        workshop_database_url=f"sqlite:///{folder / 'workshop.sqlite3'}",
        secret_key="test-secret-key",
        sms_file_path=str(folder / "sms.jsonl"),
        mail_file_path=str(folder / "mail.jsonl"),
    )
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def text_of(page: str) -> str:
    """What a reader sees: tags out, entities decoded, French non-breaking spaces as spaces."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\xa0", " "))


def svg_of(page: str) -> ET.Element:
    found = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert found, "no inline SVG in the page"
    return ET.fromstring(found.group(0))  # raises if it is not well-formed XML


def dark_modules(svg: ET.Element) -> set[tuple[int, int]]:
    """The QR code's dark squares, read from the path qrcode's SvgPathImage draws."""
    path = svg.find("{http://www.w3.org/2000/svg}path")
    assert path is not None
    return {(int(x), int(y)) for x, y in re.findall(r"M(\d+),(\d+)H", path.get("d", ""))}


def decode(svg: ET.Element) -> str | None:
    """The QR code's text, if a decoder is installed (zxing-cpp needs no zbar)."""
    try:
        import zxingcpp  # noqa: PLC0415
    except ImportError:
        return None
    size = int(svg.get("viewBox", "").split()[2])
    scale = 8
    picture = Image.new("L", (size * scale, size * scale), 255)
    pen = ImageDraw.Draw(picture)
    for x, y in dark_modules(svg):
        pen.rectangle((x * scale, y * scale, (x + 1) * scale - 1, (y + 1) * scale - 1), fill=0)
    found = zxingcpp.read_barcodes(picture)
    return found[0].text if found else ""


def same_code_as_qrcode_makes(svg: ET.Element, text: str) -> bool:
    """Without a decoder: the squares are those the qrcode library makes for `text`."""
    for level in (qrcode.ERROR_CORRECT_L, qrcode.ERROR_CORRECT_M, qrcode.ERROR_CORRECT_Q):
        code = qrcode.QRCode(error_correction=level, border=4)
        code.add_data(text)
        code.make()
        modules = code.get_matrix()
        expected = {(x, y) for y, row in enumerate(modules) for x, dark in enumerate(row) if dark}
        if dark_modules(svg) == expected:
            return True
    return False


# ----------------------------------------------------------------------- the manifest


def test_there_is_a_sheet_for_each_workshop_exercise_with_its_title_and_goal():
    assert IDS == ["account", "relative", "book", "move", "cancel"]
    for sheet in SHEETS:
        exercise = BY_ID[sheet["id"]]
        assert (sheet["title"], sheet["goal"]) == (exercise.title, exercise.goal), REGENERATE


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_the_manifest_names_only_steps_the_kiosk_has_with_their_current_words(
    sheet: dict[str, Any],
):
    for step in sheet["steps"]:
        assert step["step"] in STEPS, f"{step['step']} is no step of the kiosk: {REGENERATE}"
        source = STEPS[step["step"]]
        if "{" not in source.prompt:  # a filled-in question ("{name}") is checked by the page
            assert step["title"] == source.prompt, f"{step['step']}: {REGENERATE}"
        assert step["help"] == source.help, f"{step['step']}: {REGENERATE}"
        assert step["action"].strip(), step


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_each_picture_is_a_png_about_640_pixels_wide(sheet: dict[str, Any]):
    for step in sheet["steps"]:
        path = sheets.FICHES / step["picture"]
        assert path.is_file(), f"{path.name} is missing: {REGENERATE}"
        with Image.open(path) as picture:
            assert picture.format == "PNG"
            assert 600 <= picture.width <= 700, picture.size
            assert picture.size == (MANIFEST["picture_width"], MANIFEST["picture_height"])


def test_the_pictures_stay_small_enough_to_commit():
    total = sum(path.stat().st_size for path in sheets.FICHES.iterdir())
    assert total < 2_500_000, total


# ----------------------------------------------------------------------- the pages


def test_the_list_links_every_sheet_without_signing_in(browser: TestClient):
    response = browser.get("/fiches/")
    assert response.status_code == 200
    for sheet in SHEETS:
        assert f'href="/fiches/{sheet["id"]}"' in response.text
        assert html.escape(sheet["title"]) in response.text


def test_the_pages_carry_the_dashboards_security_headers(browser: TestClient):
    for address in ("/fiches/", f"/fiches/{IDS[0]}", "/fiches/inconnue"):
        response = browser.get(address)
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value, (address, name)


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_a_sheet_shows_its_title_goal_and_every_steps_words_in_order(
    browser: TestClient, sheet: dict[str, Any]
):
    response = browser.get(f"/fiches/{sheet['id']}")
    assert response.status_code == 200
    assert response.text.count("<h1") == 1
    shown = text_of(response.text)
    assert sheet["title"] in shown and sheet["goal"] in shown
    at = 0
    for step in sheet["steps"]:
        for words in (step["action"], step["title"], step["help"]):
            found = shown.find(words.replace("\xa0", " "), at)
            assert found >= 0, words
            at = found


@pytest.mark.parametrize("sheet", SHEETS, ids=IDS)
def test_each_step_has_its_screenshot_served_with_an_alt_text_saying_the_screen(
    browser: TestClient, sheet: dict[str, Any]
):
    page = browser.get(f"/fiches/{sheet['id']}").text
    images = re.findall(r"<img\b[^>]*>", page)
    assert len(images) == len(sheet["steps"])
    for image, step in zip(images, sheet["steps"], strict=True):
        source = re.search(r'src="([^"]+)"', image).group(1)
        alt = html.unescape(re.search(r'alt="([^"]*)"', image).group(1)).replace("\xa0", " ")
        assert source == f"/conseil/static/fiches/{step['picture']}"
        assert step["title"].replace("\xa0", " ") in alt
        served = browser.get(source)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"


@pytest.mark.parametrize("sheet_id", IDS)
def test_the_qr_code_is_an_inline_svg_of_the_sheets_own_address(browser: TestClient, sheet_id: str):
    page = browser.get(f"/fiches/{sheet_id}").text
    address = f"http://testserver/fiches/{sheet_id}"
    assert "Scannez pour retrouver cette fiche sur votre téléphone." in page
    assert address in page  # written under the code too
    assert "data:" not in page  # the CSP blocks data: URLs
    svg = svg_of(page)
    assert svg.get("role") == "img" and svg.get("aria-label")
    decoded = decode(svg)
    if decoded is not None:
        assert decoded == address
    else:
        assert same_code_as_qrcode_makes(svg, address)


def test_the_qr_code_follows_the_address_the_page_was_asked_at(browser: TestClient):
    page = browser.get("/fiches/book", headers={"host": "centre.exemple.fr"}).text
    assert same_code_as_qrcode_makes(svg_of(page), "http://centre.exemple.fr/fiches/book")


def test_a_sheet_prints_on_a_4_without_the_header(browser: TestClient):
    page = browser.get("/fiches/book").text
    assert '<link rel="stylesheet" href="/conseil/static/fiches.css">' in page
    css = browser.get("/conseil/static/fiches.css").text
    assert re.search(r"@page\s*{\s*size: A4;\s*margin: 15mm;", css)
    assert re.search(r"@media print\s*{[^@]*\.entete", css)
    assert "break-inside: avoid" in css
    assert "<script src=" in page and "<script>" not in page and "style=" not in page


def test_an_unknown_sheet_is_a_french_404(browser: TestClient):
    response = browser.get("/fiches/inconnue")
    assert response.status_code == 404
    assert "Cette fiche n'existe pas" in html.unescape(response.text)
    assert 'href="/fiches/"' in response.text


def test_without_a_manifest_the_list_says_there_is_no_sheet_yet(
    browser: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(sheets, "MANIFEST", tmp_path / "absent.json")
    assert "Aucune fiche pour le moment." in browser.get("/fiches/").text
    assert browser.get("/fiches/book").status_code == 404
