"""A date chosen with large buttons: day, month by its name, year. Nothing to type.

The answer is {"day", "month", "year"}: the workflows' date parser checks it, so "30 février"
gets its own clear message instead of a silent fix.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from babel.dates import get_month_names
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, option_buttons, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, Text, follow, row
from kiosk.workflows.flow import View

START = {"day": 1, "month": 1, "year": 1960}
LIMITS = {"day": (1, 31), "month": (1, 12), "year": (1900, 2100)}


def picked(value: Any) -> dict[str, int]:
    """The date to start from: a draft, an answer given before (ISO or parts), or START."""
    if isinstance(value, dict) and all(str(value.get(k, "")).isdigit() for k in START):
        return {k: int(value[k]) for k in START}
    if isinstance(value, str):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return dict(START)
        return {"day": day.day, "month": day.month, "year": day.year}
    return dict(START)


def render_date(view: View, look: Look, events: Events) -> Widget:
    chosen = picked(events.draft if events.draft is not None else view.value)
    months = get_month_names("wide", context="stand-alone", locale=view.language)
    box = BoxLayout(orientation="vertical", spacing=look.gap)
    for line in view.lines:
        box.add_widget(Text(line, look))
    shown: dict[str, Text] = {}

    def name(part: str) -> str:
        return months[chosen[part]] if part == "month" else str(chosen[part])

    def move(part: str, by: int) -> None:
        low, high = LIMITS[part]
        chosen[part] = min(high, max(low, chosen[part] + by))
        shown[part].say(name(part))
        events.typed(dict(chosen), name(part))

    for part, label, steps in (
        ("day", words.DAY, (1,)),
        ("month", words.MONTH, (1,)),
        ("year", words.YEAR, (10, 1)),
    ):
        shown[part] = Text(
            name(part), look, role="field", bold=True, align="center", size=look.title_font
        )
        less = [
            Tap(f"−{by}" if by > 1 else "−", look, lambda p=part, b=by: move(p, -b), style="key")
            for by in steps
        ]
        more = [
            Tap(f"+{by}" if by > 1 else "+", look, lambda p=part, b=by: move(p, b), style="key")
            for by in reversed(steps)
        ]
        for tap in (*less, *more):
            tap.fit_width().size_hint_y = 1
            tap.width = max(tap.width, look.target * 1.6)
        heading = Text(t(view, label), look, size_hint_x=None, width=look.target * 3)
        parts = [heading, *less, shown[part], *more]
        box.add_widget(follow(row(look, parts, size_hint_y=None), parts, look.target))
    events.typed(dict(chosen), None)
    validate = Tap(
        t(view, words.CONTINUE),
        look,
        lambda: events.answer(dict(chosen)),
        pictogram="check",
        style="primary",
    )
    parts = [*option_buttons(view, look, events), validate]
    for part in parts:
        part.size_hint_y = 1
    box.add_widget(follow(row(look, parts, size_hint_y=None), parts, look.target))
    box.add_widget(Widget())
    return box
