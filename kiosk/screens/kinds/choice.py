"""Choices (at most 5 big buttons and "Plus de choix"), yes/no, and information screens."""

from __future__ import annotations

from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, lines_of, option_buttons, paged, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, row
from kiosk.workflows.flow import View

YES_NO_ICONS = {True: "check", False: "close"}


def render_choice(view: View, look: Look, events: Events) -> Widget:
    column = paged(view, look)
    lines_of(view, look, column)
    for button in option_buttons(view, look, events):
        column.add(button)
    if view.more:
        column.add(
            Tap(
                t(view, words.MORE_CHOICES), look, events.more, pictogram="expand_more", style="key"
            )
        )
    return column


def render_yes_no(view: View, look: Look, events: Events) -> Widget:
    column = paged(view, look)
    lines_of(view, look, column)
    buttons = [
        Tap(
            option.label,
            look,
            lambda n=number: events.choose(n),
            pictogram=YES_NO_ICONS.get(option.value, option.pictogram),  # type: ignore[arg-type]
            size=round(look.font * 1.3),
            size_hint_y=1,
            option=number,
        )
        for number, option in enumerate(view.options, 1)
    ]
    column.add(row(look, buttons, size_hint_y=None, height=look.target * 2))
    return column


def render_info(view: View, look: Look, events: Events) -> Widget:
    column = paged(view, look)
    lines_of(view, look, column)
    buttons = option_buttons(view, look, events) or [
        Tap(
            t(view, words.CONTINUE),
            look,
            lambda: events.answer(True),
            pictogram="arrow_forward",
            style="primary",
        )
    ]
    for button in buttons:
        column.add(button)
    return column
