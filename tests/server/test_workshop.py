"""Workshops (server/services/workshop.py): kiosks set to an exercise work in a sandbox of
their own — a fictional directory, SMS that are never sent, appointments that reach no
practice — built when the workshop starts and wiped when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.config import Settings
from server.db import Database
from server.models import Kiosk, OutboxMessage, Practitioner
from server.services import workshop
from server.services.worker import run_worker
from tests.server.sms_sign_in import TYPED_PHONE, ask_code


@pytest.fixture
def sandbox(app) -> Database:  # noqa: ANN001
    return app.state.sandbox


@pytest.fixture
def in_sandbox(app, kiosk_token: str) -> Iterator[TestClient]:  # noqa: ANN001
    """The kiosk's client, talking to the workshops' sandbox."""
    with TestClient(
        app, base_url="http://testserver/atelier", headers={"X-Kiosk-Token": kiosk_token}
    ) as test_client:
        yield test_client


def _start(db: Database, sandbox: Database, kiosk_id: int, exercise: str = "book") -> None:
    with db.writing() as session:
        workshop.start(session, sandbox, [kiosk_id], exercise)


def _count(database: Database, model: type) -> int:
    with database.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_kiosk_set_to_an_exercise_hears_it_in_its_presence_answer(
    client: TestClient, db: Database, sandbox: Database, kiosk
) -> None:
    _start(db, sandbox, kiosk.id, "book")
    answer = client.put("/api/v1/kiosk/presence", json={"printer": "none"}).json()
    assert answer["workshop"] == {"exercise": "book", "resets": 0}
    with db.writing() as session:
        workshop.reset(session, kiosk.id)
    answer = client.put("/api/v1/kiosk/presence", json={"printer": "none"}).json()
    assert answer["workshop"] == {"exercise": "book", "resets": 1}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the sandbox is SQLite
def test_the_sandbox_knows_the_kiosk_and_holds_the_fictional_directory(
    db: Database, sandbox: Database, kiosk, in_sandbox: TestClient
) -> None:
    _start(db, sandbox, kiosk.id)
    assert _count(sandbox, Practitioner) > 100
    with sandbox.reading() as session:
        assert session.get(Kiosk, kiosk.id).commune_insee == workshop.SANDBOX_TOWN
    found = in_sandbox.get("/api/v1/practitioners", params={"specialty": "medecine-generale"})
    assert found.status_code == 200 and found.json()["results"]


def test_an_sms_code_in_a_workshop_is_kept_for_the_exercise_phone_and_never_sent(
    db: Database, sandbox: Database, settings: Settings, kiosk, in_sandbox: TestClient
) -> None:
    _start(db, sandbox, kiosk.id)
    ask_code(in_sandbox, TYPED_PHONE)
    shown = in_sandbox.get("/api/v1/exercise-phone", params={"to": TYPED_PHONE})
    [message] = shown.json()["messages"]
    assert "code" in message["body"].lower()
    assert _count(db, OutboxMessage) == 0  # the real outbox never saw it
    run_worker(db, settings, once=True)
    assert not Path(settings.sms_file_path).exists() or not Path(settings.sms_file_path).read_text()


def test_the_exercise_phone_exists_only_in_the_sandbox(client: TestClient) -> None:
    assert client.get("/api/v1/exercise-phone", params={"to": TYPED_PHONE}).status_code == 404


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the sandbox is SQLite
def test_a_bad_number_on_the_exercise_phone_is_refused_naming_the_field(
    db: Database, sandbox: Database, kiosk, in_sandbox: TestClient
) -> None:
    _start(db, sandbox, kiosk.id)
    answer = in_sandbox.get("/api/v1/exercise-phone", params={"to": "01 23 45 67 89"})
    assert answer.status_code == 422 and answer.json()["field"] == "phone"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the sandbox is SQLite
def test_the_end_of_the_workshop_wipes_the_sandbox_and_frees_the_kiosks(
    client: TestClient, db: Database, sandbox: Database, kiosk, in_sandbox: TestClient
) -> None:
    _start(db, sandbox, kiosk.id)
    ask_code(in_sandbox, TYPED_PHONE)
    with db.writing() as session:
        workshop.end(session, sandbox)
    assert _count(sandbox, OutboxMessage) == _count(sandbox, Practitioner) == 0
    answer = client.put("/api/v1/kiosk/presence", json={"printer": "none"}).json()
    assert answer["workshop"] is None
    files = Path(sandbox.engine.url.database).parent.glob("workshop.sqlite3*")
    assert all(b"+33612345678" not in f.read_bytes() for f in files)  # nor in free pages


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the sandbox is SQLite
def test_a_second_kiosk_joins_the_workshop_without_rebuilding_the_sandbox(
    db: Database, sandbox: Database, kiosk, in_sandbox: TestClient
) -> None:
    _start(db, sandbox, kiosk.id)
    ask_code(in_sandbox, TYPED_PHONE)
    with db.writing() as session:
        other = Kiosk(name="Borne 2", commune_insee="59178", token_hash="x" * 64)
        session.add(other)
        session.flush()
        workshop.start(session, sandbox, [other.id], "book")
    assert _count(sandbox, OutboxMessage) == 1


def test_a_reset_or_an_exercise_outside_a_workshop_is_refused(db: Database, kiosk) -> None:
    with db.writing() as session, pytest.raises(Exception, match="pas en atelier"):
        workshop.reset(session, kiosk.id)
    with db.writing() as session, pytest.raises(Exception, match="Exercice"):
        workshop.check_exercise("Réserver ; DROP")


def test_a_kiosk_reports_its_exercises_and_whether_the_goal_is_reached(
    client: TestClient, db: Database, sandbox: Database, kiosk
) -> None:
    offered = [{"id": "book", "title": "Prendre un rendez-vous"}]
    _start(db, sandbox, kiosk.id)
    body = {"printer": "none", "exercise_done": True, "exercises": offered, "mistakes": 3}
    assert client.put("/api/v1/kiosk/presence", json=body).status_code == 200
    with db.reading() as session:
        seen = session.get(Kiosk, kiosk.id)
    assert (seen.exercises, seen.exercise_done, seen.mistakes) == (offered, True, 3)
    bad = client.put(
        "/api/v1/kiosk/presence", json=body | {"exercises": [{"id": "X Y", "title": "t"}]}
    )
    assert bad.status_code == 422
