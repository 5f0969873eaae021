"""Writes survive a killed kiosk process and a server that is down: none lost, none doubled."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.client.outbox import Outbox
from kiosk.workflows.services import Offline, ServiceError
from server.db import Database
from server.models import Account, Appointment, AppointmentStatus, IdempotencyRecord
from tests.conftest import ROOT
from tests.factories import sign_in
from tests.kiosk.client.conftest import closed_port_url, make_api
from tests.kiosk.client.people import add_doctor, add_person


def _booking(db: Database, kiosk_id: int) -> tuple[str, dict]:
    """A signed-in person's session token and the body of a hold on a free slot."""
    doctor = add_doctor(db)
    patient_id = add_person(db)
    with db.writing() as session:
        account = session.scalar(select(Account))
        token = sign_in(session, account, kiosk_id)
    body = {
        "slot_id": doctor.slot_ids[0],
        "motive_id": doctor.motive_ids[0],
        "patient_id": patient_id,
        "first_visit": True,
    }
    return token, body


def _appointments(db: Database) -> list[Appointment]:
    with db.reading() as session:
        return list(session.scalars(select(Appointment)))


def _run_child(code: str, *args: str) -> None:
    """A kiosk process that stops dead (os._exit: no clean-up, no flush of its own)."""
    program = textwrap.dedent(code)
    done = subprocess.run(
        [sys.executable, "-c", program, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 17, done.stderr


_QUEUE_THEN_DIE = """
    import json, os, sys
    from kiosk.client.api import Api
    from kiosk.client.outbox import Outbox
    path, url, kiosk_token, token, body = sys.argv[1:]
    outbox = Outbox(path, Api(url, kiosk_token))
    outbox.add("POST", "/appointments", json.loads(body), token=token)
    os._exit(17)  # killed after queueing, before sending
"""

_SEND_THEN_DIE = """
    import json, os, sys
    from kiosk.client.api import Api
    from kiosk.client.outbox import Outbox
    path, url, kiosk_token, token, body = sys.argv[1:]
    outbox = Outbox(path, Api(url, kiosk_token))
    key = outbox.add("POST", "/appointments", json.loads(body), token=token)
    outbox.api.request("POST", "/appointments", body=json.loads(body), token=token, key=key)
    os._exit(17)  # killed after the server acted, before the write left the outbox
"""


@pytest.mark.parametrize("child", [_QUEUE_THEN_DIE, _SEND_THEN_DIE], ids=["queued", "sent"])
def test_a_write_survives_a_killed_process_and_is_done_exactly_once(
    child: str, live_server: str, kiosk, db: Database, tmp_path: Path
) -> None:
    token, body = _booking(db, kiosk.id)
    path = tmp_path / "outbox.sqlite3"
    _run_child(child, str(path), live_server, kiosk.token, token, json.dumps(body))

    outbox = Outbox(path, make_api(live_server, kiosk.token))  # the kiosk starts again
    assert len(outbox.pending()) == 1
    assert outbox.drain() == 1
    assert outbox.pending() == [] and outbox.drain() == 0
    (appointment,) = _appointments(db)
    assert appointment.slot_id == body["slot_id"]
    assert appointment.status == AppointmentStatus.PENDING


def test_a_server_that_is_down_keeps_the_write_until_it_is_back(
    live_server: str, kiosk, db: Database, tmp_path: Path
) -> None:
    token, body = _booking(db, kiosk.id)
    path = tmp_path / "outbox.sqlite3"
    down = Outbox(path, make_api(closed_port_url(), kiosk.token))
    with pytest.raises(Offline) as offline:
        down.send("POST", "/appointments", body, token=token)
    assert offline.value.queued is True
    (kept,) = down.pending()
    assert (kept.method, kept.path, kept.body, kept.token) == ("POST", "/appointments", body, token)
    assert down.drain() == 0 and len(down.pending()) == 1  # still down: still kept
    down.close()
    assert _appointments(db) == []

    back = Outbox(path, make_api(live_server, kiosk.token))
    assert back.drain() == 1
    assert back.drain() == 0
    assert len(_appointments(db)) == 1
    with db.reading() as session:  # it went with the key it was given when queued
        record = session.scalar(select(IdempotencyRecord))
        assert record.key == kept.key
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


def test_writes_are_sent_in_the_order_they_were_made(
    live_server: str, kiosk, db: Database, tmp_path: Path
) -> None:
    token, body = _booking(db, kiosk.id)
    path = tmp_path / "outbox.sqlite3"
    down = Outbox(path, make_api(closed_port_url(), kiosk.token))
    down.add("POST", "/appointments", body, token=token)
    down.add("POST", "/me/logout", token=token)  # must come after the booking
    back = Outbox(path, make_api(live_server, kiosk.token))
    with pytest.raises(ServiceError) as refused:  # sent last: the session has ended
        back.send("POST", "/me/relatives", {"first_name": "Noé"}, token=token)
    assert refused.value.code == "session_expired"
    assert len(_appointments(db)) == 1  # the booking went before the sign-out
    assert back.pending() == []


def test_a_definitive_refusal_leaves_the_outbox(
    live_server: str, kiosk, db: Database, tmp_path: Path
) -> None:
    token, body = _booking(db, kiosk.id)
    outbox = Outbox(tmp_path / "outbox.sqlite3", make_api(live_server, kiosk.token))
    with pytest.raises(ServiceError) as refused:
        outbox.send("POST", "/appointments", body | {"slot_id": 10**9}, token=token)
    assert refused.value.status == 404 and refused.value.field == "slot_id"
    assert outbox.pending() == []
