"""How much a person does, types and reads in six journeys, beside Doctolib's (seed 001).

The journeys are replayed through the real workflows (`Flow` + `JOURNEYS`) and the real
kiosk client against a real server: the demo server of `kiosk text` (demo directory around
Douai, SQLite, its notification worker writing SMS to a file). Each journey's script is a
list of events a person sends, written once and replayed by tests/kiosk/test_live_journeys.py
too; the SMS code is the one event known only at that moment: it is read from the server's
SMS file when the code step comes, as a person reads their phone.

Counted from the first screen: the main menu, in French, with the other languages on it.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kiosk.client.services import KioskServices, open_services
from kiosk.embedded_server import embedded_server
from kiosk.workflows.flow import Flow, View
from kiosk.workflows.journeys import JOURNEYS
from kiosk.workflows.steps import INPUT_KINDS
from server.db import Database
from server.models import Account, Appointment, AppointmentStatus, Verification
from server.services.phones import normalize_mobile
from server.sms.file import messages_to

# An event is (method of Flow, argument), as in tests/kiosk/workflows/scenarios.py. An argument
# may be a callable: it is called when the event comes (the SMS code, sent a moment before).
# A third item names the step the event answers: it is skipped when the flow passed that step
# by itself (a practitioner with a single motive open to new patients, for instance).
Event = tuple[str, Any] | tuple[str, Any, str]
CodeReader = Callable[[str], str]  # phone → the code just sent to it

TARGETS = {
    "new_person_books": {"actions": 15, "typed_fields": 5},
    "returning_person_books": {"actions": 8},
    "returning_person_books_again": {"actions": 8},
}
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

    def _codes(self, phone: str) -> list[str]:
        found = (self.CODE.search(m["body"]) for m in messages_to(self.path, phone))
        return [m.group(1) for m in found if m]

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


def prepare(
    services: KioskServices, phone: str, inbox: SmsInbox, script: Callable = new_person_books
) -> None:
    """A returning person's past visit: by default an account and one upcoming appointment,
    made as a new person would. The server then wants a minute before the next code: see
    `came_back_later`."""
    flow = Flow(JOURNEYS, services)
    done = replay(flow, script(phone, inbox.code))
    flow.stop()
    if done.views[-1].step != "booking.done":
        raise RuntimeError(f"preparing a returning person ended at {done.views[-1].step}")


def visit_took_place(database_url: str, phone: str, days_ago: int = 30) -> None:
    """The person's appointments, moved into the past and marked honoured: they went, and
    are now a patient of that practitioner."""
    db = Database(database_url, pool_size=1)
    try:
        with db.writing() as session:
            mine = Appointment.account_id.in_(
                select(Account.id).where(Account.phone == normalize_mobile(phone))
            )
            for appointment in session.scalars(select(Appointment).where(mine)):
                appointment.starts_at -= timedelta(days=days_ago)
                appointment.ends_at -= timedelta(days=days_ago)
                appointment.status = AppointmentStatus.HONOURED
    finally:
        db.dispose()


def came_back_later(database_url: str, phone: str, by: timedelta = timedelta(hours=1)) -> None:
    """Move the codes sent to this phone back in time, as if the person came back later
    (the server refuses a new code within a minute, and more than 3 an hour)."""
    db = Database(database_url, pool_size=1)
    try:
        with db.writing() as session:
            # Row by row: SQLite keeps times as text, where SQL arithmetic does not work.
            target = Verification.target == normalize_mobile(phone)
            for verification in session.scalars(select(Verification).where(target)):
                verification.created_at -= by
                verification.expires_at -= by
    finally:
        db.dispose()


# ------------------------------------------------------------------------ Doctolib

# Seed 001 (a France Services workshop: "créer mon compte Doctolib et prendre mes rendez-vous").
# Counted from the document, path to a first booking for oneself, and nothing optional: not the
# browser and address bar (like walking up to the kiosk), nor e-mail check, two-factor
# authentication, preferences, cookies or documents, which the workshop also walks through.
#  new person: "Se connecter / Gérer mes RDV", "s'inscrire"; sign-up form: e-mail, password
#  (the account page lists Téléphone, Email, Mot de passe; the phone is asked afterwards);
#  terms checkbox, "S'inscrire"; the data-protection page's button; mobile number, SMS code,
#  "VALIDER"; "Mon profil Non-renseigné"; profile ("remplissez TOUS les champs"): sex, first
#  name, last name, birth name, birth date, "Né(e) en France", birth town, address, postcode,
#  town, "AJOUTER"; search: what, where, "Rechercher"; the practitioner; "Prendre rendez-vous";
#  for whom; seen before; motive; date; "CONFIRMER LE RENDEZ-VOUS".
#  = 32 actions, 14 typed fields.
#  returning person: "Se connecter", e-mail, password, "se connecter"; then the search and the
#  booking as above (what, where, Rechercher, practitioner, Prendre rendez-vous, for whom, seen
#  before, motive, date, confirm) = 14 actions, 4 typed fields.
# Typed characters use the same person as our scripts (Marie Dupont, 12/03/1950, Douai): e-mail
# marie.dupont@exemple.fr 23, password 8 (a minimum), phone 10, code 6, Marie 5, Dupont 6,
# birth name Dupont 6, 12/03/1950 10, Douai 5, "12 rue de la Gare" 17, 59500 5, Douai 5,
# "médecin généraliste" 19, Douai 5.
# Prompts: the screens the document shows or names on that path (for whom and the confirm
# button share one screen). Words: the words of the screen texts the document quotes on that
# path: code page 76, account page 35, profile form 61, seen before 29, motive 46, date 33, for
# whom and confirm 35 (a lower bound: screens it does not quote, such as the search results and
# the practitioner's card, count for nothing).
DOCTOLIB = (
    {
        "journey": "doctolib_new_person_books",
        "actions": 32,
        "typed_fields": 14,
        "typed_chars": 130,
        "prompts": 15,
        "words": 315,
        "password": True,
        "email": True,
    },
    {
        "journey": "doctolib_returning_person_books",
        "actions": 14,
        "typed_fields": 4,
        "typed_chars": 55,
        "prompts": 9,
        "words": 143,
        "password": True,
        "email": True,
    },
)


# ------------------------------------------------------------------------ the bench


def measure(folder: Path) -> list[dict]:
    with embedded_server(folder / "server") as server:
        data_dir = Path(server.env["KIOSK_DATA_DIR"])
        inbox = SmsInbox(server.env.get("SMS_FILE_PATH", data_dir / "sms-outbox.jsonl"))
        services = open_services(server.base_url, server.kiosk_token, folder / "kiosk")
        rows = []
        for n, journey in enumerate(MEASURED):
            phone = f"06100000{n:02d}"
            if journey.before != NEW:
                prepare(services, phone, inbox)
                came_back_later(server.env["DATABASE_URL"], phone)
            if journey.before == VISITED:
                visit_took_place(server.env["DATABASE_URL"], phone)
            flow = Flow(JOURNEYS, services)
            done = replay(flow, journey.script(phone, inbox.code))
            flow.stop()
            rows.append({"journey": journey.name, **done.counts(), "ends_at": done.views[-1].step})
    return rows


def run(kinds: tuple[str, ...] = ("sqlite",)) -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-journeys-") as folder:
        measured = measure(Path(folder))
    rows = [{"benchmark": "journeys", "database": "sqlite", **row} for row in measured]
    rows += [{"benchmark": "journeys", "database": "seed 001", **row} for row in DOCTOLIB]
    for row in rows:
        target = TARGETS.get(row["journey"])
        if target:
            row["meets_target"] = all(row[k] <= v for k, v in target.items()) and not (
                row["password"] or row["email"]
            )
    print_table(rows)
    return rows


COLUMNS = (
    ("journey", "journey", 32),
    ("actions", "actions*", 9),
    ("typed_fields", "typed", 6),
    ("typed_chars", "chars", 6),
    ("prompts", "prompts", 8),
    ("words", "words", 6),
    ("password", "password", 9),
    ("email", "e-mail", 7),
)


def print_table(rows: list[dict]) -> None:
    print("\n" + " ".join(f"{title:<{width}}" for _, title, width in COLUMNS) + " target")
    for row in rows:
        cells = [
            f"{('yes' if v else 'no') if isinstance(v, bool) else v!s:<{width}}"
            for v, width in ((row[key], width) for key, _, width in COLUMNS)
        ]
        met = row.get("meets_target")
        print(" ".join(cells) + ("" if met is None else " met" if met else " MISSED"))
    print(
        "* actions counted from the first screen, the main menu (French; other languages on it).\n"
        "  Targets: new person ≤ 15 actions, ≤ 5 typed fields, no password,\n"
        "  no e-mail; returning person ≤ 8 actions. Doctolib: counted from seed 001 (see\n"
        "  bench/journeys.py)."
    )
