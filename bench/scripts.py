"""The journeys as a person does them: scripts of events, replayed through the real Flow.

Each script is a list of events a person sends, written once and replayed by the benches
(bench/journeys.py counts the actions, bench/touch.py touches them on the screen) and the
live tests. The SMS code is the one event known only at that moment: it is read from the
server's SMS file when the code step comes, as a person reads their phone. This module loads
only what a kiosk loads, so a measured kiosk process stays its own size.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.client.services import KioskServices
from kiosk.embedded_server import Embedded
from kiosk.workflows.flow import Flow, View
from kiosk.workflows.journeys import JOURNEYS
from kiosk.workflows.steps import INPUT_KINDS
from server.sms.file import messages_to

# An event is (method of Flow, argument), as in tests/kiosk/workflows/scenarios.py. An argument
# may be a callable: it is called when the event comes (the SMS code, sent a moment before).
# A third item names the step the event answers: it is skipped when the flow passed that step
# by itself (a practitioner with a single motive open to new patients, for instance).
Event = tuple[str, Any] | tuple[str, Any, str]
CodeReader = Callable[[str], str]  # phone → the code just sent to it

# What the person did before this journey: nothing (a new person), booked once (an upcoming
# appointment), or booked and went (a past visit: a patient of that practitioner).
NEW, BOOKED, VISITED = "new", "booked", "visited"

# ------------------------------------------------------------------------ the scripts

FRENCH: list[Event] = []  # the first screen is the main menu, in French
# The main menu's "Prendre un rendez-vous", a general practitioner near here, the first one
# found (the soonest free), then "Prendre rendez-vous" on their card.
BOOK_GP_HERE = [
    ("answer", "book"),
    ("answer", "medecine-generale"),
    ("choose", 1),
    ("answer", "book"),
]
# Never seen them, the first reason (unless it is the only one), the first time, confirm.
AND_BOOK = [("answer", False), ("choose", 1, "booking.motive"), ("choose", 1), ("answer", True)]
NEW_PROFILE = [
    ("answer", True),  # consent
    ("answer", "F"),
    ("answer", "Marie"),
    ("answer", "Dupont"),
    ("answer", "12/03/1950"),
]
NEW_RELATIVE = [
    ("answer", "new"),  # Une autre personne
    ("answer", "M"),
    ("answer", "Noé"),
    ("answer", "Dupont"),
    ("answer", "04/07/2019"),
    ("answer", "enfant"),
    ("answer", True),  # the relative read back is right
]
MY_FIRST_APPOINTMENT = [("answer", "mine")]


def sign_in(phone: str, code: CodeReader) -> list[Event]:
    return [("answer", phone), ("answer", lambda: code(phone))]


def new_person_books(phone: str, code: CodeReader) -> list[Event]:
    return FRENCH + BOOK_GP_HERE + sign_in(phone, code) + NEW_PROFILE + AND_BOOK


def returning_person_books(phone: str, code: CodeReader) -> list[Event]:
    """Back to their doctor: seen before and the motive are known from the last visit."""
    again = [("answer", True, "booking.seen_before"), ("choose", 1, "booking.motive")]
    return FRENCH + BOOK_GP_HERE + sign_in(phone, code) + again + [("choose", 1), ("answer", True)]


def not_yet_seen(phone: str, code: CodeReader) -> list[Event]:
    """The same search, a doctor they have not seen yet: both questions are asked."""
    return FRENCH + BOOK_GP_HERE + sign_in(phone, code) + AND_BOOK


def returning_person_books_again(phone: str, code: CodeReader) -> list[Event]:
    """Mes rendez-vous → "Un autre rendez-vous avec …" the practitioner already seen."""
    again = [("choose", 2), ("choose", 1, "booking.motive"), ("choose", 1), ("answer", True)]
    return FRENCH + [("answer", "mine")] + sign_in(phone, code) + again


def books_for_a_new_relative(phone: str, code: CodeReader) -> list[Event]:
    for_a_relative = [*BOOK_GP_HERE[:-1], ("answer", "book_other")]
    return FRENCH + for_a_relative + sign_in(phone, code) + NEW_RELATIVE + AND_BOOK


def _on_my_appointment(phone: str, code: CodeReader, then: list[Event]) -> list[Event]:
    """Mes rendez-vous, signed in, the first upcoming appointment, then what to do with it."""
    return FRENCH + [("answer", "mine")] + sign_in(phone, code) + [("choose", 1)] + then


def cancels(phone: str, code: CodeReader) -> list[Event]:
    return _on_my_appointment(phone, code, [("answer", "cancel"), ("answer", True)])


def moves(phone: str, code: CodeReader) -> list[Event]:
    return _on_my_appointment(phone, code, [("answer", "move"), ("choose", 1), ("answer", True)])


def joins_the_waiting_list(phone: str, code: CodeReader) -> list[Event]:
    return _on_my_appointment(phone, code, [("answer", "waitlist"), ("answer", True)])


@dataclass(frozen=True)
class Journey:
    name: str
    script: Callable[[str, CodeReader], list[Event]]
    before: str  # NEW, BOOKED or VISITED


MEASURED = (
    Journey("new_person_books", new_person_books, NEW),
    Journey("returning_person_books", returning_person_books, VISITED),
    Journey("returning_person_books_again", returning_person_books_again, BOOKED),
    Journey("returning_person_books_someone_not_yet_seen", not_yet_seen, BOOKED),
    Journey("books_for_a_new_relative", books_for_a_new_relative, BOOKED),
    Journey("cancels", cancels, BOOKED),
    Journey("moves", moves, BOOKED),
    Journey("joins_the_waiting_list", joins_the_waiting_list, BOOKED),
)

# ------------------------------------------------------------------------ replaying


@dataclass
class Replay:
    """Every view shown and what the person did to get each one."""

    views: list[View]
    events: list[Event]  # as sent, callables resolved
    typed: list[str]  # answers typed at text, digits or date steps

    def counts(self) -> dict[str, int]:
        return {
            "actions": len(self.events),
            "typed_fields": len(self.typed),
            "typed_chars": sum(len(t) for t in self.typed),
            "prompts": len(self.views),
            "words": sum(len(text.split()) for v in self.views for text in v.texts()),
            "password": any("mot de passe" in t.lower() for v in self.views for t in v.texts()),
            "email": any(v.step == "sign_in.email" for v in self.views),
        }


class UnexpectedError(AssertionError):
    """A view showed an error the script did not expect: the journey went wrong."""


def replay(flow: Flow, events: list[Event]) -> Replay:
    """Send the events one by one, as a person would; the first view is counted too.

    Stops at the first view showing an error: every script here is a journey that goes well.
    """
    done = Replay([flow.view()], [], [])
    for method, argument, *at in events:
        shown = done.views[-1]
        if at and shown.step != at[0]:
            continue
        value = argument() if callable(argument) else argument
        typed = (
            method == "answer"
            and shown.kind in INPUT_KINDS
            and value not in [o.value for o in shown.options]
        )
        if typed:
            done.typed.append(str(value))
        done.events.append((method, value))
        done.views.append(getattr(flow, method)(value))
        if done.views[-1].error:
            raise UnexpectedError(f"{shown.step} → {method} {value!r}: {done.views[-1].error}")
    return done


class SmsInbox:
    """The codes the server's file backend wrote to a phone, newest first, each read once.

    `deliver` makes the server send what is due (tests run the worker once; a running
    worker needs nothing).
    """

    CODE = re.compile(r"code[^:]*:\s*(\d{6})")

    def __init__(
        self, path: str | Path, deliver: Callable[[], object] = lambda: None, wait: float = 15
    ) -> None:
        self.path, self.deliver, self.wait = Path(path), deliver, wait
        self._read: dict[str, int] = {}

    @classmethod
    def of(cls, server: Embedded) -> SmsInbox:
        """The SMS file of an embedded demo server (the server's default: in its data folder)."""
        default = Path(server.env["KIOSK_DATA_DIR"]) / "sms-outbox.jsonl"
        return cls(server.env.get("SMS_FILE_PATH", default))

    def _codes(self, phone: str) -> list[str]:
        found = (self.CODE.search(m["body"]) for m in messages_to(self.path, phone))
        return [m.group(1) for m in found if m]

    def skip_old(self, phone: str) -> None:
        """Codes already written (read by another process) are not read again."""
        self._read[phone] = len(self._codes(phone))

    def code(self, phone: str) -> str:
        deadline = time.monotonic() + self.wait
        while True:
            self.deliver()
            codes = self._codes(phone)
            if len(codes) > self._read.get(phone, 0):
                self._read[phone] = len(codes)
                return codes[-1]
            if time.monotonic() > deadline:
                raise TimeoutError("no new SMS code was written for this phone")
            time.sleep(0.1)


def run_journey(services: KioskServices, journey: Journey, phone: str, inbox: SmsInbox) -> Replay:
    """One journey in a fresh session; the session is left open to check its outcome."""
    return replay(Flow(JOURNEYS, services), journey.script(phone, inbox.code))
