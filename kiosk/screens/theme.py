"""Colour sets, each text/background pair at least 7:1 (WCAG 2.2 1.4.6, AAA)."""

from __future__ import annotations

from dataclasses import dataclass

Colour = tuple[float, float, float]

MIN_CONTRAST = 7.0


def hex_colour(code: str) -> Colour:
    code = code.lstrip("#")
    return tuple(int(code[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(colour: Colour) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: Colour, b: Colour) -> float:
    """The WCAG contrast ratio, from 1 (same colour) to 21 (black on white)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Theme:
    """Each `*_text` is drawn on the background of the same name."""

    name: str
    background: Colour
    text: Colour
    button: Colour
    button_text: Colour
    primary: Colour  # the one action that moves on: Continuer, Confirmer
    primary_text: Colour
    key: Colour  # keyboard keys and the secondary buttons of the frame
    key_text: Colour
    field: Colour  # where typed text appears
    field_text: Colour
    error: Colour
    error_text: Colour
    notice: Colour
    notice_text: Colour
    border: Colour

    def pairs(self) -> dict[str, tuple[Colour, Colour]]:
        """(text, background) of every pair drawn, for the contrast test and the audit."""
        return {
            "text": (self.text, self.background),
            "button": (self.button_text, self.button),
            "primary": (self.primary_text, self.primary),
            "key": (self.key_text, self.key),
            "field": (self.field_text, self.field),
            "error": (self.error_text, self.error),
            "notice": (self.notice_text, self.notice),
        }


NORMAL = Theme(
    name="normal",
    background=hex_colour("#FFFFFF"),
    text=hex_colour("#1A1A1A"),
    button=hex_colour("#0B3D91"),
    button_text=hex_colour("#FFFFFF"),
    primary=hex_colour("#11592B"),
    primary_text=hex_colour("#FFFFFF"),
    key=hex_colour("#E8ECF2"),
    key_text=hex_colour("#10213F"),
    field=hex_colour("#FFFBE6"),
    field_text=hex_colour("#111111"),
    error=hex_colour("#FDECEC"),
    error_text=hex_colour("#8A1010"),
    notice=hex_colour("#E6F0FB"),
    notice_text=hex_colour("#0B2E66"),
    border=hex_colour("#1A1A1A"),
)

HIGH_CONTRAST = Theme(
    name="high_contrast",
    background=hex_colour("#000000"),
    text=hex_colour("#FFFFFF"),
    button=hex_colour("#000000"),
    button_text=hex_colour("#FFFF00"),
    primary=hex_colour("#FFFF00"),
    primary_text=hex_colour("#000000"),
    key=hex_colour("#1A1A1A"),
    key_text=hex_colour("#FFFFFF"),
    field=hex_colour("#000000"),
    field_text=hex_colour("#FFFF00"),
    error=hex_colour("#000000"),
    error_text=hex_colour("#FF9E9E"),
    notice=hex_colour("#000000"),
    notice_text=hex_colour("#9FE0FF"),
    border=hex_colour("#FFFFFF"),
)

THEMES = (NORMAL, HIGH_CONTRAST)
