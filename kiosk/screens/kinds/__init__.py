"""One renderer per step kind: `render(view, look, events) -> Widget`.

Renderers only draw a View and turn touches into `Events`; they keep no journey state.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.uix.widget import Widget

from kiosk.screens.kinds import choice, date, done, keyboard, review, slot
from kiosk.screens.kinds.base import Events
from kiosk.screens.look import Look
from kiosk.workflows.flow import View
from kiosk.workflows.steps import Kind

Renderer = Callable[[View, Look, Events], Widget]

RENDERERS: dict[Kind, Renderer] = {
    Kind.CHOICE: choice.render_choice,
    Kind.YES_NO: choice.render_yes_no,
    Kind.INFO: choice.render_info,
    Kind.TEXT: keyboard.render_text,
    Kind.DIGITS: keyboard.render_digits,
    Kind.DATE: date.render_date,
    Kind.SLOT: slot.render_slot,
    Kind.REVIEW: review.render_review,
    Kind.DONE: done.render_done,
}


def render(view: View, look: Look, events: Events) -> Widget:
    return RENDERERS[view.kind](view, look, events)
