"""Real connections racing against uvicorn: the database lets only one booking hold a slot."""

from __future__ import annotations

import threading

import requests
from sqlalchemy import func, select

from server.models import Appointment, IdempotencyRecord
from tests.factories import make_account, sign_in
from tests.server.booking_world import build_world, slot_taken

# More racers than pooled connections: requests must queue, never deadlock.
RACERS = 16


def _race(calls):
    """Start every call at the same instant; returns their answers."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def go(index, call):
        barrier.wait()
        answers[index] = call()

    threads = [threading.Thread(target=go, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_many_people_booking_one_slot_get_exactly_one_hold(live_server, db, kiosk):
    world = build_world(db, kiosk.id)
    people = []
    with db.writing() as session:
        for n in range(RACERS):
            account, holder = make_account(session, phone=f"+3361234{n:04d}")
            people.append((sign_in(session, account, kiosk.id), holder.id))
    body = {"slot_id": world.slot_ids[0], "motive_id": world.new_motive_id, "first_visit": True}

    def booker(token, patient_id):
        return lambda: requests.post(
            f"{live_server}/api/v1/appointments",
            json={**body, "patient_id": patient_id},
            headers={"X-Kiosk-Token": kiosk.token, "Authorization": f"Bearer {token}"},
            timeout=60,
        )

    answers = _race([booker(token, patient_id) for token, patient_id in people])
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [201] + [409] * (RACERS - 1)
    assert all(a.json()["error"] == "slot_taken" for a in answers if a.status_code == 409)
    with db.reading() as session:
        held = session.scalar(select(func.count()).select_from(Appointment))
    assert held == 1
    assert slot_taken(db, world.slot_ids[0])


def test_repeats_of_one_idempotent_request_book_once(live_server, db, kiosk):
    world = build_world(db, kiosk.id)
    headers = {**world.headers, "X-Kiosk-Token": kiosk.token, "Idempotency-Key": "borne-1-42"}
    body = {
        "slot_id": world.slot_ids[0],
        "motive_id": world.new_motive_id,
        "patient_id": world.patient_id,
        "first_visit": True,
    }
    answers = _race(
        [
            lambda: requests.post(
                f"{live_server}/api/v1/appointments", json=body, headers=headers, timeout=60
            )
        ]
        * RACERS
    )
    created = [a for a in answers if a.status_code == 201]
    assert created and all(a.json() == created[0].json() for a in created)
    assert all(a.status_code in (201, 409) for a in answers)
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["error"] == "idempotency_in_progress"
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(Appointment)) == 1
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
