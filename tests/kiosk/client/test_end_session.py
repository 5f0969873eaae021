"""Ending a session: the next person finds nothing of the previous one, in memory or on disk.

Only a write the server has not answered yet may stay on disk, until it is sent.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.client.services import KioskServices
from kiosk.workflows.services import Offline, ServiceError
from server.models import AuthSession
from tests.conftest import DOUAI_INSEE
from tests.kiosk.client.conftest import closed_port_url
from tests.kiosk.client.people import add_doctor, sign_in_at_kiosk

FIRST, LAST, BORN = "Zéphyrine", "Quiroga-Vallée", date(1947, 11, 23)
CHILD = "Anatole-Bérénice"
# Every way these could be written down: as typed, folded, and as digits.
TRACES = [
    FIRST,
    LAST,
    "zephyrine",
    "quiroga",
    CHILD,
    "anatole",
    "1947-11-23",
    "23/11/1947",
    "0612345678",
    "612345678",
    "06 12 34 56 78",
]


def _traces_in(blob: bytes) -> list[str]:
    lower = blob.lower()
    return [t for t in TRACES if t.lower().encode() in lower or t.encode("utf-16-le") in blob]


def _files(*paths: Path) -> bytes:
    """A database with its write-ahead log and shared memory, as they lie on disk."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for path in paths
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


def _a_visit(services: KioskServices, db) -> None:
    """A new person signs in, creates the account, adds a child, books and confirms."""
    doctor = add_doctor(db)
    services.search(specialty="medecine-generale", name=None, near=DOUAI_INSEE)
    services.replica.sync(services.api)
    sign_in_at_kiosk(services, db)
    me = services.save_profile(
        {"sex": "F", "first_name": FIRST, "last_name": LAST, "birth_date": BORN}, consent=True
    )
    services.add_relative({"first_name": CHILD, "last_name": LAST, "relationship": "enfant"})
    held = services.hold(
        slot_id=doctor.slot_ids[0],
        motive_id=doctor.motive_ids[0],
        patient_id=me.profile.id,
        first_visit=True,
    )
    services.confirm(held.id)
    services.appointments()
    assert _traces_in(repr(vars(services)).encode())  # the test can see the person


def _revoked(db) -> bool:
    with db.reading() as session:
        return all(s.revoked_at is not None for s in session.scalars(select(AuthSession)))


def test_after_the_session_nothing_of_the_person_is_left_in_memory_files_or_logs(
    services: KioskServices, db, files, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _a_visit(services, db)
    assert _traces_in(_files(files["outbox"]))  # sent writes linger in the log until wiped
    services.end_session()
    assert not services.signed_in
    assert _traces_in(repr(vars(services)).encode()) == []
    assert services.outbox.pending() == []
    assert _traces_in(_files(files["outbox"], files["replica"])) == []
    assert _traces_in(caplog.text.encode()) == []
    assert _revoked(db)


def test_offline_the_sign_out_waits_in_the_outbox_and_revokes_later(
    services: KioskServices, db, files, live_server: str
) -> None:
    _a_visit(services, db)
    services.api.base_url = closed_port_url()
    assert services.me().profile.first_name == FIRST  # offline: from memory
    services.end_session()
    with pytest.raises(ServiceError):
        services.me()
    (logout,) = services.outbox.pending()
    assert (logout.method, logout.path, logout.body) == ("POST", "/me/logout", None)
    assert _traces_in(_files(files["outbox"], files["replica"])) == []
    assert not _revoked(db)
    services.api.base_url = live_server
    assert services.outbox.drain() == 1
    assert _revoked(db)


def test_an_unsent_write_keeps_its_data_only_until_it_is_sent(
    services: KioskServices, db, files, live_server: str
) -> None:
    _a_visit(services, db)
    services.api.base_url = closed_port_url()
    with pytest.raises(Offline) as offline:
        services.add_relative({"first_name": CHILD, "last_name": "Autre"})
    assert offline.value.queued
    services.end_session()
    assert CHILD in _traces_in(_files(files["outbox"]))  # kept: it must not be lost
    services.api.base_url = live_server
    assert services.outbox.drain() == 2  # the relative, then the sign-out
    assert _traces_in(_files(files["outbox"], files["replica"])) == []
    assert _revoked(db)
