"""The Kivy application of the touch channel, and `run_touch` for kiosk/__main__.py."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, TypeVar

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.floatlayout import FloatLayout

from kiosk.screens.devices import Ears, Printer, Speaker
from kiosk.screens.display import Display
from kiosk.screens.look import Look
from kiosk.screens.session import Session
from kiosk.workflows.flow import Flow

Result = TypeVar("Result")


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
    ears: Ears | None = None,
    display: Display | None = None,
    idle: dict[str, float] | None = None,
    mode: Callable[[], Hashable] = lambda: None,
) -> Root:
    """The whole touch screen as one widget (the App's root; tests put it in their window).
    `mode` says what kind of session `new_flow` gives now: when it changes (a workshop set
    or ended by a counsellor), the session restarts as soon as no real person is cut."""
    root = Root()
    look = Look(display or Display())
    devices = {"speaker": speaker, "printer": printer, "ears": ears}
    root.session = Session(new_flow, root, look, **devices, idle=idle, mode=mode)
    return root


def on_screen(task: Callable[[], Result]) -> Result:
    """Runs `task` on Kivy's thread, for another thread (the microphone's), and waits for it."""
    done = threading.Event()
    outcome: list[Any] = []

    def run(_: float) -> None:
        try:
            outcome.append((True, task()))
        except BaseException as error:  # given back to the waiting thread, raised there
            outcome.append((False, error))
        finally:
            done.set()

    Clock.schedule_once(run, 0)
    done.wait()
    ((ok, value),) = outcome
    if not ok:
        raise value
    return value


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
        ears: Ears | None = None,
        display: Display | None = None,
        fullscreen: bool = True,
        idle: dict[str, float] | None = None,
        mode: Callable[[], Hashable] = lambda: None,
    ) -> None:
        super().__init__()
        self.new_flow, self.speaker, self.printer, self.ears = new_flow, speaker, printer, ears
        self.display, self.fullscreen, self.idle = display or Display(), fullscreen, idle
        self.mode = mode

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
            ears=self.ears,
            display=self.display,
            idle=self.idle,
            mode=self.mode,
        )

    def on_stop(self) -> None:
        """The kiosk closes: the person at it is signed out and wiped like at any end."""
        self.root.session.flow.stop()
        self.root.session.close()


def run_touch(
    new_flow: Callable[[], Flow],
    *,
    speaker: Speaker | None = None,
    printer: Printer | None = None,
    ears: Ears | None = None,
    display: Display | None = None,
    fullscreen: bool = True,
    mode: Callable[[], Hashable] = lambda: None,
) -> None:
    devices = {"speaker": speaker, "printer": printer, "ears": ears}
    KioskApp(new_flow, **devices, display=display, fullscreen=fullscreen, mode=mode).run()
