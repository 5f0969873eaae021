"""Pictogram names of the journeys (Material Symbols names) → glyphs of the shipped icon font.

The workflows name pictograms as in Material Symbols; the shipped font is the older Material
Icons set. The few names it lacks are drawn with the nearest icon it has (`NEAREST`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
ICON_FONT = str(FONTS / "MaterialIcons-Regular.ttf")
CODEPOINTS = FONTS / "MaterialIcons-codepoints.txt"

# Material Symbols names used by the journeys that Material Icons lacks: the nearest it has.
NEAREST = {
    "calendar_add_on": "edit_calendar",
    "cardiology": "monitor_heart",
    "dentistry": "sentiment_satisfied",
    "dermatology": "back_hand",
    "endocrinology": "bloodtype",
    "eyeglasses": "visibility",
    "footprint": "directions_walk",
    "gastroenterology": "restaurant",
    "neurology": "psychology",
    "no": "close",
    "orthopedics": "accessibility_new",
    "physical_therapy": "sports_gymnastics",
    "pulmonology": "air",
    "radiology": "medical_information",
    "stethoscope": "medical_services",
    "yes": "check",
}


@cache
def codepoints() -> dict[str, str]:
    pairs = (line.split() for line in CODEPOINTS.read_text(encoding="ascii").splitlines())
    return {name: chr(int(code, 16)) for name, code in pairs}


def glyph(name: str | None) -> str | None:
    """The character drawing this pictogram in ICON_FONT, or None if there is none."""
    if not name:
        return None
    return codepoints().get(NEAREST.get(name, name))
