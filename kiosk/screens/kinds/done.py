"""The end of a journey: the summary, a QR code for the phone's calendar, "Imprimer"."""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.widget import Widget

from kiosk.screens import words
from kiosk.screens.kinds.base import Events, lines_of, option_buttons, paged, t
from kiosk.screens.look import Look
from kiosk.screens.qr import qr_texture
from kiosk.screens.widgets import Tap, Text, meter, paint, row
from kiosk.workflows.flow import View


class Code(Image):
    """The QR code, on white whatever the theme, so every phone can read it."""

    def __init__(self, calendar: str, look: Look) -> None:
        super().__init__(texture=qr_texture(calendar), fit_mode="contain")
        self.role, self.words, self.calendar = "picture", "", calendar


def render_done(view: View, look: Look, events: Events) -> Widget:
    ticket = view.ticket
    summary = paged(view, look)
    lines_of(view, look, summary)
    if ticket is not None and events.can_print:
        summary.add(
            Tap(t(view, words.PRINT), look, events.print_ticket, pictogram="print", style="primary")
        )
    for button in option_buttons(view, look, events):
        summary.add(button)
    if ticket is None or not ticket.calendar:
        return summary
    caption = Text(ticket.caption, look, colour=(0, 0, 0), align="center")
    ruler = meter(caption.font_name, caption.font_size)
    widest = max(ruler.get_extents(word)[0] for word in caption.text.split())
    side = BoxLayout(
        orientation="vertical",
        size_hint_x=None,
        width=max(look.target * 5, widest + look.gap),  # no word of the caption is cut
        spacing=look.gap,
    )
    paint(side, (1, 1, 1))
    side.add_widget(Code(ticket.calendar, look))
    side.add_widget(caption)  # the code takes the height the caption leaves
    return row(look, [summary, side])
