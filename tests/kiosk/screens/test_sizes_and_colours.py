"""Sizes from the screen and the distance; colours at 7:1; every pictogram drawable."""

from __future__ import annotations

import ast
import math
from pathlib import Path

import pytest
from kivy.core.text import Label as CoreLabel

from kiosk.screens.display import (
    CAP_HEIGHT_RATIO,
    Display,
    font_px,
    min_cap_height_mm,
    target_px,
)
from kiosk.screens.look import REGULAR
from kiosk.screens.pictograms import glyph
from kiosk.screens.theme import MIN_CONTRAST, THEMES, contrast, hex_colour
from kiosk.workflows.journeys.words import SPECIALTIES
from tests.kiosk.screens.conftest import Hand

WORKFLOWS = Path(__file__).resolve().parents[3] / "kiosk" / "workflows"


def test_capitals_need_6_1_mm_at_50_cm_and_7_3_mm_at_60_cm():
    assert min_cap_height_mm(50) == pytest.approx(6.1, abs=0.05)
    assert min_cap_height_mm(60) == pytest.approx(7.3, abs=0.05)


def cap_height_px(size: int) -> int:
    """Rows of ink of capital letters as Kivy draws them in DejaVu Sans."""
    label = CoreLabel(text="HEFT", font_size=size, font_name=REGULAR)
    label.refresh()
    width, height = label.texture.size
    pixels = label.texture.pixels
    inked = [
        y for y in range(height) if any(pixels[(y * width + x) * 4 + 3] > 127 for x in range(width))
    ]
    return inked[-1] - inked[0] + 1


def test_the_cap_height_ratio_is_the_one_kivy_draws(hand: Hand):
    assert cap_height_px(400) / 400 == pytest.approx(CAP_HEIGHT_RATIO, abs=0.005)


@pytest.mark.parametrize("distance", [50, 60, 70])
def test_the_font_size_makes_capitals_tall_enough_as_kivy_draws_them(hand: Hand, distance):
    display = Display(width_mm=344, width_px=1280, distance_cm=distance)
    assert cap_height_px(font_px(display)) / display.px_per_mm >= min_cap_height_mm(distance)


def test_text_steps_make_the_letters_bigger_and_targets_are_15_mm():
    display = Display(width_mm=527, width_px=1920, distance_cm=60)
    assert font_px(display, 0) < font_px(display, 1) < font_px(display, 2)
    assert target_px(display) / display.px_per_mm >= 15
    assert target_px(display) == math.ceil(15 * 1920 / 527)


def test_contrast_is_21_for_black_on_white_and_1_for_a_colour_on_itself():
    assert contrast(hex_colour("#000000"), hex_colour("#FFFFFF")) == pytest.approx(21)
    assert contrast(hex_colour("#0B3D91"), hex_colour("#0B3D91")) == pytest.approx(1)


@pytest.mark.parametrize("theme", THEMES, ids=lambda t: t.name)
def test_every_text_and_background_pair_reaches_7_to_1(theme):
    for name, (text, background) in theme.pairs().items():
        assert contrast(text, background) >= MIN_CONTRAST, name


def pictograms_of_the_journeys() -> set[str]:
    """Every pictogram name written in the workflows: steps, choices and options."""
    names = {picto for _, _, picto in SPECIALTIES}
    for source in WORKFLOWS.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            values = [k.value for k in node.keywords if k.arg == "pictogram"]
            if called in ("Choice", "Option") and len(node.args) >= 3:
                values.append(node.args[2])
            names |= {
                c.value
                for v in values
                for c in ast.walk(v)
                if isinstance(c, ast.Constant) and isinstance(c.value, str)
            }
    return names


def test_every_pictogram_of_every_journey_has_a_glyph():
    names = pictograms_of_the_journeys()
    assert {"calendar_add_on", "stethoscope", "yes", "home"} <= names
    assert [name for name in sorted(names) if glyph(name) is None] == []
