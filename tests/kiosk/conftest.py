"""A flow over the in-memory world, on a fixed day; and the live server's people for the
journeys run end to end (by text, by touch, by voice)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import select

from bench.people import prepare
from bench.scripts import SmsInbox, returning_person_books
from kiosk.client.services import KioskServices, open_services
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.clock import utcnow
from server.models import Appointment as AppointmentRow
from server.models import WaitlistEntry
from server.services.worker import run_worker
from tests.factories import add_opening_hours, make_account, make_practitioner, make_slot
from tests.kiosk.client.people import Doctor
from tests.kiosk.workflows.memory_services import MemoryServices
from tests.server.sms_sign_in import age_codes

if TYPE_CHECKING:
    from kiosk.voice.recognition.whisper import WhisperRecogniser
    from kiosk.voice.speech import Synthesiser

TODAY = date(2026, 11, 23)
KNOWN_PHONE = "+33698765432"


@pytest.fixture
def world() -> MemoryServices:
    return MemoryServices(TODAY, known_phone=KNOWN_PHONE)


@pytest.fixture
def clock() -> list[float]:
    """Seconds since the epoch, moved by the tests."""
    return [1_000_000.0]


@pytest.fixture
def flow(world: MemoryServices, clock: list[float]) -> Flow:
    return Flow(JOURNEYS, world, today=lambda: TODAY, clock=lambda: clock[0])


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where Whisper base is joined from its packages, once per test session."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="session")
def whisper(models: Path) -> WhisperRecogniser:
    """Whisper base, loaded once per test session (the voice, the screens, the phone)."""
    from kiosk.voice.recognition.whisper import WhisperRecogniser

    return WhisperRecogniser.from_packages(models)


@pytest.fixture(scope="module")
def synthesiser() -> Iterator[Synthesiser]:
    """The kiosk's voice (espeak-ng in its worker process)."""
    from kiosk.voice.speech import Synthesiser

    synthesiser = Synthesiser()
    yield synthesiser
    synthesiser.close()


# ------------------------------------------------------------------ on the live server

PHONE = "0610000001"
NUMBER = "+33610000001"


@pytest.fixture
def services(live_server: str, kiosk, tmp_path: Path) -> Iterator[KioskServices]:
    services = open_services(live_server, kiosk.token, tmp_path / "kiosk")
    yield services
    services.outbox.close()
    services.replica.close()


@pytest.fixture
def inbox(db, settings) -> SmsInbox:
    """The server's SMS file; the worker runs when a code is awaited, as it would anyway."""
    return SmsInbox(settings.sms_file_path, deliver=lambda: run_worker(db, settings, once=True))


@pytest.fixture
def doctor(db) -> Doctor:
    """A general practitioner in Douai, free from the day after tomorrow only: the worker
    (run for the SMS) also makes slots from opening hours, and one today could not be
    cancelled online any more."""
    later = (utcnow() + timedelta(days=2)).weekday()
    with db.writing() as session:
        practitioner = make_practitioner(session)
        rule = add_opening_hours(session, practitioner, weekdays=[later])[0]
        slots = [
            make_slot(session, practitioner, starts_in=timedelta(days=d), opening=rule)
            for d in (2, 3, 4)
        ]
        return Doctor(practitioner.id, [m.id for m in practitioner.motives], [s.id for s in slots])


@pytest.fixture
def holder_id(db) -> int:
    """A returning person: an account with a full profile."""
    with db.writing() as session:
        return make_account(session, phone=NUMBER, first_name="Marie", last_name="Dupont")[1].id


@pytest.fixture
def booked(db, services: KioskServices, inbox: SmsInbox, holder_id: int, doctor: Doctor):
    """The returning person booked earlier and comes back later (the server waits a minute
    between codes). Returns the appointment as the server holds it."""
    prepare(services, PHONE, inbox, script=returning_person_books)
    age_codes(db, NUMBER, timedelta(hours=1))
    with db.reading() as session:
        return session.scalars(
            select(AppointmentRow).where(AppointmentRow.patient_id == holder_id)
        ).one()


def assert_waiting_for(db, booked: AppointmentRow) -> None:  # noqa: ANN001
    """One active waiting-list entry, for the practitioner, patient and motive booked."""
    with db.reading() as session:
        entry = session.scalars(select(WaitlistEntry)).one()
        assert (entry.practitioner_id, entry.patient_id, entry.motive_id, entry.active) == (
            booked.practitioner_id,
            booked.patient_id,
            booked.motive_id,
            True,
        )
