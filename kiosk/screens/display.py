"""Text and touch-target sizes from the screen's physical size and the viewing distance.

Sizes are not guessed in pixels: capital letters must span 0.7 degree of visual angle at the
configured distance (EN 301 549 5.1.4) and targets 15 mm (ACCESSIBILITY.md), whatever screen
the kiosk is installed on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

VISUAL_ANGLE_DEG = 0.7
TARGET_MM = 15.0
# Capital height / font size of DejaVu Sans as Kivy renders it (measured by a test: 1493/2048).
CAP_HEIGHT_RATIO = 0.729
TEXT_STEPS = (1.0, 1.25, 1.5)  # A, A+, A++


@dataclass(frozen=True)
class Display:
    """The screen as installed: physical width, pixel width, and where the person stands."""

    width_mm: float = 344.0  # a 15.6-inch 16:9 screen
    width_px: int = 1280
    distance_cm: float = 50.0

    @property
    def px_per_mm(self) -> float:
        return self.width_px / self.width_mm


def min_cap_height_mm(distance_cm: float) -> float:
    """Height a capital letter needs to subtend 0.7 degree: 6.1 mm at 50 cm."""
    return 2 * distance_cm * 10 * math.tan(math.radians(VISUAL_ANGLE_DEG / 2))


def font_px(display: Display, step: int = 0) -> int:
    """The font size whose capitals reach the minimum height, times the chosen text step."""
    cap_px = min_cap_height_mm(display.distance_cm) * display.px_per_mm
    return math.ceil(cap_px / CAP_HEIGHT_RATIO * TEXT_STEPS[step])


def target_px(display: Display) -> int:
    """The smallest side of anything a person touches."""
    return math.ceil(TARGET_MM * display.px_per_mm)
