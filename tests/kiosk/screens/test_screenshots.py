"""A picture of every step of every journey, so anyone can look at each screen.

`make screenshots` keeps them for French, English and Arabic in screenshots/ (git ignores
it); the suite takes the French ones into a temporary folder and checks each is a whole
window (drawing every step again in all three languages is the audit's job).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from kiosk.workflows.flow import View
from tests.kiosk.screens.conftest import DISPLAY, Hand
from tests.kiosk.screens.test_audit import LANGUAGES, draw, every_view


@pytest.fixture(scope="module")
def views() -> dict[str, list[View]]:
    return every_view()


CHOSEN = os.environ.get("KIOSK_SCREENSHOTS")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(CHOSEN) if CHOSEN else tmp_path


@pytest.mark.parametrize("language", LANGUAGES if CHOSEN else ("fr",))
def test_every_step_is_saved_as_a_picture_of_the_whole_window(
    hand: Hand, views: dict[str, list[View]], language: str, folder: Path
):
    into = folder / language
    into.mkdir(parents=True, exist_ok=True)
    saved = []
    for number, view in enumerate(views[language], 1):
        draw(hand.session, view, size=0, high_contrast=False)
        saved.append(hand.screenshot(into, f"{number:02d}-{view.step}"))
    assert len(saved) == len(views[language]) == len(set(saved))
    for path in saved:
        with Image.open(path) as picture:
            assert picture.size[0] == DISPLAY.width_px, path.name
