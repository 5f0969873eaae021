"""The engine that walks a person through the journeys, whatever the channel.

Channels turn taps, keys, speech or phone keypresses into the same events — `answer`,
`choose`, `more`, `change`, `back`, `repeat`, `help`, `stop` — and render the `View` they get
back. All that a session knows lives in `FlowState`, a plain object that can be saved,
handed from voice to touch, resumed, or wiped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from string import Formatter
from typing import Any

from kiosk.workflows.exercises import BAND, Exercise
from kiosk.workflows.i18n import N_, Message, language, phrase
from kiosk.workflows.parsers import Invalid, fold
from kiosk.workflows.refusals import refusal
from kiosk.workflows.services import JourneyRun, Offline, ServiceError, Services, Where
from kiosk.workflows.steps import (
    END,
    INPUT_KINDS,
    RETURN,
    Choice,
    Journey,
    Kind,
    Option,
    Redirect,
    ReviewItem,
    Step,
)
from kiosk.workflows.ticket import Ticket

HOME = "welcome.menu"
PAGE = 5  # options shown at once (ACCESSIBILITY.md: at most 4-5 per menu)

YES_NO = (Choice(True, N_("Oui"), "yes"), Choice(False, N_("Non"), "no"))
NOT_IN_LIST = N_("Choisissez une réponse dans la liste.")
AT_START = N_("Vous êtes au début.")
NO_MORE = N_("Ce sont tous les choix.")
HELP_COMING = N_("Un conseiller va venir vous aider.")
HELPER_COMING = N_("{name} arrive pour vous aider.")
HELP_OFFLINE = N_("Le réseau est coupé. Allez voir l'accueil du centre.")
CALL_BACK = "call_back.offer"  # the journey of kiosk/workflows/journeys/call_back.py
GOODBYE = N_("Au revoir. Tout est effacé.")  # said by every channel when a session ends
OFFLINE = N_("Le réseau est coupé. Réessayez dans un moment.")
QUEUED = N_("Le réseau est coupé. Votre demande partira dès son retour.")


@dataclass
class FlowState:
    """Everything a session knows, as plain JSON values."""

    step: str
    language: str = "fr"
    answers: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    returns: list[str] = field(default_factory=list)
    revisit: str | None = None
    page: int = 0
    barrier: int = 0
    locked: str | None = None
    error: tuple[Message, dict[str, Any]] | None = None
    notice: str | None = None
    help_requested: bool = False
    run: tuple[str, float] | None = None  # the journey under way and when it started
    mistakes: int = 0  # answers refused in a row at this step: the dashboard flags them
    exercise_done: bool = False  # in a workshop: the exercise's goal was reached

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FlowState:
        state = cls(**data)
        state.error = tuple(state.error) if state.error else None  # type: ignore[assignment]
        state.run = tuple(state.run) if state.run else None  # type: ignore[assignment]
        return state


@dataclass(frozen=True)
class View:
    """One screen, prompt or phone menu, in the flow's language, ready to render."""

    step: str
    kind: Kind
    language: str
    rtl: bool
    title: str
    help: str
    pictogram: str | None
    progress: tuple[int, int] | None
    progress_text: str | None
    lines: list[str]
    options: list[Option]
    more: bool
    review: list[ReviewItem]
    ticket: Ticket | None
    value: Any
    error: str | None
    notice: str | None
    private: bool
    help_requested: bool
    ended: bool
    can_go_back: bool
    workshop: list[str] = field(default_factory=list)  # in a workshop: the band, the goal
    hints: list[str] = field(default_factory=list)  # in a workshop: the exercise's hints

    def texts(self) -> list[str]:
        """Every sentence this view shows, in reading order (for speech and the FALC check).
        In a workshop, the main menu says first that this is an exercise, and its goal."""
        texts = self.workshop if self.step == HOME else []
        texts = [*texts, self.title, *self.lines, *(o.label for o in self.options)]
        texts += [f"{item.label} : {item.value}" for item in self.review]
        return [t for t in (*texts, self.error, self.notice) if t]

    def aloud(self, private_heard: bool) -> list[str]:
        """What may be said on a loudspeaker: on a private step (codes) the lines, which
        repeat the person's number, are left out unless private data may be heard (a
        headset, or the person chose it)."""
        if not self.private or private_heard:
            return self.texts()
        texts = [self.title, *(o.label for o in self.options)]
        return [t for t in (*texts, self.error, self.notice) if t]


class Context:
    """What a step's rules and actions can use: answers, server, clock and words."""

    def __init__(self, flow: Flow) -> None:
        self._flow = flow

    @property
    def state(self) -> FlowState:
        return self._flow.state

    @property
    def answers(self) -> dict[str, Any]:
        return self._flow.state.answers

    @property
    def data(self) -> dict[str, Any]:
        return self._flow.state.data

    @property
    def services(self) -> Services:
        return self._flow.services

    @property
    def language(self) -> str:
        return self._flow.state.language

    @property
    def page(self) -> int:
        return self._flow.state.page

    @property
    def caller(self) -> str | None:
        """The number the person calls from, on a telephone line; None elsewhere."""
        return self._flow.caller

    def today(self) -> date:
        return self._flow.today()

    def now(self) -> float:
        """Seconds since the epoch: kept in the state to count down a resend."""
        return self._flow.clock()

    def t(self, message: Message, **params: object) -> str:
        """Translate a message id and fill it (see i18n.phrase)."""
        return phrase(self.language, message, **params)

    def call(self, step: str, then: str) -> str:
        """Go into another journey (signing in, adding a relative) and come back to `then`."""
        self.state.returns.append(then)
        return step

    def home(self) -> str:
        """The main menu, a fresh start: nothing to return to, nothing to go back to."""
        self.state.returns.clear()
        self.state.history.clear()
        self.state.barrier = 0
        return HOME

    def call_counsellor(self) -> None:
        self.state.help_requested = True
        self.state.notice = HELP_COMING


class Flow:
    def __init__(
        self,
        journeys: list[Journey],
        services: Services,
        state: FlowState | None = None,
        today: Callable[[], date] = date.today,
        clock: Callable[[], float] = time.time,
        caller: str | None = None,
        exercise: Exercise | None = None,
    ) -> None:
        self.journeys = {j.name: j for j in journeys}
        self.steps = {s.id: s for j in journeys for s in j.steps}
        self._journey_of = {s.id: j for j in journeys for s in j.steps}
        self.start = journeys[0].start
        self.services = services
        self.today = today
        self.clock = clock
        self.caller = caller  # the number a telephone line says the person calls from
        self.exercise = exercise  # set by a counsellor: the kiosk is in a workshop
        self.state = state or FlowState(step=self.start)
        self.ctx = Context(self)

    # ------------------------------------------------------------------ events

    def view(self) -> View:
        return self._render()

    def answer(self, value: Any = True) -> View:
        """An answer: an option's value, typed text, a date; True continues an info step."""
        step = self.step
        self._clear()
        if step.kind in (Kind.CHOICE, Kind.SLOT, Kind.YES_NO, Kind.DONE, Kind.INFO):
            option = self._find(value)
            if option is None and (step.kind != Kind.INFO or self._options(step)):
                return self._fail(NOT_IN_LIST)
            value = option.value if option else True
        elif step.kind == Kind.REVIEW and value is not True:  # only a clear "confirm" books
            return self._fail(NOT_IN_LIST)
        elif step.kind in INPUT_KINDS:
            shortcut = next((o for o in self._options(step) if o.value == value), None)
            if shortcut is None and step.parse:
                try:
                    value = step.parse(self.ctx, value)
                except Invalid as invalid:
                    self.state.answers[step.id] = _plain(value)
                    return self._fail(invalid.message, **invalid.params)
        self.state.answers[step.id] = _plain(value)
        return self._advance(step, value)

    def choose(self, number: int) -> View:
        """The n-th option shown (1-based): what a person types, says or presses on a keypad."""
        shown = self._page(self._options(self.step))
        if not 1 <= number <= len(shown):
            self._clear()
            return self._fail(NOT_IN_LIST)
        return self.answer(shown[number - 1].value)

    def more(self) -> View:
        self._clear()
        options = self._options(self.step)
        if len(options) > (self.state.page + 1) * PAGE:
            self.state.page += 1
        else:
            self.state.notice = NO_MORE
        return self._render()

    def change(self, step_id: str) -> View:
        """From a review: go and change one item, then come back to the review."""
        self._clear()
        if step_id not in {i.change for i in self._review(self.step)}:
            return self._fail(NOT_IN_LIST)
        self.state.revisit = self.step.id
        return self._go(step_id)

    def back(self) -> View:
        self._clear()
        if self.state.page > 0:
            self.state.page -= 1
            return self._render()
        if len(self.state.history) <= self.state.barrier:
            self.state.notice = self.state.locked if self.state.history else AT_START
            return self._render()
        self.state.step = self.state.history.pop()
        return self._render()

    def repeat(self) -> View:
        self._clear()
        return self._render()

    def help(self) -> View:
        """Call a counsellor to the kiosk; the step's help is shown meanwhile."""
        self._clear()
        self.state.help_requested = True
        try:
            self.services.ask_for_help(self.state.step)
        except Offline:
            self.state.notice = HELP_OFFLINE
        else:
            self.state.notice = HELP_COMING
        return self._render()

    def call_back(self) -> View:
        """Offer to be called back by a counsellor: the help of a person on the telephone."""
        self._clear()
        if self.journey_of(self.step) is self.journey_of(self.steps[CALL_BACK]):
            return self._render()  # already offered
        return self._go(self.ctx.call(CALL_BACK, then=self.state.step))

    def stop(self) -> View:
        """End the session: sign out, wipe everything, back to the welcome."""
        self._end_run(completed=False)
        self.services.end_session()
        self.state = FlowState(step=self.start)
        return self._render(ended=True)

    # --------------------------------------------------------------- machinery

    @property
    def step(self) -> Step:
        return self.steps[self.state.step]

    def journey_of(self, step: Step) -> Journey:
        return self._journey_of[step.id]

    def _clear(self) -> None:
        self.state.error = None
        self.state.notice = None
        self.state.help_requested = False

    def _fail(self, message: Message, **params: Any) -> View:
        self.state.error = (message, {k: _plain(v) for k, v in params.items()})
        self.state.mistakes += 1
        return self._render()

    def _advance(self, step: Step, value: Any, *, asked: bool = True) -> View:
        if step.act:
            try:
                step.act(self.ctx, value)
            except Invalid as invalid:
                return self._fail(invalid.message, **invalid.params)
            except Redirect as redirect:
                view = self._go(redirect.step)
                if redirect.message:
                    return self._fail(redirect.message, **redirect.params)
                return view
            except ServiceError as refused:
                message, params = refusal(refused, self.state.language)
                return self._fail(message, **params)
            except Offline as offline:
                return self._fail(QUEUED if offline.queued else OFFLINE)
            if step.irreversible and value is not False:
                self.state.barrier = len(self.state.history) + 1
                self.state.locked = step.locked
        calls = len(self.state.returns)
        target = step.next if isinstance(step.next, str) else step.next(self.ctx)
        if target not in step.targets():
            raise RuntimeError(f"{step.id} chose {target}, not declared in goes_to")
        if target == RETURN:
            target = self.state.returns.pop() if self.state.returns else HOME
        if self.state.revisit and step.independent and len(self.state.returns) == calls:
            target = self.state.revisit
        return self._go(target, leaving_asked=asked)

    def _go(self, target: str, *, leaving_asked: bool = True) -> View:
        """Move to a step; one whose answer is already known (`auto`) is passed through,
        unless the person came to change it from a review."""
        if target == END:
            return self.stop()
        changing = self.state.revisit is not None and target != self.state.revisit
        if target == self.state.revisit:
            self.state.revisit = None
        if leaving_asked:
            self.state.history.append(self.state.step)
        if target == HOME:
            self._end_run(completed=self._ends_at_home())
        elif self.state.run is None and self.state.step == HOME:
            self._start_run(target)
        self.state.step = target
        self.state.page = 0
        self.state.mistakes = 0
        step = self.step
        if step.kind == Kind.DONE:
            self._end_run(completed=True)
        if self.exercise and self.exercise.done(self.state):
            self.state.exercise_done = True
        if step.auto and not changing and (known := self._known(step)) is not None:
            self.state.answers[step.id] = _plain(known)
            return self._advance(step, known, asked=False)
        return self._render()

    def _start_run(self, target: str) -> None:
        """Leaving the main menu for a journey starts it: the one the person chose, even
        when signing in comes first."""
        journey = self.journey_of(
            self.steps[self.state.returns[0] if self.state.returns else target]
        )
        if journey is not self.journey_of(self.steps[HOME]):
            self.state.run = (journey.name, self.clock())

    def _ends_at_home(self) -> bool:
        """Back at the main menu, a journey with an end of its own (a booking confirmed) was
        left before it; one without (the account's menu) was used and left."""
        if self.state.run is None:
            return False
        steps = self.journeys[self.state.run[0]].steps
        return not any(step.kind == Kind.DONE for step in steps)

    def _end_run(self, *, completed: bool) -> None:
        """Count the journey under way once: done, or given up at the step shown."""
        if self.state.run is None:
            return
        name, started = self.state.run
        self.state.run = None
        seconds = max(0, round(self.clock() - started))
        title = self.journeys[name].title
        self.services.journey_ended(JourneyRun(title, completed, self.state.step, seconds))

    def _known(self, step: Step) -> Any:
        """The answer a step already has, if any; out of reach, the step is simply asked."""
        try:
            return step.auto(self.ctx) if step.auto else None
        except (Offline, ServiceError):
            return None

    def _options(self, step: Step) -> list[Option]:
        if step.options:
            return step.options(self.ctx)
        choices = step.choices or (YES_NO if step.kind == Kind.YES_NO else ())
        t = self.ctx.t
        return [
            Option(c.value, t(c.label), c.pictogram, also=t(c.also) if c.also else None)
            for c in choices
        ]

    def _page(self, options: list[Option]) -> list[Option]:
        start = self.state.page * PAGE
        return options[start : start + PAGE]

    def _find(self, value: Any) -> Option | None:
        options = self._options(self.step)
        by_value = next((o for o in options if o.value == value), None)
        if by_value is not None or not isinstance(value, str):
            return by_value
        said = fold(value.strip())  # "oui", "Non", a label typed in full
        return next((o for o in options if fold(o.label) == said), None)

    def _review(self, step: Step) -> list[ReviewItem]:
        return step.review(self.ctx) if step.review else []

    def _render(self, ended: bool = False) -> View:
        step, ctx = self.step, self.ctx
        try:
            params = step.params(ctx) if step.params else {}
            options = self._options(step)
            lines = step.lines(ctx) if step.lines else []
            review = self._review(step)
            ticket = step.ticket(ctx) if step.ticket else None
        except (Offline, ServiceError) as failed:  # the server could not answer the question
            params, options, review, ticket = _blanks(step.prompt), [], [], None
            message, said = (
                refusal(failed, ctx.language) if isinstance(failed, ServiceError) else (OFFLINE, {})
            )
            lines = [ctx.t(message, **said)]
        journey = self.journey_of(step)
        progress = None
        if step.stage and step.stage in journey.stages:
            progress = (journey.stages.index(step.stage) + 1, len(journey.stages))
        error = ctx.t(self.state.error[0], **self.state.error[1]) if self.state.error else None
        notice = ctx.t(self.state.notice) if self.state.notice else None
        if not (error or notice) and (helper := self.services.helper_coming()):
            notice = ctx.t(HELPER_COMING, name=helper)
        self.services.showing(
            Where(journey.title, step.id, progress, self.state.mistakes, self.state.exercise_done)
        )
        exercise = self.exercise
        return View(
            step=step.id,
            kind=step.kind,
            language=self.state.language,
            rtl=language(self.state.language).rtl,
            title=ctx.t(step.prompt, **params),
            help=ctx.t(step.help, **params),
            pictogram=step.pictogram,
            progress=progress,
            progress_text=ctx.t(N_("Étape {n} sur {total}"), n=progress[0], total=progress[1])
            if progress
            else None,
            lines=lines,
            options=self._page(options),
            more=len(options) > (self.state.page + 1) * PAGE,
            review=review,
            ticket=ticket,
            value=self.state.answers.get(step.id),
            error=error,
            notice=notice,
            private=step.private,
            help_requested=self.state.help_requested,
            ended=ended,
            can_go_back=len(self.state.history) > self.state.barrier or self.state.page > 0,
            workshop=[ctx.t(BAND), ctx.t(exercise.goal)] if exercise else [],
            hints=[ctx.t(hint) for hint in exercise.hints] if exercise else [],
        )


def _plain(value: Any) -> Any:
    """Answers are kept as JSON values: dates as ISO text."""
    return value.isoformat() if isinstance(value, date) else value


def _blanks(message: str) -> dict[str, str]:
    """Empty values for a prompt's placeholders when the data behind them is out of reach."""
    return {name: "" for _, name, _, _ in Formatter().parse(message) if name}
