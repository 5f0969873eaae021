"""Free times: the days as large tabs, the times of the chosen day as large buttons."""

from __future__ import annotations

from kivy.uix.gridlayout import GridLayout
from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, lines_of, paged, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, follow, row
from kiosk.workflows.flow import View


def render_slot(view: View, look: Look, events: Events) -> Widget:
    days = list(dict.fromkeys(o.group or o.label for o in view.options))
    day = events.draft if events.draft in days else (days[0] if days else None)
    column = paged(view, look)
    lines_of(view, look, column)
    tabs = [
        Tap(
            name,
            look,
            lambda d=name: events.typed(d, d),
            pictogram="today",
            style="button" if name == day else "key",
            role="tab",
            size_hint_y=1,
        )
        for name in days
    ]
    if tabs:
        column.add(follow(row(look, tabs, size_hint_y=None), tabs, look.target))
    times = GridLayout(cols=3, spacing=look.gap, size_hint_y=None)
    times.bind(minimum_height=times.setter("height"))
    shown = [(n, o) for n, o in enumerate(view.options, 1) if (o.group or o.label) == day]
    for number, option in reversed(shown) if look.rtl else shown:
        times.add_widget(
            Tap(
                option.short or option.label,
                look,
                lambda n=number: events.choose(n),
                pictogram="schedule",
                size=look.title_font,
                option=number,
            )
        )
    column.add(times)
    if view.more:
        column.add(
            Tap(t(view, words.MORE_SLOTS), look, events.more, pictogram="expand_more", style="key")
        )
    return column
