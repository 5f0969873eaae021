"""A telephone's keys as answers: what a caller types, made into the words they could have said.

The voice dialogue stays the only judge of an answer: "1" at a yes-or-no question becomes "oui",
digits typed then # become the number said digit by digit. So the read-back, the three tries
and the explicit yes before booking work the same by keys as by voice.
- * repeats the question, at every step;
- at a question of yes or no: 1 is yes, 2 is no, 0 calls for help;
- where a list is read: the option's number, 9 for more choices, 0 for help;
- where digits are asked (a phone number, a code, a date, a postcode): the digits, then #;
  0 is then a digit, so help is asked by voice.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.voice.dialogue import Turn
from kiosk.voice.understanding import expected_phrases
from kiosk.workflows.i18n import N_, Message, phrase
from kiosk.workflows.steps import Kind

REPEAT, HELP, MORE, ENTER = "*", "0", "9", "#"
MAX_TYPED = 20  # longer than any number a step asks for
DICTATED = frozenset({Kind.DIGITS, Kind.DATE, Kind.TEXT})
CHOSEN = frozenset({Kind.CHOICE, Kind.DONE, Kind.INFO, Kind.SLOT})
YES_NO_HINT = N_("Ou tapez 1 pour oui, 2 pour non.")
REVIEW_HINT = N_("Ou tapez 1 pour confirmer.")
CHOICE_HINT = N_("Ou tapez son numéro sur le clavier.")
DIGITS_HINT = N_("Ou tapez les chiffres sur le clavier, puis la touche dièse.")
DATE_HINT = N_(
    "Ou tapez la date en chiffres, puis la touche dièse. "
    "Par exemple : 03 03 1950 pour le 3 mars 1950."
)
REPEAT_HINT = N_("Pour tout entendre encore, tapez étoile.")


class Keypad:
    """The keys of one call, read at the turn the dialogue is at."""

    def __init__(self) -> None:
        self._turn: Turn | None = None
        self._typed = ""

    def expect(self, turn: Turn) -> None:
        """A new question: keys typed for the last one are dropped."""
        self._turn, self._typed = turn, ""

    def press(self, key: str) -> str | None:
        """The answer these keys make, or None while more keys are needed (or the key means
        nothing here)."""
        turn = self._turn
        if turn is None:
            return None
        if key == REPEAT:
            self._typed = ""
            return "répéter"
        if asks_yes_no(turn):
            return {"1": "oui", "2": "non", HELP: "aide"}.get(key)
        if turn.kind == Kind.REVIEW:
            return {"1": "oui", HELP: "aide"}.get(key)
        if turn.kind in DICTATED:
            return self._dictated(key, turn.kind)
        if turn.kind in CHOSEN and key.isdigit():
            return {HELP: "aide", MORE: "plus de choix"}.get(key, key)
        return None

    def _dictated(self, key: str, kind: Kind) -> str | None:
        if key.isdigit():
            self._typed = (self._typed + key)[:MAX_TYPED]
            return None
        if key != ENTER or not self._typed:
            return None
        typed, self._typed = self._typed, ""
        if kind == Kind.DATE and len(typed) in (6, 8):  # 03031950: "03 03 1950"
            return f"{typed[:2]} {typed[2:4]} {typed[4:]}"
        return typed


def asks_yes_no(turn: Turn) -> bool:
    """A yes-or-no question: the flow's, or the dialogue's read-back of what was heard."""
    return turn.kind == Kind.YES_NO or turn.expected == expected_phrases("yes_no")


def hint(turn: Turn) -> Message | None:
    """How to answer this turn with the keys; None where only speech can (a name)."""
    if asks_yes_no(turn):
        return YES_NO_HINT
    if turn.kind == Kind.REVIEW:
        return REVIEW_HINT
    if turn.kind == Kind.DIGITS:
        return DIGITS_HINT
    if turn.kind == Kind.DATE:
        return DATE_HINT
    if turn.kind in CHOSEN and turn.kind != Kind.INFO:
        return CHOICE_HINT
    return None


def with_hint(turn: Turn, first: bool = False) -> Turn:
    """The turn with its keypad hint said last (and, on the first turn, how to repeat)."""
    if turn.ended or turn.control or not turn.say:
        return turn
    said = [phrase(turn.language, m) for m in (hint(turn), first and REPEAT_HINT) if m]
    return replace(turn, say=[*turn.say, *said])
