"""The voice channel's conversation: each view said, each utterance understood as a flow event.

Pure and synchronous: it is given what was recognised (or that nothing was said) and returns
the next `Turn`, what to say and which phrases to expect. Audio, recognition and timing are
kiosk/voice/conversation.py's; the journeys are kiosk/workflows'.

Rules (ACCESSIBILITY.md, "Voice dialogue"):
- typed data is read back ("J'ai compris 06 12 34 56 78. C'est bien ça ?") before it is
  given to the flow; a code is not read back on a loudspeaker, it is given as heard;
- booking and cancelling ask an explicit yes (the review, the flow's yes/no steps);
- silence: the question again once, with an example; then "are you still there?"; then the
  session ends and everything is wiped;
- three misunderstandings in a row at a step: a counsellor or the touchscreen is offered;
- "répéter", "retour", "aide", "arrêter", "plus fort", "moins fort", "moins vite",
  "plus vite", "plus de choix" work at every step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from kiosk.voice import prompts
from kiosk.voice.understanding import (
    command,
    digits,
    expected_phrases,
    pick,
    spelled,
    spoken_date,
    spoken_time,
    yes_no,
)
from kiosk.voice.understanding.sounds import closed_set, understood
from kiosk.workflows.flow import Flow, View
from kiosk.workflows.formats import day_words, phone_words
from kiosk.workflows.i18n import N_, Message, phrase
from kiosk.workflows.parsers import tidy
from kiosk.workflows.steps import Kind

READ_BACK = N_("J'ai compris : {value}. C'est bien ça ?")
SAY_AGAIN = N_("D'accord. Dites-le encore une fois.")
NOT_UNDERSTOOD = N_("Je n'ai pas compris.")
OFFER = N_(
    "Je n'arrive pas à vous comprendre. Dites aide pour appeler un conseiller. "
    "Ou continuez sur l'écran."
)
STUCK = N_("Je n'arrive pas à vous comprendre.")
STILL_THERE = N_("Êtes-vous toujours là ? Dites oui pour continuer.")
DONE_FOR_NOW = N_("D'accord.")
CONTROLS = ("louder", "softer", "slower", "faster")
# Steps whose answers are all known: what was heard can be taken for the one it sounds like.
CLOSED_KINDS = frozenset({Kind.CHOICE, Kind.DONE, Kind.INFO, Kind.YES_NO, Kind.SLOT, Kind.REVIEW})
TRIES = 3  # misunderstandings in a row before a counsellor is offered
SILENCES = 3  # silences in a row: the guidance, "still there?", then the end


@dataclass(frozen=True)
class Turn:
    """What the kiosk does next: say sentences, in a language, then listen for `expected`."""

    say: list[str]
    language: str
    expected: list[str]
    kind: Kind
    control: str | None = None  # louder, softer, slower or faster: for the speaker
    ended: bool = False  # the session ended: everything was wiped
    help_requested: bool = False  # a counsellor is called


@dataclass
class _Pending:
    """A value heard and read back, waiting for "oui"."""

    value: Any
    words: str


@dataclass
class Dialogue:
    flow: Flow
    today: Callable[[], date] = date.today
    private_heard: Callable[[], bool] = lambda: False  # a headset, or the person asked
    # The person is not at the kiosk (a telephone): help is a call-back, not a counsellor
    # walking over, and being stuck leads to that offer instead of the screen.
    remote: bool = False
    view: View = field(init=False)
    _pending: _Pending | None = field(default=None, init=False)
    _tries: int = field(default=0, init=False)
    _silences: int = field(default=0, init=False)
    _closed_set: list[str] = field(default_factory=list, init=False)  # all a person may answer

    def __post_init__(self) -> None:
        self.view = self.flow.view()

    # ------------------------------------------------------------------ events

    def start(self) -> Turn:
        return self._show(self.view)

    def follow(self, flow: Flow) -> Turn:
        """Another channel (the touchscreen) moved the flow: listen at its step, say nothing."""
        self.flow, self.view = flow, flow.view()
        self._pending, self._tries, self._silences = None, 0, 0
        return self._turn([])

    def heard(self, text: str) -> Turn:
        """What the recogniser understood the person said."""
        self._silences = 0
        act = understood(text, self._meaning, self._closed_set)  # "d'autiste": "dentiste"
        if act is None:
            self._pending = None
            return self._misunderstood()
        return act()

    def silence(self) -> Turn:
        """Nothing was said for a while (about 8 s)."""
        self._silences += 1
        if self._silences == 1:
            return self._turn(prompts.guidance(self.view))
        if self._silences < SILENCES:
            return self._turn([self._t(STILL_THERE)], expected=expected_phrases("yes_no"))
        self._silences = 0
        return self._show(self.flow.stop())

    # ------------------------------------------------------------------ understanding

    def _meaning(self, text: str) -> Callable[[], Turn] | None:
        """What to do about what was said; None when it is not understood at this step."""
        said = command(text)
        if said in CONTROLS:
            return partial(self._turn, [self._t(DONE_FOR_NOW)], control=said)
        if said == "repeat" or (said == "back" and self._pending is not None):
            return partial(self._show, self.view)
        if said == "help" and self.remote:
            return partial(self._call_back, stuck=False)
        if said in ("back", "help", "stop", "more"):
            return lambda: self._show(getattr(self.flow, said)())
        if self._pending is not None and (agreed := yes_no(text)) is not None:
            return partial(self._confirmed, agreed)
        return self._answer(text)  # a new answer straight away, rather than yes or no

    def _answer(self, text: str) -> Callable[[], Turn] | None:
        view = self.view
        kind = view.kind
        if kind in (Kind.CHOICE, Kind.DONE) or (kind == Kind.INFO and view.options):
            return self._choose(pick(text, [o.said_as for o in view.options]))
        if kind == Kind.INFO:
            return lambda: self._show(self.flow.answer(True))
        if kind == Kind.YES_NO:
            agreed = yes_no(text)
            return None if agreed is None else lambda: self._show(self.flow.answer(agreed))
        if kind == Kind.SLOT:
            return self._choose(self._slot(text))
        if kind == Kind.REVIEW:
            return self._review(text)
        shortcut = pick(text, [o.said_as for o in view.options]) if view.options else None
        if shortcut is not None:  # "Je n'ai pas reçu le code"
            return self._choose(shortcut)
        if kind == Kind.DIGITS:
            number = digits(text)
            if number is None:
                return None
            if view.private:  # a code: given as heard, never repeated aloud
                return lambda: self._show(self.flow.answer(number))
            return partial(self._read_back, number, phone_words(number))
        if kind == Kind.DATE:
            day = spoken_date(text, self.today(), past=True)
            if day is None:
                return None
            return partial(self._read_back, day, day_words(day, view.language))
        words = spelled(text) or tidy(text).strip(" .!?")
        return partial(self._read_back, words, words) if words else None

    def _slot(self, text: str) -> int | None:
        """By number or words, or by the time alone when only one shown slot has it."""
        options = self.view.options
        chosen = pick(text, [o.said_as for o in options])
        if chosen is not None:
            return chosen
        wanted = spoken_time(text)
        same = [i for i, o in enumerate(options) if wanted and spoken_time(o.short or "") == wanted]
        return same[0] if len(same) == 1 else None

    def _review(self, text: str) -> Callable[[], Turn] | None:
        if yes_no(text):
            return lambda: self._show(self.flow.answer(True))
        items = [item for item in self.view.review if item.change]
        chosen = pick(text, [item.label for item in items])
        if chosen is None:
            return None
        return lambda: self._show(self.flow.change(items[chosen].change))

    def _confirmed(self, agreed: bool) -> Turn:
        pending, self._pending = self._pending, None
        if agreed and pending is not None:
            return self._show(self.flow.answer(pending.value))
        return self._turn([self._t(SAY_AGAIN)])

    # ------------------------------------------------------------------ turns

    def _choose(self, index: int | None) -> Callable[[], Turn] | None:
        return None if index is None else lambda: self._show(self.flow.choose(index + 1))

    def _read_back(self, value: Any, words: str) -> Turn:
        self._pending = _Pending(value, words)
        question = phrase(self.view.language, READ_BACK, value=words)
        return self._turn([question], expected=expected_phrases("yes_no"))

    def _misunderstood(self) -> Turn:
        self._tries += 1
        if self._tries >= TRIES:
            self._tries = 0
            return self._call_back(stuck=True) if self.remote else self._turn([self._t(OFFER)])
        return self._turn([self._t(NOT_UNDERSTOOD), *prompts.guidance(self.view)[1:2]])

    def _show(self, view: View) -> Turn:
        """A new view said; the flow's refusals count as misunderstandings too."""
        if view.step != self.view.step or view.ended:
            self._tries = 0
        elif view.error:
            self._tries += 1
        if self._tries >= TRIES and self.remote:
            self._tries = 0
            return self._call_back(stuck=True)
        self.view, self._pending = view, None
        said = prompts.said(view, self.private_heard())
        if self._tries >= TRIES:
            self._tries = 0
            said.append(self._t(OFFER))
        return self._turn(said, ended=view.ended, help_requested=view.help_requested)

    def _call_back(self, stuck: bool) -> Turn:
        """On a telephone, help is a counsellor's call-back (after "I cannot understand you"
        when the person is stuck)."""
        turn = self._show(self.flow.call_back())
        return replace(turn, say=[self._t(STUCK), *turn.say]) if stuck else turn

    def _turn(self, say: list[str], expected: list[str] | None = None, **flags: Any) -> Turn:
        """`expected` given: a yes or no is asked; otherwise the step's own answers."""
        view = self.view
        labels = [o.short or o.label for o in view.options] + [i.label for i in view.review]
        labels += [name for o in view.options for name in o.other_names]
        yes_no = expected is not None or view.kind == Kind.YES_NO
        closed = yes_no or view.kind in CLOSED_KINDS
        expected = expected if expected is not None else expected_phrases(view.kind, labels)
        self._closed_set = closed_set(expected, yes_no=yes_no) if closed else []
        return Turn(say=say, language=view.language, expected=expected, kind=view.kind, **flags)

    def _t(self, message: Message) -> str:
        return phrase(self.view.language, message)
