"""The accessibility audit: every step of every journey, in French, English and Arabic, drawn in
the real window at the three text sizes and in both themes, checked by kiosk.screens.audit.

The journeys are walked by the workflows' own scenarios; after each event the flow's view is
taken in the three languages, and each distinct view is drawn once per language and look.
"""

from __future__ import annotations

from typing import Any

import pytest
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.widget import Widget

from kiosk.screens import frame, words
from kiosk.screens.audit import audit
from kiosk.screens.kinds.base import t
from kiosk.screens.session import Session
from kiosk.workflows.exercises import BY_ID
from kiosk.workflows.flow import GOODBYE, Flow, View
from kiosk.workflows.journeys import JOURNEYS
from tests.kiosk.conftest import KNOWN_PHONE, TODAY
from tests.kiosk.screens.conftest import DISPLAY, Hand
from tests.kiosk.workflows.memory_services import MemoryServices
from tests.kiosk.workflows.scenarios import book_known_person, run
from tests.kiosk.workflows.test_journeys import SCENARIOS

LANGUAGES = ("fr", "en", "ar")
# (text size, high contrast): each size once, each theme at least once.
LOOKS = ((0, False), (1, True), (2, False))


class Recorded(Flow):
    """The real Flow; after each event it also keeps its view in every language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: dict[str, list[View]] = {language: [] for language in LANGUAGES}
        self._keep(self.view())

    def _keep(self, view: View) -> View:
        spoken = self.state.language
        for language in sorted(LANGUAGES, key=lambda code: code == spoken):  # its own last
            self.state.language = language
            self.shown[language].append(self.view())
        return view

    def answer(self, value: Any = True) -> View:
        return self._keep(super().answer(value))

    def choose(self, number: int) -> View:
        return self._keep(super().choose(number))

    def more(self) -> View:
        return self._keep(super().more())

    def change(self, step_id: str) -> View:
        return self._keep(super().change(step_id))

    def back(self) -> View:
        return self._keep(super().back())

    def help(self) -> View:
        return self._keep(super().help())

    def call_back(self) -> View:
        return self._keep(super().call_back())


def every_view() -> dict[str, list[View]]:
    """The distinct views of all the scenarios, per language, in the order they were shown."""
    distinct: dict[str, dict[str, View]] = {language: {} for language in LANGUAGES}
    for play in SCENARIOS.values():
        world, clock = MemoryServices(TODAY, known_phone=KNOWN_PHONE), [1_000_000.0]
        flow = Recorded(JOURNEYS, world, today=lambda: TODAY, clock=lambda c=clock: c[0])
        play(flow, world, clock)
        for language, views in flow.shown.items():
            distinct[language].update((repr(view), view) for view in views)
    return {language: list(views.values()) for language, views in distinct.items()}


@pytest.fixture(scope="module")
def views() -> dict[str, list[View]]:
    return every_view()


def settle(screen: Widget) -> None:
    """Lay out the new screen and draw its textures, without waiting for frames: until
    nothing moves any more (a wrapped label makes its row taller, which moves the rest)."""
    before = None
    for _ in range(40):
        Clock.tick_draw()
        now = [(*w.pos, *w.size, *getattr(w, "texture_size", ())) for w in screen.walk()]
        if now == before:
            return
        before = now
    raise AssertionError("the screen never settled")


def draw(session: Session, view: View, size: int, high_contrast: bool) -> None:
    session.draft = session.message = None
    session.look = session.base.but(step=size, high_contrast=high_contrast)
    session.show(view, speak=False)
    settle(session.screen)


def test_the_window_is_the_display_the_sizes_are_computed_for(hand: Hand):
    assert Window.width == DISPLAY.width_px


def test_the_views_audited_cover_every_declared_step_in_every_language(views):
    declared = {step.id for journey in JOURNEYS for step in journey.steps}
    for language in LANGUAGES:
        assert {view.step for view in views[language]} == declared, language
        assert {view.language for view in views[language]} == {language}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_step_passes_the_audit_at_every_size_in_both_themes(
    hand: Hand, views: dict[str, list[View]], language: str
):
    session, found = hand.session, set()
    for view in views[language]:
        for size, high_contrast in LOOKS:
            draw(session, view, size, high_contrast)
            look = f"{frame.SIZES[size]}{' contrast' if high_contrast else ''}"
            found |= {f"{view.step} {look}: {f}" for f in audit(session.screen, view, DISPLAY)}
    assert sorted(found) == [], "\n".join(sorted(found))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_screens_own_messages_and_the_idle_warning_pass_the_audit(
    hand: Hand, views: dict[str, list[View]], language: str
):
    session, found = hand.session, set()
    done = next(v for v in views[language] if v.step == "booking.done")
    messages = [words.PRINTED, GOODBYE, *words.PRINT_FAILURES.values()]
    for size, high_contrast in LOOKS:
        for message in messages:
            draw(session, done, size, high_contrast)
            session.message = t(done, message)
            session.redraw()
            settle(session.screen)
            found |= {f"{message} {size}: {f}" for f in audit(session.screen, done, DISPLAY)}
        cover = frame.warning(done, session.look, session, 20)
        hand.root.add_widget(cover)
        settle(cover)
        found |= {f"warning {size}: {f}" for f in audit(cover, done, DISPLAY)}
        hand.root.remove_widget(cover)
    assert sorted(found) == [], "\n".join(sorted(found))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_workshop_band_its_hint_and_the_exercise_phone_pass_the_audit(hand: Hand, language: str):
    world = MemoryServices(TODAY, known_phone=KNOWN_PHONE)
    flow = Flow(JOURNEYS, world, today=lambda: TODAY, exercise=BY_ID["book"])
    flow.state.language = language
    session, found = hand.session, set()
    shown = [flow.view(), *run(flow, book_known_person())]
    for view in (shown[0], shown[3], shown[-1]):
        for size, high_contrast in LOOKS:
            session.hint, session.exercise_sms = view.hints[1], "Code : 123456. Valable 10 min."
            draw(session, view, size, high_contrast)
            look = f"{frame.SIZES[size]}{' contrast' if high_contrast else ''}"
            roles = {getattr(w, "role", None) for w in session.screen.walk()}
            assert "workshop" in roles
            found |= {f"{view.step} {look}: {f}" for f in audit(session.screen, view, DISPLAY)}
    assert sorted(found) == [], "\n".join(sorted(found))
