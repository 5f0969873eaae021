"""Text as it must be drawn: Arabic letters joined and laid right to left.

Kivy's text provider neither shapes Arabic nor reorders it, so the shaping is done here, on
the words only; the words given to speech stay in logical order. Arabic inside a French line
("English · العربية") is shaped too; text without Arabic letters is left as it is.
A value from elsewhere (an address "12 rue de Paris") is `isolated` so its number stays
with its words inside an Arabic sentence; the invisible marks are not drawn.
"""

from __future__ import annotations

import re

from arabic_reshaper import reshape
from bidi import get_display  # the full Unicode algorithm, with isolates

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_MARKS = re.compile("[\u200e\u200f\u2066-\u2069]")


def isolated(value: str) -> str:
    """The value laid out on its own, in the direction of its first letter."""
    return f"\u2068{value}\u2069"


def plain(text: str) -> str:
    """The words without the invisible marks that only steer the layout."""
    return _MARKS.sub("", text)


def drawn(text: str, rtl: bool) -> str:
    """The visual form of a logical string, line by line."""
    if not _ARABIC.search(text):  # "A++", or words not yet translated: left as written
        return plain(text)
    base = "R" if rtl else "L"
    lines = (get_display(reshape(line), base_dir=base) for line in text.split("\n"))
    return plain("\n".join(lines))
