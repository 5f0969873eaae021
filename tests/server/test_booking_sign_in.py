"""Who may write a booking: the person's session is checked inside the write itself."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from server.clock import utcnow
from server.models import AuthSession, Kiosk
from server.security import hash_token
from server.services.sessions import open_session
from tests.server.booking_world import build_world, slot_taken


def _session(db, token: str) -> AuthSession:  # noqa: ANN001
    with db.reading() as read:
        return read.scalar(select(AuthSession).where(AuthSession.token_hash == hash_token(token)))


def _token(world) -> str:  # noqa: ANN001
    return world.headers["Authorization"].removeprefix("Bearer ")


def test_a_revoked_session_books_nothing_and_gets_401(client, db, kiosk):
    world = build_world(db, kiosk.id)
    with db.writing() as write:
        write.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == hash_token(_token(world)))
            .values(revoked_at=utcnow())
        )
    answer = world.book(client)
    assert (answer.status_code, answer.json()["error"]) == (401, "session_expired")
    assert not slot_taken(db, world.slot_ids[0])


def test_a_person_without_an_account_yet_gets_403(client, db, kiosk):
    world = build_world(db, kiosk.id)
    with db.writing() as write:
        token = open_session(
            write, phone="+33611223344", account_id=None, kiosk=write.get(Kiosk, kiosk.id)
        )
    answer = client.post(
        "/api/v1/appointments",
        json={
            "slot_id": world.slot_ids[0],
            "motive_id": world.new_motive_id,
            "patient_id": world.patient_id,
            "first_visit": True,
        },
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "k1"},
    )
    assert (answer.status_code, answer.json()["error"]) == (403, "no_account")
    assert not slot_taken(db, world.slot_ids[0])


def test_a_booking_moves_the_idle_deadline_of_the_session(client, db, kiosk):
    world = build_world(db, kiosk.id)
    long_ago = utcnow() - timedelta(minutes=5)
    with db.writing() as write:
        write.execute(
            update(AuthSession)
            .where(AuthSession.token_hash == hash_token(_token(world)))
            .values(last_seen_at=long_ago)
        )
    assert world.book(client).status_code == 201
    assert _session(db, _token(world)).last_seen_at > long_ago
