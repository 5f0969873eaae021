"""One person at the screen: turns touches into Flow events, draws each View, speaks it,
watches for idleness, and wipes everything when the person leaves."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.widget import Widget

from kiosk.screens import frame, words
from kiosk.screens.devices import Ears, Printer, Speaker, print_failure
from kiosk.screens.idle import IdleGuard
from kiosk.screens.kinds.base import t
from kiosk.screens.look import Look
from kiosk.workflows.flow import GOODBYE, Flow, View
from kiosk.workflows.services import Offline, ServiceError
from kiosk.workflows.steps import INPUT_KINDS

NEWS_SECONDS = 1.0  # how soon "Camille arrive", a workshop or a reset reach the screen
EXERCISE_PHONE_SECONDS = 3.0  # how often the exercise phone looks for a new SMS


class Session:
    def __init__(
        self,
        new_flow: Callable[[], Flow],
        root: FloatLayout,
        look: Look,
        *,
        speaker: Speaker | None = None,
        printer: Printer | None = None,
        ears: Ears | None = None,
        idle: dict[str, float] | None = None,
        mode: Callable[[], Hashable] = lambda: None,
    ) -> None:
        self.new_flow, self.root, self.base, self.mode = new_flow, root, look, mode
        self.speaker, self.printer, self.ears = speaker, printer, ears
        self.guard = IdleGuard(self._warn, self._tick, self.wipe, **(idle or {}))
        self.screen: Widget | None = None
        self.cover: Widget | None = None
        self._phone_asked = 0.0
        self._start(self.new_flow())
        self._watch = Clock.schedule_interval(self._news, NEWS_SECONDS)

    def close(self) -> None:
        """The screen goes away: stop watching for news and for idleness."""
        self._watch.cancel()
        self.guard.disarm()

    # ------------------------------------------------------------- state

    def _start(self, flow: Flow, message: str | None = None) -> None:
        """A fresh session: new flow, default look, nothing typed, nothing watched."""
        self.flow, self.look, self.started_in = flow, self.base, self.mode()
        self.draft: Any = None
        self.message: str | None = message
        self.private_aloud = False
        self.helper: str | None = None
        self.hint: str | None = None  # in a workshop: the hint asked for last
        self.exercise_sms: str | None = None  # in a workshop: the last SMS of the sandbox
        self.guard.disarm()
        self.show(flow.view(), speak=False)
        self._listen_here()

    @property
    def can_listen(self) -> bool:
        return self.speaker is not None

    @property
    def can_say_private(self) -> bool:
        return self.speaker is not None and not self.private_heard

    @property
    def private_heard(self) -> bool:
        """Private data may be spoken: into a headset, or because the person chose it."""
        return self.speaker is not None and (self.speaker.headset or self.private_aloud)

    @property
    def can_print(self) -> bool:
        return self.printer is not None

    def _news(self, _dt: float = 0) -> None:
        self._helper_news()
        self._mode_news()
        self._exercise_phone_news()

    def _mode_news(self) -> None:
        """A counsellor set or ended a workshop, or restarted its exercise: an exercise is cut
        at once; a real person's session is never cut, the change waits for its end."""
        if self.mode() == self.started_in:
            return
        if self.flow.exercise is None and self.flow.state.history:
            return
        self.flow.stop()
        self._ended()

    def _exercise_phone_news(self) -> None:
        """In a workshop, the SMS the sandbox kept for this session's number, asked in a
        thread so the screen never waits for the network."""
        now = time.monotonic()
        if self.flow.exercise is None or now - self._phone_asked < EXERCISE_PHONE_SECONDS:
            return
        self._phone_asked, flow = now, self.flow

        def ask() -> None:
            try:
                messages = flow.services.exercise_phone()
            except (Offline, ServiceError):
                return
            Clock.schedule_once(lambda _: self._show_sms(flow, messages[0] if messages else None))

        threading.Thread(target=ask, daemon=True, name="exercise-phone").start()

    def _show_sms(self, flow: Flow, sms: str | None) -> None:
        if flow is self.flow and sms != self.exercise_sms:
            self.exercise_sms = sms
            self.redraw()

    def _helper_news(self) -> None:
        """A counsellor answered the call for help (or finished): show it and say it."""
        helper = self.flow.services.helper_coming()
        if helper == self.helper:
            return
        self.helper = helper
        view = self.flow.view()
        if view.notice != self.view.notice:
            self.view = view
            self.redraw()
            if view.notice:
                self.speak([view.notice])

    # ------------------------------------------------------------ drawing

    def show(self, view: View, *, speak: bool = True) -> None:
        self.view = view
        self.look = self.look.but(rtl=view.rtl)
        self.redraw()
        if speak:
            self.speak()

    def redraw(self) -> None:
        """Draw the current view again (after A+, contrast, a message): what is typed stays."""
        if self.screen is not None:
            self.root.remove_widget(self.screen)
        self.screen = frame.build(self.view, self.look, self, self.message)
        self.root.add_widget(self.screen, index=len(self.root.children))
        if not gc.isenabled():  # see app.collect_between_screens
            Window.bind(on_flip=_collect_once_shown)

    def speak(self, texts: list[str] | None = None) -> None:
        if self.speaker is None:
            return
        self.speaker.say(texts or self.view.aloud(self.private_heard), self.view.language)

    # ------------------------------------------------------ flow events

    def touched(self) -> None:
        """Any touch: speech stops, and a new quiet minute starts."""
        if self.speaker is not None:
            self.speaker.stop()
        if not self.guard.warning:
            self.guard.touched()

    def _event(self, name: str, *args: Any) -> None:
        self.moved(getattr(self.flow, name)(*args))
        self._listen_here()

    def moved(self, view: View, *, speak: bool = True) -> None:
        """The flow went to `view`: by a touch, or by speech (whose reply is already said)."""
        if view.step != self.view.step:
            self.private_aloud = False
        self.draft, self.message = None, None
        if view.ended:
            self._ended()
            return
        self.show(view, speak=speak)

    def _listen_here(self) -> None:
        if self.ears is not None:
            self.ears.follow(self.flow, lambda view: self.moved(view, speak=False))

    def answer(self, value: Any) -> None:
        self._event("answer", value)

    def choose(self, number: int) -> None:
        self._event("choose", number)

    def more(self) -> None:
        self._event("more")

    def change(self, step: str) -> None:
        self._event("change", step)

    def back(self) -> None:
        self._event("back")

    def help(self) -> None:
        self._event("help")

    def typed(self, draft: Any, said: str | None) -> None:
        """A key or a picker touched: keep it, say it unless it is private on the loudspeaker."""
        self.draft = draft
        if said and (not self.view.private or self.private_heard):
            self.speak([said])
        if self.view.kind not in INPUT_KINDS:  # a tab chosen: the times of that day
            self.redraw()

    # ---------------------------------------------------- frame controls

    def listen(self) -> None:
        self.speak()

    def louder(self) -> None:
        if self.speaker is not None:
            self.speaker.louder()

    def softer(self) -> None:
        if self.speaker is not None:
            self.speaker.softer()

    def text_size(self, step: int) -> None:
        self.look = self.look.but(step=step)
        self.redraw()

    def contrast(self) -> None:
        self.look = self.look.but(high_contrast=not self.look.high_contrast)
        self.redraw()

    def show_hint(self) -> None:
        """The exercise's next hint, in turn, shown and said."""
        hints = self.view.hints
        if not hints:
            return
        following = (hints.index(self.hint) + 1) % len(hints) if self.hint in hints else 0
        self.hint = hints[following]
        self.redraw()
        self.speak([self.hint])

    def say_private(self) -> None:
        self.private_aloud = True
        self.redraw()
        self.speak()

    def print_ticket(self) -> None:
        ticket = self.view.ticket
        if ticket is None or self.printer is None:
            return
        try:
            self.printer.print_ticket(ticket.paper, ticket.calendar, ticket.paper_caption)
        except Exception as failed:  # noqa: BLE001 - any printer failure gets a clear message
            self.message = t(self.view, print_failure(failed))
        else:
            self.message = t(self.view, words.PRINTED)
        self.redraw()
        self.speak([self.message])

    # --------------------------------------------------------------- idle

    def _warn(self, seconds: int) -> None:
        self.cover = frame.warning(self.view, self.look, self, seconds)
        self.root.add_widget(self.cover)
        left = t(self.view, words.SECONDS_LEFT, n=seconds)
        self.speak([t(self.view, words.STILL_THERE), left])

    def _tick(self, seconds: int) -> None:
        if self.cover is not None:
            self.cover.countdown.say(t(self.view, words.SECONDS_LEFT, n=seconds))

    def _uncover(self) -> None:
        if self.cover is not None:
            self.root.remove_widget(self.cover)
            self.cover = None

    def keep_going(self) -> None:
        self._uncover()
        self.guard.extend()
        self.speak()

    def wipe(self) -> None:
        """Idle too long: the workflows wipe the session, the voice is reset, welcome again."""
        self.flow.stop()
        self._ended()

    def _ended(self) -> None:
        self._uncover()
        if self.speaker is not None:
            self.speaker.reset()
        self._start(self.new_flow(), t(self.view, GOODBYE))


def _collect_once_shown(*_: object) -> None:
    """Collect after the new screen is on the glass: the frame after its flip."""
    Window.unbind(on_flip=_collect_once_shown)
    Clock.schedule_once(lambda _: gc.collect(), 0)
