"""Text as it must be drawn: Arabic letters joined and laid right to left.

Kivy's text provider neither shapes Arabic nor reorders it, so the shaping is done here, on
the words only; the words given to speech stay in logical order. Arabic inside a French line
("English · العربية") is shaped too; text without Arabic letters is left as it is.
"""

from __future__ import annotations

import re

from arabic_reshaper import reshape
from bidi.algorithm import get_display

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def drawn(text: str, rtl: bool) -> str:
    """The visual form of a logical string, line by line."""
    if not _ARABIC.search(text):  # "A++", or words not yet translated: left as written
        return text
    base = "R" if rtl else "L"
    return "\n".join(get_display(reshape(line), base_dir=base) for line in text.split("\n"))
