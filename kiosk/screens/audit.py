"""The accessibility audit of a drawn screen: pure checks over its widget tree.

Each check reads what is actually on the screen (font sizes, colours drawn, sizes laid out,
words shown) and returns what is wrong, as `Finding`s; an empty list means the screen passes.
The criteria are those of ../shared/design/ACCESSIBILITY.md: contrast 7:1, capitals of 0.7
degree, targets of 15 mm, at most 5 choices, every word through gettext, nothing cut off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter

from babel.dates import get_month_names
from babel.messages.pofile import read_po
from kivy.core.text import Label as CoreLabel
from kivy.graphics import Color, Rectangle
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.screens.display import CAP_HEIGHT_RATIO, TARGET_MM, Display, min_cap_height_mm
from kiosk.screens.frame import SIZES
from kiosk.screens.kinds.date import picked
from kiosk.screens.kinds.keyboard import ACCENTS, AZERTY, CURSOR, KEYPAD, digits_of
from kiosk.screens.look import BOLD, REGULAR
from kiosk.screens.theme import MIN_CONTRAST, Colour, contrast
from kiosk.screens.widgets import Column, walk
from kiosk.screens.writing import plain
from kiosk.workflows.flow import PAGE, View
from kiosk.workflows.formats import phone_words
from kiosk.workflows.i18n import LOCALES, SOURCE

TOUCHED = {"button", "key", "tab"}  # roles a person touches
SLACK = 1.0  # pixels: rounding of layouts
# The named exceptions to "every word comes from gettext": symbols that are the same in
# every language (text sizes, the date's steps) and the single characters of the keys.
SYMBOLS = {*SIZES, "+", "−", "+10", "−10"}
KEYS = {*"".join(AZERTY), *ACCENTS, *KEYPAD, "0"}


@dataclass(frozen=True)
class Finding:
    rule: str  # contrast, capitals, target, choices, gettext, cut, reach
    what: str  # the widget: its role and words
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.what}: {self.detail}"


def audit(screen: Widget, view: View, display: Display) -> list[Finding]:
    """Every finding on a drawn screen (laid out, textures up to date)."""
    shown = [w for w in walk(screen) if _opacity(w) > 0]
    texts = [w for w in shown if isinstance(w, Label) and w.role != "picture"]
    return [
        *contrasts(shown),
        *capitals(texts, display),
        *targets(shown, display),
        *choices(shown),
        *outside_gettext(texts, view),
        *cut_off(shown, screen),
        *unreachable(shown),
    ]


def _name(widget: Widget) -> str:
    return f"{widget.role} {widget.words!r}" if widget.words else widget.role


def _lineage(widget: Widget) -> Iterator[Widget]:
    """The widget, then its parents up to the window (whose parent is itself)."""
    here: Widget | None = widget
    while here is not None:
        yield here
        if here.parent is here:
            return
        here = here.parent


def _opacity(widget: Widget) -> float:
    seen = 1.0
    for here in _lineage(widget):
        seen *= here.opacity
    return seen


# ------------------------------------------------------------------- contrast


def background(widget: Widget) -> Colour:
    """The colour painted under a widget: the first flat rectangle of it or of its parents."""
    for here in _lineage(widget):
        colour = None
        for instruction in here.canvas.before.children:
            if isinstance(instruction, Color):
                colour = tuple(instruction.rgb)
            elif isinstance(instruction, Rectangle) and colour is not None:
                return colour  # type: ignore[return-value]
    return (0.0, 0.0, 0.0)  # the window's own black


def drawn_colour(widget: Label) -> Colour:
    """The text colour as seen: blended with the background when not fully opaque."""
    alpha = widget.color[3] * _opacity(widget)
    under = background(widget)
    return tuple(alpha * c + (1 - alpha) * b for c, b in zip(widget.color[:3], under, strict=True))  # type: ignore[return-value]


def contrasts(shown: list[Widget]) -> Iterator[Finding]:
    """Words and pictograms against what is painted under them: at least 7:1."""
    for widget in shown:
        if isinstance(widget, Label) and widget.text.strip():
            ratio = contrast(drawn_colour(widget), background(widget))
            if ratio < MIN_CONTRAST:
                yield Finding("contrast", _name(widget), f"{ratio:.2f}:1")


# ------------------------------------------------------------------- capitals


def cap_height_mm(widget: Label, display: Display) -> float:
    return float(widget.font_size) * CAP_HEIGHT_RATIO / display.px_per_mm


def capitals(texts: list[Label], display: Display) -> Iterator[Finding]:
    """Capital letters of 0.7 degree at the viewing distance, in DejaVu Sans (the ratio's font)."""
    needed = min_cap_height_mm(display.distance_cm)
    for widget in texts:
        if not widget.text.strip():
            continue
        if widget.font_name not in (REGULAR, BOLD):
            yield Finding("capitals", _name(widget), f"font {widget.font_name} is not DejaVu Sans")
        elif (height := cap_height_mm(widget, display)) < needed - 0.01:
            yield Finding("capitals", _name(widget), f"{height:.2f} mm < {needed:.2f} mm")


# -------------------------------------------------------- targets and choices


def targets(shown: list[Widget], display: Display) -> Iterator[Finding]:
    """Everything touched is at least 15 mm wide and high."""
    for widget in shown:
        if widget.role in TOUCHED and not widget.disabled:
            width, height = (side / display.px_per_mm for side in widget.size)
            if min(width, height) < TARGET_MM - 0.01:
                yield Finding("target", _name(widget), f"{width:.1f} x {height:.1f} mm")


def choices(shown: list[Widget]) -> Iterator[Finding]:
    """At most 5 of the view's options at once (the frame's buttons are not choices)."""
    options = [w for w in shown if getattr(w, "option", None) is not None]
    if len(options) > PAGE:
        yield Finding("choices", "screen", f"{len(options)} options shown")


# -------------------------------------------------------------------- gettext


@cache
def catalogue(language: str) -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    """What the catalogue (locales/kiosk.pot) can show in a language: exact sentences, and
    patterns for those with {placeholders}. Untranslated messages are left out, so French
    words on an English screen are findings."""
    with (LOCALES / "kiosk.pot").open("rb") as source:
        template = read_po(source)
    translated: dict[object, object] = {}
    po = Path(LOCALES / language / "LC_MESSAGES" / "kiosk.po")
    if language != SOURCE and po.exists():
        with po.open("rb") as source:
            translated = {m.id: m.string for m in read_po(source, locale=language) if m.id}
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in template:
        if not message.id:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        if language != SOURCE:
            said = translated.get(message.id)
            forms = said if isinstance(said, tuple) else (said,)
            if not all(forms):
                continue
        for form in forms:
            if "{" in form:
                patterns.append(_pattern(form))
            exact.add(form)
    return frozenset(exact), tuple(patterns)


def _pattern(template: str) -> re.Pattern[str]:
    parts = [
        re.escape(text) + ("(.+?)" if name is not None else "")
        for text, name, _, _ in Formatter().parse(template)
    ]
    return re.compile("".join(parts) + r"\Z", re.S)


def view_texts(view: View) -> set[str]:
    """Every sentence the view itself gives, already in its language."""
    texts = {*view.texts(), view.help, view.progress_text or "", *view.hints}
    texts.add(" ".join(view.workshop))  # the workshop's band
    for option in view.options:
        texts |= {option.label, option.short or "", option.group or ""}
    return texts - {""}


def typed_texts(view: View) -> set[str]:
    """What a field may show: the person's own answer (as typed, phone grouped, with the
    cursor), or the parts of a date: day and year in digits, the month by its CLDR name."""
    typed = view.value if isinstance(view.value, str) else ""
    shown = {typed, phone_words(digits_of(view.value)), ""}
    parts = picked(view.value)
    month = get_month_names("wide", context="stand-alone", locale=view.language)[parts["month"]]
    return {s + CURSOR for s in shown} | {str(parts["day"]), str(parts["year"]), month}


def outside_gettext(texts: list[Label], view: View) -> Iterator[Finding]:
    """Every word shown is the view's, the catalogue's in the view's language, the person's
    own answer in a field, or a named exception (SYMBOLS, KEYS)."""
    exact, patterns = catalogue(view.language)
    ours, typed = view_texts(view), typed_texts(view)
    for widget in texts:
        if getattr(widget, "words", None) is None:
            yield Finding(
                "gettext", "label", f"a label outside the kiosk's widgets: {widget.text!r}"
            )
            continue
        said = plain(widget.words)
        if not said or said in ours or said in exact or said in SYMBOLS:
            continue
        if widget.role == "field" and said in typed:
            continue
        if widget.role == "label" and getattr(widget.parent, "role", "") == "key" and said in KEYS:
            continue
        if any(p.match(said) for p in patterns):
            continue
        untranslated = view.language != SOURCE and said in catalogue(SOURCE)[0]
        why = f"not translated into {view.language}" if untranslated else "not from gettext"
        yield Finding("gettext", _name(widget), why)


# --------------------------------------------------------------- cut and reach


def _inside(widget: Widget, box: Widget) -> bool:
    return (
        widget.x >= box.x - SLACK
        and widget.y >= box.y - SLACK
        and widget.right <= box.right + SLACK
        and widget.top <= box.top + SLACK
    )


def cut_off(shown: list[Widget], screen: Widget) -> Iterator[Finding]:
    """Nothing is shortened, wider than its place, broken inside a word, or laid out beyond
    what holds it (a list's content may run past its window: the page buttons reach it)."""
    for widget in shown:
        if isinstance(widget, Label) and widget.text.strip():
            yield from _label_cut(widget)
        for holder in list(_lineage(widget))[1:]:
            if isinstance(holder, ScrollView) or holder is screen.parent:
                break
            if not _inside(widget, holder):
                yield Finding("cut", _name(widget), f"beyond its {type(holder).__name__}")
                break


def _label_cut(widget: Label) -> Iterator[Finding]:
    width, height = widget.texture_size
    if widget.shorten or ("…" in widget.text and "…" not in widget.words):
        yield Finding("cut", _name(widget), "shortened")
    if width > widget.width + SLACK or height > widget.height + SLACK:
        yield Finding("cut", _name(widget), f"text {width}x{height} in {widget.size}")
    room = widget.text_size[0]
    if room is None:
        return
    meter = CoreLabel(font_name=widget.font_name, font_size=widget.font_size)
    for word in widget.text.split():
        if meter.get_extents(word)[0] > room + SLACK:
            yield Finding("cut", _name(widget), f"{word!r} is wider than its line")


def unreachable(shown: list[Widget]) -> Iterator[Finding]:
    """A list taller than its space shows its page buttons, and they are large targets."""
    for widget in shown:
        if isinstance(widget, Column) and widget.overflows and widget.pager.parent is None:
            yield Finding("reach", "list", "taller than the screen without page buttons")
