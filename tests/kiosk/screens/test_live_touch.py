"""The six journeys touched on the real screens, against the real server under uvicorn.

The scripts are bench/journeys.py's; `bench.touch.play` turns each of their events into what
a person does: the phone and the SMS code on the keypad, names on the AZERTY keyboard, the
birth date with its + and − buttons, a day tab and a time, "Confirmer" on the review card.
What the server then holds is read back from its database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select

from bench.scripts import (
    books_for_a_new_relative,
    cancels,
    joins_the_waiting_list,
    moves,
    new_person_books,
    returning_person_books,
)
from bench.touch import play
from kiosk.client.services import KioskServices
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.db import Database
from server.models import Account, AppointmentStatus, Patient
from server.models import Appointment as AppointmentRow
from tests.kiosk.conftest import NUMBER, PHONE, assert_waiting_for
from tests.kiosk.screens.conftest import Hand


@pytest.fixture
def new_flow(services: KioskServices) -> Callable[[], Flow]:
    """The kiosk's flows over the real client, talking to the live server."""
    return lambda: Flow(JOURNEYS, services)


def appointments(db: Database) -> list[AppointmentRow]:
    with db.reading() as session:
        return list(session.scalars(select(AppointmentRow).order_by(AppointmentRow.id)))


def confirmed(db: Database) -> list[AppointmentRow]:
    return [a for a in appointments(db) if a.status == AppointmentStatus.CONFIRMED]


def finish(hand: Hand) -> None:
    """ "Terminer": the person leaves, the welcome screen comes back with nothing of them."""
    hand.tap("Terminer", "button")
    assert hand.session.view.step == "welcome.menu"


def test_a_new_person_creates_the_account_and_books_by_touch(db, inbox, doctor, hand: Hand):
    steps = play(hand, new_person_books(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    assert {"sign_in.consent", "sign_in.birth_date"} <= set(steps)
    with db.reading() as session:
        account = session.scalars(select(Account).where(Account.phone == NUMBER)).one()
        [me] = account.patients
        assert (me.first_name, me.last_name, me.birth_date) == (
            "Marie",
            "Dupont",
            date(1950, 3, 12),
        )
    [appointment] = confirmed(db)
    assert (appointment.practitioner_id, appointment.patient_id) == (doctor.id, me.id)
    finish(hand)
    assert not any("Dupont" in w.words for w in hand.widgets() if w.words)


def test_a_returning_person_books_by_touch_with_the_code_alone(db, inbox, doctor, holder_id, hand):
    steps = play(hand, returning_person_books(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    assert not {"sign_in.consent", "sign_in.sex"} & set(steps)
    [appointment] = confirmed(db)
    assert (appointment.practitioner_id, appointment.patient_id) == (doctor.id, holder_id)
    finish(hand)


def test_a_returning_person_books_for_a_new_relative_by_touch(db, inbox, doctor, holder_id, hand):
    steps = play(hand, books_for_a_new_relative(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    with db.reading() as session:
        relative = session.scalars(select(Patient).where(Patient.id != holder_id)).one()
        assert (relative.first_name, relative.last_name, relative.birth_date) == (
            "Noé",
            "Dupont",
            date(2019, 7, 4),
        )
        assert relative.relationship_label == "enfant"
    [appointment] = confirmed(db)
    assert appointment.patient_id == relative.id
    finish(hand)


def test_a_returning_person_cancels_by_touch(db, inbox, booked, hand):
    steps = play(hand, cancels(PHONE, inbox.code))
    assert steps[-1] == "appointments.cancelled"
    assert [(a.id, a.status) for a in appointments(db)] == [
        (booked.id, AppointmentStatus.CANCELLED)
    ]
    finish(hand)


def test_a_returning_person_moves_an_appointment_by_touch(db, inbox, booked, hand):
    steps = play(hand, moves(PHONE, inbox.code))
    assert steps[-1] == "appointments.moved"
    [moved] = confirmed(db)
    assert moved.practitioner_id == booked.practitioner_id
    assert moved.starts_at != booked.starts_at
    finish(hand)


def test_a_returning_person_joins_the_waiting_list_by_touch(db, inbox, booked, hand):
    steps = play(hand, joins_the_waiting_list(PHONE, inbox.code))
    assert steps[-1] == "appointments.waiting"
    assert_waiting_for(db, booked)
    assert [a.id for a in confirmed(db)] == [booked.id]
    finish(hand)
