"""The kiosk and the centre's counsellors, over the real server: the kiosk tells what it
shows and how its printer is, calls for help, hears who is coming, and counts journeys."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kiosk.client.presence import Presence
from kiosk.client.services import KioskServices
from kiosk.workflows.services import JourneyRun, Where
from server.db import Database
from server.models import Counsellor, HelpRequest, Kiosk
from server.models import JourneyRun as Run
from server.services import help_requests


def _kiosk(db: Database, kiosk_id: int) -> Kiosk:
    with db.reading() as read:
        return read.get(Kiosk, kiosk_id)


def _counsellor(db: Database, name: str) -> Counsellor:
    with db.writing() as write:
        counsellor = Counsellor(login=name.lower(), name=name, password_hash="-", totp_secret="-")
        write.add(counsellor)
        write.flush()
        write.expunge(counsellor)
        return counsellor


def test_the_kiosk_reports_its_journey_step_printer_and_last_sync(
    services: KioskServices, db: Database, kiosk
) -> None:
    services.replica.sync(services.api)
    services.showing(Where("Prendre un rendez-vous", "booking.slot", (4, 6)))
    Presence(services.desk, services.replica, lambda: "no_paper").once()
    seen = _kiosk(db, kiosk.id)
    assert (seen.journey, seen.step, seen.progress) == (
        "Prendre un rendez-vous",
        "booking.slot",
        "4/6",
    )
    assert seen.printer == "no_paper"
    assert seen.last_sync_at is not None and seen.last_seen_at is not None


def test_a_call_for_help_is_answered_with_the_name_of_who_is_coming(
    services: KioskServices, db: Database, kiosk
) -> None:
    services.ask_for_help("booking.slot")
    assert services.helper_coming() is None
    camille = _counsellor(db, "Camille")
    with db.writing() as write:
        request = help_requests.current(write, kiosk.id)
        help_requests.coming(write, request.id, camille)
    Presence(services.desk, services.replica).once()
    assert services.helper_coming() == "Camille"


def test_the_end_of_the_session_withdraws_the_call_for_help(
    services: KioskServices, db: Database, kiosk
) -> None:
    services.ask_for_help("welcome.menu")
    services.end_session()
    with db.reading() as read:
        requests = read.scalars(select(HelpRequest).where(HelpRequest.kiosk_id == kiosk.id)).all()
    assert [r.closed_at is not None for r in requests] == [True]
    assert services.helper_coming() is None


def test_a_journey_counted_leaves_with_the_next_upkeep_and_carries_no_person(
    services: KioskServices, db: Database
) -> None:
    services.journey_ended(JourneyRun("Prendre un rendez-vous", False, "booking.motive", 70))
    with db.reading() as read:
        assert read.scalars(select(Run)).all() == []  # queued: counting never makes anyone wait
    services.outbox.drain()
    with db.reading() as read:
        run = read.scalars(select(Run)).one()
    assert (run.journey, run.completed, run.last_step, run.seconds) == (
        "Prendre un rendez-vous",
        False,
        "booking.motive",
        70,
    )
    assert run.day == date.today()


def test_while_a_visitor_waits_for_a_counsellor_the_kiosk_reports_every_second(
    services: KioskServices, db: Database, kiosk
) -> None:
    reporting = Presence(services.desk, services.replica, every_seconds=5)
    assert reporting.pause() == 5
    services.ask_for_help("booking.slot")
    assert reporting.pause() == 1.0
    camille = _counsellor(db, "Camille")
    with db.writing() as write:
        help_requests.coming(write, help_requests.current(write, kiosk.id).id, camille)
    reporting.once()
    assert reporting.pause() == 5
