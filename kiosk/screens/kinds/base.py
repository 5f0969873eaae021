"""What a renderer may do with a touch, and the pieces several renderers share."""

from __future__ import annotations

from typing import Any, Protocol

from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.look import Look
from kiosk.screens.widgets import Column, Tap, Text
from kiosk.workflows.flow import View
from kiosk.workflows.i18n import Message, phrase


class Events(Protocol):
    """The session a renderer reports to; each call becomes one Flow event (or a print)."""

    draft: Any  # what is being typed or picked, kept when the screen is redrawn
    can_print: bool

    def answer(self, value: Any) -> None: ...
    def choose(self, number: int) -> None: ...
    def more(self) -> None: ...
    def change(self, step: str) -> None: ...
    def print_ticket(self) -> None: ...
    def typed(self, draft: Any, said: str | None) -> None: ...


def t(view: View, message: Message, **params: object) -> str:
    return phrase(view.language, message, **params)


def paged(view: View, look: Look) -> Column:
    """A list with its page buttons in the view's language."""
    return Column(look, t(view, words.PAGE_UP), t(view, words.PAGE_DOWN))


def lines_of(view: View, look: Look, column: Column) -> None:
    for line in view.lines:
        column.add(Text(line, look))


def option_buttons(view: View, look: Look, events: Events) -> list[Widget]:
    """The view's options as large buttons: option n → choose(n)."""
    return [
        Tap(
            option.label,
            look,
            lambda n=number: events.choose(n),
            pictogram=option.pictogram,
            option=number,
            align="right" if look.rtl else "left",
        )
        for number, option in enumerate(view.options, 1)
    ]
