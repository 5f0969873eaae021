"""What every screen has around its step: title, progress, Retour, Aide, voice and text
controls, the error and notice, and the idle warning drawn over it."""

from __future__ import annotations

from typing import Protocol

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.screens import kinds, words
from kiosk.screens.kinds.base import Events, t
from kiosk.screens.look import Look
from kiosk.screens.widgets import Tap, Text, paint, row
from kiosk.workflows.flow import View

SIZES = ("A", "A+", "A++")


class Controls(Events, Protocol):
    """The frame's own buttons, on top of what the step's renderer may do."""

    can_listen: bool
    can_say_private: bool
    hint: str | None  # in a workshop: the hint asked for last
    exercise_sms: str | None  # in a workshop: the last SMS on the exercise phone

    def back(self) -> None: ...
    def help(self) -> None: ...
    def listen(self) -> None: ...
    def louder(self) -> None: ...
    def softer(self) -> None: ...
    def text_size(self, step: int) -> None: ...
    def contrast(self) -> None: ...
    def say_private(self) -> None: ...
    def show_hint(self) -> None: ...
    def keep_going(self) -> None: ...


def build(view: View, look: Look, session: Controls, message: str | None = None) -> Widget:
    """The whole screen of a view. Bars keep the base text size so they always fit."""
    theme, bar = look.theme, look.but(step=0)
    screen = BoxLayout(orientation="vertical", padding=look.gap, spacing=look.gap)
    paint(screen, theme.background)
    screen.role, screen.words = "screen", view.step  # type: ignore[attr-defined]

    back = Tap(t(view, words.BACK), bar, session.back, pictogram="arrow_back", style="key")
    if not view.can_go_back:
        back.hide()
    progress = Text(view.progress_text or "", bar, role="progress", align="center")
    help_ = Tap(t(view, words.HELP), bar, session.help, pictogram="support_agent", style="key")
    width = max(back.fit_width().width, help_.fit_width().width)
    back.width = help_.width = width
    top = [back, progress, help_]
    if view.workshop:
        hint = Tap(t(view, words.HINT), bar, session.show_hint, pictogram="lightbulb", style="key")
        top.insert(2, hint.fit_width())
    screen.add_widget(row(bar, top, size_hint_y=None, height=bar.target))
    if view.workshop:
        _workshop(screen, view, bar, session)

    screen.add_widget(Text(view.title, look, role="title", bold=True, size=look.title_font))
    for said, role, background, colour in (
        (view.error, "error", theme.error, theme.error_text),
        (view.notice or message, "notice", theme.notice, theme.notice_text),
        (view.help if view.help_requested else None, "notice", theme.notice, theme.notice_text),
    ):
        if said:
            screen.add_widget(
                Text(said, look, role=role, background=background, colour=colour, bold=True)
            )
    if view.private and session.can_say_private:
        aloud = Tap(t(view, words.SAY_PRIVATE), bar, session.say_private, pictogram="hearing")
        screen.add_widget(
            row(bar, [aloud.fit_width(), Widget()], size_hint_y=None, height=bar.target)
        )
    screen.add_widget(kinds.render(view, look, session))
    screen.add_widget(_bottom(view, bar, look, session))
    return screen


def _workshop(screen: Widget, view: View, bar: Look, session: Controls) -> None:
    """The band that says this is an exercise and its goal, the hint asked for, and the
    exercise phone, where the sandbox's SMS arrive instead of a real telephone."""
    theme = bar.theme
    sms = t(view, words.EXERCISE_PHONE, sms=session.exercise_sms)
    for said in (" ".join(view.workshop), session.hint, sms if session.exercise_sms else None):
        if said:
            screen.add_widget(
                Text(said, bar, role="workshop", background=theme.notice, colour=theme.notice_text)
            )


def _bottom(view: View, bar: Look, look: Look, session: Controls) -> Widget:
    taps: list[Widget] = []
    if session.can_listen:
        taps += [
            Tap(t(view, words.LISTEN), bar, session.listen, pictogram="volume_up", style="key"),
            Tap(t(view, words.SOFTER), bar, session.softer, pictogram="volume_down", style="key"),
            Tap(t(view, words.LOUDER), bar, session.louder, pictogram="add", style="key"),
        ]
    taps.append(Widget())
    for step, name in enumerate(SIZES):
        size = Tap(
            name,
            bar,
            lambda s=step: session.text_size(s),
            style="button" if step == look.step else "key",
            size=round(bar.font * (1 + 0.15 * step)),
        )
        taps.append(size.fit_width())
    taps.append(
        Tap(
            t(view, words.CONTRAST),
            bar,
            session.contrast,
            pictogram="contrast",
            style="button" if look.high_contrast else "key",
        )
    )
    for tap in taps:
        tap.size_hint_y = 1
        if isinstance(tap, Tap) and tap.size_hint_x is not None:
            tap.fit_width()
    return row(bar, taps, size_hint_y=None, height=bar.target)


class Cover(BoxLayout):
    """Drawn over the screen: the buttons under it cannot be touched by mistake."""

    def on_touch_down(self, touch: object) -> bool:
        super().on_touch_down(touch)
        return True


def warning(view: View, look: Look, session: Controls, seconds: int) -> Widget:
    """ "Êtes-vous toujours là ?" over the whole screen, with a large "Je continue"."""
    theme = look.theme
    cover = Cover(orientation="vertical", padding=look.target, spacing=look.gap * 2)
    paint(cover, theme.background, theme.border, width=4)
    cover.role, cover.words = "warning", ""  # type: ignore[attr-defined]
    cover.add_widget(Widget())
    cover.add_widget(
        Text(
            t(view, words.STILL_THERE),
            look,
            role="title",
            bold=True,
            size=look.title_font,
            align="center",
        )
    )
    cover.countdown = Text(  # type: ignore[attr-defined]
        t(view, words.SECONDS_LEFT, n=seconds), look, role="progress", align="center"
    )
    cover.add_widget(cover.countdown)  # type: ignore[attr-defined]
    go_on = Tap(
        t(view, words.KEEP_GOING), look, session.keep_going, pictogram="touch_app", style="primary"
    )
    go_on.min_height = look.target * 2
    go_on._fit()
    cover.add_widget(go_on)
    cover.add_widget(Widget())
    return cover
