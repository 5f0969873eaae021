"""Typed answers: an AZERTY keyboard for words, a phone keypad for digits.

No auto-correction: what the person touched is what is sent. What was typed stays in the
field when the answer comes back with an error, and when the screen is redrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, option_buttons, paged, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, Text, follow, row
from kiosk.workflows.flow import View
from kiosk.workflows.formats import phone_words

AZERTY = ("azertyuiop", "qsdfghjklm", "wxcvbn'-")
ACCENTS = "éèêàçùôîïë"
KEYPAD = "123456789"
CURSOR = "_"


class Field(Text):
    """Where the typed answer appears, with a visible cursor."""

    def __init__(self, look: Look, shown: Callable[[str], str]) -> None:
        theme = look.theme
        super().__init__(
            "",
            look,
            role="field",
            colour=theme.field_text,
            background=theme.field,
            bold=True,
            size=look.title_font,
            align="center",
        )
        self.shown, self.value = shown, ""
        self.bind(height=self._tall)
        self.min_height = look.target

    def _tall(self, *_: object) -> None:
        self.height = max(self.min_height, self.texture_size[1])

    def set(self, value: str) -> None:
        self.value = value
        self.say(self.shown(value) + CURSOR)


def _start(view: View, events: Events) -> str:
    """The draft being typed, else the answer given before (back, or an error)."""
    if isinstance(events.draft, str):
        return events.draft
    return view.value if isinstance(view.value, str) else ""


def _top(view: View, look: Look, box: BoxLayout, field: Field) -> None:
    """The view's lines, then the field; the keys sit low, where hands are."""
    for line in view.lines:
        box.add_widget(Text(line, look))
    box.add_widget(field)
    if view.kind == "text":
        box.add_widget(Widget())


def _footer(view: View, look: Look, events: Events, field: Field) -> BoxLayout:
    """ "Continuer", and the options that can be touched instead of typing."""
    validate = Tap(
        t(view, words.CONTINUE),
        look,
        lambda: events.answer(field.value),
        pictogram="check",
        style="primary",
        size_hint_y=1,
    )
    others = option_buttons(view, look, events)
    for other in others:
        other.size_hint_y = 1
    if others:  # "Continuer" as wide as its word: the options' longer words get the rest
        validate.fit_width()
    parts = [*others, validate]
    return follow(row(look, parts, size_hint_y=None), parts, look.target)


def _keys(look: Look, letters: str, press: Callable[[str], None], cols: int) -> GridLayout:
    grid = GridLayout(cols=cols, spacing=look.gap // 2, size_hint_y=None, height=look.target)
    for letter in letters:  # a Latin keyboard keeps its order on an Arabic screen
        grid.add_widget(
            Tap(
                letter,
                look,
                lambda k=letter: press(k),
                style="key",
                role="key",
                size=look.but(step=0).font,  # keys keep the base size: the keyboard always fits
                size_hint_y=1,
            )
        )
    return grid


def render_text(view: View, look: Look, events: Events) -> Widget:
    box = BoxLayout(orientation="vertical", spacing=look.gap // 2)
    field = Field(look, lambda value: value)
    capitals = {"on": False}

    def show(value: str, said: str | None = None) -> None:
        field.set(value)
        events.typed(value, said)

    def press(key: str) -> None:
        letter = key.upper() if capitals["on"] else key
        capitals["on"] = False
        show(field.value + letter, letter)

    def delete() -> None:
        show(field.value[:-1], t(view, words.DELETE))

    def shift() -> None:
        capitals["on"] = not capitals["on"]

    field.set(_start(view, events))
    _top(view, look, box, field)
    box.add_widget(_keys(look, ACCENTS, press, len(ACCENTS)))
    for letters in AZERTY:
        box.add_widget(_keys(look, letters, press, len(AZERTY[0])))
    bottom = [
        Tap(t(view, words.CAPITALS), look, shift, pictogram="arrow_upward", style="key"),
        Tap(t(view, words.SPACE), look, lambda: press(" "), pictogram="space_bar", style="key"),
        Tap(t(view, words.DELETE), look, delete, pictogram="backspace", style="key"),
    ]
    for key in bottom:
        key.size_hint_y = 1
    box.add_widget(row(look, bottom, size_hint_y=None, height=look.target))
    box.add_widget(_footer(view, look, events, field))
    return box


def digits_of(value: Any) -> str:
    """The digits of a value given before: "+33612345678" is shown again as 06 12 34 56 78."""
    return phone_words(value).replace(" ", "") if isinstance(value, str) else ""


def render_digits(view: View, look: Look, events: Events) -> Widget:
    """The question's lines, the field and "Continuer" beside the keypad: side by side, they fit
    a landscape screen at every text size."""
    field = Field(look, phone_words)

    def show(value: str, said: str | None) -> None:
        field.set(value)
        events.typed(value, said)

    def press(key: str) -> None:
        show(field.value + key, key)

    def delete() -> None:
        show(field.value[:-1], t(view, words.DELETE))

    field.set(events.draft if isinstance(events.draft, str) else digits_of(view.value))
    left = paged(view, look)  # with help and a notice at A++, page buttons show the rest
    _top(view, look, left.box, field)
    left.add(_footer(view, look, events, field))
    key_size = look.but(step=0).font  # keys keep the base size: the keypad always fits
    pad = GridLayout(cols=3, spacing=look.gap // 2, size_hint=(None, None))
    pad.width, pad.height = look.target * 9, look.target * 3 + pad.spacing[1] * 2
    for key in KEYPAD:
        pad.add_widget(
            Tap(key, look, lambda k=key: press(k), style="key", role="key", size=key_size)
        )
    # The last row: 0, then "Effacer" twice as wide, for its word.
    last = row(
        look,
        [
            Tap("0", look, lambda: press("0"), style="key", role="key", size=key_size),
            Tap(
                t(view, words.DELETE),
                look,
                delete,
                pictogram="backspace",
                style="key",
                size=key_size,
                size_hint_x=2,
            ),
        ],
        size_hint=(None, None),
        width=pad.width,
        height=look.target,
    )
    side = BoxLayout(
        orientation="vertical", size_hint_x=None, width=pad.width, spacing=pad.spacing[1]
    )
    side.add_widget(pad)
    side.add_widget(last)
    side.add_widget(Widget())
    box = BoxLayout(orientation="horizontal", spacing=look.gap)
    for part in (side, left) if look.rtl else (left, side):
        box.add_widget(part)
    return box
