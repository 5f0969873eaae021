"""A workshop at a real kiosk client and server: the exercise is booked in the sandbox, the
code arrives on the exercise phone, and nothing reaches the real directory, outbox or SMS."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench.scripts import new_person_books, replay
from kiosk.client.api import Api
from kiosk.client.outbox import Outbox
from kiosk.client.replica import Replica
from kiosk.client.services import KioskServices
from kiosk.workflows.exercises import BY_ID
from kiosk.workflows.flow import Flow
from kiosk.workflows.journeys import JOURNEYS
from server.config import Settings
from server.db import Database
from server.models import Appointment, OutboxMessage
from server.services import help_requests, workshop
from server.services.worker import run_worker
from tests.kiosk.client.conftest import make_api
from tests.kiosk.conftest import PHONE


@pytest.fixture
def sandbox(
    live_server: str, kiosk, services: KioskServices, tmp_path: Path
) -> Iterator[KioskServices]:  # noqa: ANN001
    """The kiosk's workshop services, sharing its Desk, once a counsellor set an exercise."""
    api: Api = make_api(f"{live_server}/atelier", kiosk.token)
    outbox, replica = Outbox(tmp_path / "w-outbox.sqlite3", api), Replica(tmp_path / "w.sqlite3")
    yield KioskServices(api, outbox, replica, services.desk, workshop=True)
    outbox.close()
    replica.close()
    api.close()


@pytest.fixture
def started(app, db: Database, kiosk) -> None:  # noqa: ANN001
    with db.writing() as session:
        workshop.start(session, app.state.sandbox, [kiosk.id], "book")


def exercise_code(services: KioskServices):  # noqa: ANN201
    """Reads the code on the exercise phone, as the participant does."""

    def read(_phone: str) -> str:
        [latest, *_] = services.exercise_phone()
        return re.search(r"\b(\d{6})\b", latest).group(1)

    return read


def _count(database: Database, model: type) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_booking_exercise_is_done_in_the_sandbox_and_reaches_no_practice(
    app,
    db: Database,
    settings: Settings,
    started: None,
    sandbox: KioskServices,  # noqa: ANN001
) -> None:
    flow = Flow(JOURNEYS, sandbox, exercise=BY_ID["book"])
    first = flow.view()
    assert first.workshop == ["Atelier : c'est un exercice.", BY_ID["book"].goal]
    assert first.texts()[:2] == first.workshop  # said first, at the main menu
    done = replay(flow, new_person_books(PHONE, exercise_code(sandbox)))
    assert done.views[-1].step == "booking.done"
    assert flow.state.exercise_done and sandbox.desk.where.exercise_done
    assert _count(app.state.sandbox, Appointment) == 1
    assert _count(db, Appointment) == _count(db, OutboxMessage) == 0
    run_worker(db, settings, once=True)
    sms = Path(settings.sms_file_path)
    assert not sms.exists() or not sms.read_text()  # no real SMS, not even the confirmation


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_call_for_help_during_an_exercise_reaches_the_real_dashboard(
    db: Database,
    kiosk,
    started: None,
    sandbox: KioskServices,  # noqa: ANN001
) -> None:
    Flow(JOURNEYS, sandbox, exercise=BY_ID["book"]).help()
    with db.reading() as session:
        assert help_requests.current(session, kiosk.id).step == "welcome.menu"


def test_everyday_services_have_no_exercise_phone(services: KioskServices) -> None:
    services.request_code(PHONE)
    assert services.exercise_phone() == []
