"""The six measured journeys, end to end: the real workflows, the real client, the real server.

The scripts are those of bench/journeys.py (written once); the SMS code is read from the
file the server's worker writes, when the code step comes. A view showing an error stops
a replay (`UnexpectedError`), so every test also checks that nothing went wrong on the way.
"""

from __future__ import annotations

from datetime import date

from bench.people import visit_took_place
from bench.scripts import (
    SmsInbox,
    books_for_a_new_relative,
    cancels,
    joins_the_waiting_list,
    moves,
    new_person_books,
    replay,
    returning_person_books,
    returning_person_books_again,
)
from kiosk.client.services import KioskServices
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from kiosk.workflows.services import Appointment
from server.models import Appointment as AppointmentRow
from tests.kiosk.client.people import Doctor
from tests.kiosk.conftest import PHONE, assert_waiting_for


def _run(services: KioskServices, script) -> list:  # noqa: ANN001
    """The journey in a fresh session, left signed in so the outcome can be read back."""
    return replay(Flow(JOURNEYS, services), script).views


def _confirmed(appointments: list[Appointment]) -> list[Appointment]:
    return [a for a in appointments if a.status == "confirmed"]


def test_a_new_person_creates_the_account_and_books_for_themself(
    services: KioskServices, inbox: SmsInbox, doctor: Doctor
) -> None:
    views = _run(services, new_person_books(PHONE, inbox.code))
    assert views[-1].step == "booking.done"
    assert "sign_in.consent" in [v.step for v in views]
    me = services.me()
    assert (me.profile.first_name, me.profile.last_name) == ("Marie", "Dupont")
    assert me.profile.birth_date == date(1950, 3, 12)
    [appointment] = _confirmed(services.appointments())
    assert (appointment.practitioner_id, appointment.patient_id) == (doctor.id, me.profile.id)


def test_a_returning_person_books_with_the_code_alone(
    services: KioskServices, inbox: SmsInbox, doctor: Doctor, holder_id: int
) -> None:
    views = _run(services, returning_person_books(PHONE, inbox.code))
    assert views[-1].step == "booking.done"
    assert not {"sign_in.consent", "sign_in.sex"} & {v.step for v in views}
    [appointment] = _confirmed(services.appointments())
    assert (appointment.practitioner_id, appointment.patient_id) == (doctor.id, holder_id)


def test_a_patient_of_the_practitioner_books_without_being_asked_what_the_server_knows(
    database_url: str, services: KioskServices, inbox: SmsInbox, booked: AppointmentRow
) -> None:
    visit_took_place(database_url, PHONE)
    done = replay(Flow(JOURNEYS, services), returning_person_books(PHONE, inbox.code))
    shown = [v.step for v in done.views]
    assert shown[-1] == "booking.done"
    assert not {"booking.seen_before", "booking.motive"} & set(shown)
    [appointment] = _confirmed(services.appointments())
    assert (appointment.motive_id, appointment.practitioner_id) == (
        booked.motive_id,
        booked.practitioner_id,
    )
    assert done.counts()["actions"] == 8


def test_a_returning_person_books_again_with_a_practitioner_already_seen(
    services: KioskServices, inbox: SmsInbox, booked
) -> None:
    views = _run(services, returning_person_books_again(PHONE, inbox.code))
    assert views[-1].step == "booking.done"
    assert not {"booking.what", "booking.results", "booking.seen_before"} & {v.step for v in views}
    assert len(_confirmed(services.appointments())) == 2


def test_a_returning_person_books_for_a_new_relative(
    services: KioskServices, inbox: SmsInbox, doctor: Doctor, holder_id: int
) -> None:
    views = _run(services, books_for_a_new_relative(PHONE, inbox.code))
    assert views[-1].step == "booking.done"
    [relative] = services.me().relatives
    assert (relative.first_name, relative.birth_date) == ("Noé", date(2019, 7, 4))
    assert relative.relationship == "enfant"
    [appointment] = _confirmed(services.appointments())
    assert appointment.patient_id == relative.id != holder_id


def test_a_returning_person_cancels_an_appointment(
    services: KioskServices, inbox: SmsInbox, booked: AppointmentRow
) -> None:
    views = _run(services, cancels(PHONE, inbox.code))
    assert views[-1].step == "appointments.cancelled"
    assert {a.id: a.status for a in services.appointments()} == {booked.id: "cancelled"}


def test_a_returning_person_moves_an_appointment_to_another_time(
    services: KioskServices, inbox: SmsInbox, booked: AppointmentRow
) -> None:
    views = _run(services, moves(PHONE, inbox.code))
    assert views[-1].step == "appointments.moved"
    [moved] = _confirmed(services.appointments())
    assert moved.practitioner_id == booked.practitioner_id
    assert moved.starts_at.replace(tzinfo=None) != booked.starts_at


def test_a_returning_person_asks_to_be_told_of_an_earlier_time(
    db, services: KioskServices, inbox: SmsInbox, booked: AppointmentRow
) -> None:
    views = _run(services, joins_the_waiting_list(PHONE, inbox.code))
    assert views[-1].step == "appointments.waiting"
    assert_waiting_for(db, booked)
    assert [a.id for a in _confirmed(services.appointments())] == [booked.id]  # still booked
