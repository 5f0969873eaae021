"""The summary card before booking: each item with "Modifier", and one "Confirmer"."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, lines_of, paged, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, Text, follow, paint, row
from kiosk.screens.writing import isolated
from kiosk.workflows.flow import View


def render_review(view: View, look: Look, events: Events) -> Widget:
    column = paged(view, look)
    lines_of(view, look, column)
    card = BoxLayout(orientation="vertical", size_hint_y=None, padding=look.gap, spacing=look.gap)
    card.bind(minimum_height=card.setter("height"))
    paint(card, look.theme.background, look.theme.border, width=3)
    for item in view.review:
        said = Text(f"{item.label} : {isolated(item.value)}", look)
        parts: list[Widget] = [said]
        if item.change:
            change = Tap(
                t(view, words.CHANGE),
                look,
                lambda step=item.change: events.change(step),
                pictogram="edit",
                style="key",
                size_hint_y=1,
            )
            parts.append(change.fit_width())
        card.add_widget(follow(row(look, parts, size_hint_y=None), parts, look.target))
    column.add(card)
    column.add(
        Tap(
            t(view, words.CONFIRM),
            look,
            lambda: events.answer(True),
            pictogram="check",
            style="primary",
        )
    )
    return column
