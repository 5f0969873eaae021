"""How the current screen looks: sizes, colours, direction; rebuilt when the person changes them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from kiosk.screens.display import Display, font_px, target_px
from kiosk.screens.theme import HIGH_CONTRAST, NORMAL, Theme

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR = str(FONTS / "DejaVuSans.ttf")
BOLD = str(FONTS / "DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class Look:
    display: Display = field(default_factory=Display)
    step: int = 0  # text size: 0 = A, 1 = A+, 2 = A++
    high_contrast: bool = False
    rtl: bool = False

    @property
    def theme(self) -> Theme:
        return HIGH_CONTRAST if self.high_contrast else NORMAL

    @property
    def font(self) -> int:
        return font_px(self.display, self.step)

    @property
    def title_font(self) -> int:
        return round(self.font * 1.2)

    @property
    def target(self) -> int:
        return target_px(self.display)

    @property
    def gap(self) -> int:
        """Space between targets, so a shaky finger does not touch the neighbour."""
        return max(8, self.target // 6)

    def but(self, **changes: object) -> Look:
        return replace(self, **changes)  # type: ignore[arg-type]
