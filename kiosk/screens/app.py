"""The Kivy application of the touch channel, and `run_touch` for kiosk/__main__.py."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import replace

from kivy.app import App
from kivy.core.window import Window
from kivy.uix.floatlayout import FloatLayout

from kiosk.screens.devices import Printer, Speaker
from kiosk.screens.display import Display
from kiosk.screens.look import Look
from kiosk.screens.session import Session
from kiosk.workflows.flow import Flow


class Root(FloatLayout):
    """Sees every touch first: speech stops and the idle watch restarts, then the touch goes on."""

    session: Session | None = None

    def on_touch_down(self, touch: object) -> bool:
        if self.session is not None:
            self.session.touched()
        return super().on_touch_down(touch)


def build_root(
    new_flow: Callable[[], Flow],
    *,
    speaker: Speaker | None = None,
    printer: Printer | None = None,
    display: Display | None = None,
    idle: dict[str, float] | None = None,
) -> Root:
    """The whole touch screen as one widget (the App's root; tests put it in their window)."""
    root = Root()
    root.session = Session(
        new_flow, root, Look(display or Display()), speaker=speaker, printer=printer, idle=idle
    )
    return root


def collect_between_screens() -> None:
    """Each screen is a tree of reference cycles (parents and children, drawing callbacks),
    freed only by Python's full collections: 100 to 250 ms that fell in the middle of drawing
    the next step. The kiosk turns automatic collection off and collects once each new screen
    is drawn (Session.redraw), while the person reads it."""
    gc.freeze()
    gc.disable()


class KioskApp(App):
    title = "Borne de rendez-vous"

    def __init__(
        self,
        new_flow: Callable[[], Flow],
        *,
        speaker: Speaker | None = None,
        printer: Printer | None = None,
        display: Display | None = None,
        fullscreen: bool = True,
        idle: dict[str, float] | None = None,
    ) -> None:
        super().__init__()
        self.new_flow, self.speaker, self.printer = new_flow, speaker, printer
        self.display, self.fullscreen, self.idle = display or Display(), fullscreen, idle

    def build(self) -> Root:
        collect_between_screens()
        if self.fullscreen:
            Window.fullscreen = "auto"
        # Sizes are millimetres on the glass: count them with the window's real pixels.
        self.display = replace(self.display, width_px=Window.width)
        return build_root(
            self.new_flow,
            speaker=self.speaker,
            printer=self.printer,
            display=self.display,
            idle=self.idle,
        )

    def on_stop(self) -> None:
        """The kiosk closes: the person at it is signed out and wiped like at any end."""
        self.root.session.flow.stop()


def run_touch(
    new_flow: Callable[[], Flow],
    *,
    speaker: Speaker | None = None,
    printer: Printer | None = None,
    display: Display | None = None,
    fullscreen: bool = True,
) -> None:
    KioskApp(
        new_flow, speaker=speaker, printer=printer, display=display, fullscreen=fullscreen
    ).run()
