"""The six journeys (and two more) said to the voice dialogue, against the real server.

The scripts are those of bench/scripts.py, said as a person would (tests/kiosk/voice/person.py):
the words the recogniser would give go to the dialogue, which reads typed data back and moves
the real flow over the real client. Audio is left out here: tests/kiosk/voice/recognition and
test_conversation.py run real speech through the recogniser.
"""

from __future__ import annotations

from datetime import date

from bench.people import visit_took_place
from bench.scripts import (
    books_for_a_new_relative,
    cancels,
    joins_the_waiting_list,
    moves,
    new_person_books,
    returning_person_books,
    returning_person_books_again,
)
from kiosk.client.services import KioskServices
from kiosk.voice.dialogue import Dialogue
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.clock import utcnow
from tests.kiosk.conftest import PHONE, assert_waiting_for
from tests.kiosk.voice.person import said_by_pairs, said_date, speak_replay


def said(services: KioskServices, script) -> list[str]:  # noqa: ANN001
    """The steps the journey went through, said in a fresh session (left signed in)."""
    dialogue = Dialogue(Flow(JOURNEYS, services), today=lambda: utcnow().date())
    dialogue.start()
    return [view.step for view in speak_replay(dialogue, script)]


def confirmed(services: KioskServices) -> list:
    return [a for a in services.appointments() if a.status == "confirmed"]


def test_the_person_says_a_phone_number_by_pairs_and_a_date_in_words():
    assert said_by_pairs("0610000001") == "zéro six, dix, zéro zéro, zéro zéro, zéro un"
    assert said_date("01/04/1960") == "le premier avril mille neuf cent soixante"


def test_a_new_person_creates_the_account_and_books_by_speaking(services, inbox, doctor):
    steps = said(services, new_person_books(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    me = services.me()
    assert (me.profile.first_name, me.profile.last_name) == ("Marie", "Dupont")
    assert me.profile.birth_date == date(1950, 3, 12)
    [appointment] = confirmed(services)
    assert appointment.practitioner_id == doctor.id


def test_a_returning_person_books_by_speaking(services, inbox, doctor, holder_id):
    steps = said(services, returning_person_books(PHONE, inbox.code))
    assert steps[-1] == "booking.done"
    [appointment] = confirmed(services)
    assert (appointment.practitioner_id, appointment.patient_id) == (doctor.id, holder_id)


def test_a_patient_books_again_with_the_practitioner_seen(database_url, services, inbox, booked):
    visit_took_place(database_url, PHONE)
    assert said(services, returning_person_books(PHONE, inbox.code))[-1] == "booking.done"
    [appointment] = confirmed(services)  # the one before took place
    assert (appointment.motive_id, appointment.practitioner_id) == (
        booked.motive_id,
        booked.practitioner_id,
    )


def test_a_returning_person_books_again_by_speaking(services, inbox, booked):
    assert said(services, returning_person_books_again(PHONE, inbox.code))[-1] == "booking.done"
    assert len(confirmed(services)) == 2


def test_a_relative_is_added_and_booked_for_by_speaking(services, inbox, doctor, holder_id):
    assert said(services, books_for_a_new_relative(PHONE, inbox.code))[-1] == "booking.done"
    [relative] = services.me().relatives
    assert (relative.first_name, relative.birth_date) == ("Noé", date(2019, 7, 4))
    [appointment] = confirmed(services)
    assert appointment.patient_id == relative.id != holder_id


def test_an_appointment_is_cancelled_by_speaking(services, inbox, booked):
    assert said(services, cancels(PHONE, inbox.code))[-1] == "appointments.cancelled"
    assert {a.id: a.status for a in services.appointments()} == {booked.id: "cancelled"}


def test_an_appointment_is_moved_by_speaking(services, inbox, booked):
    assert said(services, moves(PHONE, inbox.code))[-1] == "appointments.moved"
    [moved] = confirmed(services)
    assert moved.starts_at.replace(tzinfo=None) != booked.starts_at


def test_the_waiting_list_is_joined_by_speaking(db, services, inbox, booked):
    assert said(services, joins_the_waiting_list(PHONE, inbox.code))[-1] == "appointments.waiting"
    assert_waiting_for(db, booked)
