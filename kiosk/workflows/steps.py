"""The vocabulary every channel renders: step kinds, steps, options and journeys.

A step is declared once, with French message ids, and knows how to check an answer, what
to ask the server and which step comes next. Channels only ever see a `View` of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.workflows.flow import Context
    from kiosk.workflows.ticket import Ticket

END = "end"  # the pseudo step that ends the session and wipes it
RETURN = "return"  # the pseudo step: back to where a called journey was called from


class Kind(StrEnum):
    INFO = "info"
    CHOICE = "choice"
    YES_NO = "yes_no"
    TEXT = "text"
    DIGITS = "digits"
    DATE = "date"
    SLOT = "slot"
    REVIEW = "review"
    DONE = "done"


INPUT_KINDS = frozenset({Kind.TEXT, Kind.DIGITS, Kind.DATE})


@dataclass(frozen=True)
class Choice:
    """A fixed option, declared with a message id."""

    value: str | int | bool
    label: str
    pictogram: str | None = None
    also: str | None = None  # other words that name it, said rather than read: "madame"


@dataclass(frozen=True)
class Option:
    """An option as shown: its words are already in the flow's language."""

    value: str | int | bool
    label: str
    pictogram: str | None = None
    group: str | None = None  # slots: the day, "mardi 13 octobre 2026"
    short: str | None = None  # slots: the time alone, "14 h 30"
    also: str | None = None  # other words that name it, comma-separated: "madame, féminin"

    @property
    def said_as(self) -> str:
        """The label and the other words that name it: what a spoken answer is matched with."""
        return ", ".join([self.label, *self.other_names])

    @property
    def other_names(self) -> list[str]:
        """The other words, one by one (Latin or Arabic commas between them)."""
        return [name for name in re.split(r"\s*[,،]\s*", self.also or "") if name]


@dataclass(frozen=True)
class ReviewItem:
    label: str
    value: str
    change: str | None = None  # the step that changes it


class Redirect(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Raised by an action to continue at another step, with an optional message there."""

    def __init__(self, step: str, message: str | None = None, **params: object) -> None:
        super().__init__(step)
        self.step, self.message, self.params = step, message, params


Rule = Callable[["Context"], str]


@dataclass(frozen=True)
class Step:
    """One question or message.

    - `prompt`, `help`: message ids; `params(ctx)` fills their {placeholders}.
    - `choices` (fixed) or `options(ctx)` (from the server) for choice and slot steps; input
      steps may have choices too, as shortcuts ("Je n'ai pas reçu le code").
    - `parse(ctx, raw)` checks an input and returns the clean value, or raises Invalid.
    - `act(ctx, value)` asks the server; raises Invalid, Redirect, ServiceError or Offline.
    - `next` names the following step, or is a rule choosing it; `goes_to` lists every step
      a rule can choose, so a journey can be drawn and checked.
    - `auto(ctx)`: the answer when it is already known (one person, one motive): the step is
      then passed without being shown, except to change it from a review.
    - `irreversible`: once acted, "back" explains instead of undoing (`locked` says what).
    - `independent`: changed from a review, it goes straight back to the review.
    - `ticket(ctx)`: what a done step gives to take away (QR code, printed ticket).
    - `private`: the answer is never read aloud on the loudspeaker (codes).
    """

    id: str
    kind: Kind
    prompt: str
    help: str
    next: str | Rule
    goes_to: tuple[str, ...] = ()
    pictogram: str | None = None
    stage: str | None = None
    field: str | None = None
    choices: tuple[Choice, ...] = ()
    options: Callable[[Context], list[Option]] | None = None
    parse: Callable[[Context, Any], Any] | None = None
    act: Callable[[Context, Any], None] | None = None
    lines: Callable[[Context], list[str]] | None = None
    review: Callable[[Context], list[ReviewItem]] | None = None
    ticket: Callable[[Context], Ticket] | None = None
    auto: Callable[[Context], Any] | None = None
    params: Callable[[Context], dict[str, object]] | None = None
    irreversible: bool = False
    locked: str | None = None
    independent: bool = False
    private: bool = False

    def targets(self) -> tuple[str, ...]:
        return (self.next,) if isinstance(self.next, str) else self.goes_to


@dataclass(frozen=True)
class Journey:
    """A named graph of steps with its stages, for "Étape 2 sur 6"."""

    name: str
    title: str
    start: str
    steps: tuple[Step, ...]
    stages: tuple[str, ...] = ()

    def edges(self) -> list[tuple[str, str]]:
        """(from, to) for every transition: for docs, diagrams and the coherence test."""
        return [(step.id, target) for step in self.steps for target in step.targets()]

    def mermaid(self) -> str:
        lines = ["flowchart TD"]
        lines += [f"  {a.replace('.', '_')} --> {b.replace('.', '_')}" for a, b in self.edges()]
        return "\n".join(lines)
