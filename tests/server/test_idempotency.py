"""Idempotency-Key: a repeat gets the first answer; a reused key or a concurrent one is refused."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.errors import ApiError
from server.models import Appointment, Slot
from server.services import idempotency
from tests.server.booking_world import build_world


def _body(world, slot_index=0):
    return {
        "slot_id": world.slot_ids[slot_index],
        "motive_id": world.new_motive_id,
        "patient_id": world.patient_id,
        "first_visit": True,
    }


def _count(db, model):
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_repeat_with_the_same_key_returns_the_first_answer(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers = {**world.headers, "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/appointments", json=_body(world), headers=headers)
    again = client.post("/api/v1/appointments", json=_body(world), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert _count(db, Appointment) == 1


def test_the_same_key_with_another_body_is_refused(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers = {**world.headers, "Idempotency-Key": "k-2"}
    client.post("/api/v1/appointments", json=_body(world, 0), headers=headers)
    other = client.post("/api/v1/appointments", json=_body(world, 1), headers=headers)
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert other.json()["field"] == "Idempotency-Key"
    assert _count(db, Appointment) == 1


def test_a_refusal_is_replayed_too(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers = {**world.headers, "Idempotency-Key": "k-3"}
    refused = client.post(
        "/api/v1/appointments",
        json={**_body(world), "motive_id": world.followup_motive_id},
        headers=headers,
    )
    assert refused.status_code == 422
    again = client.post(
        "/api/v1/appointments",
        json={**_body(world), "motive_id": world.followup_motive_id},
        headers=headers,
    )
    assert (again.status_code, again.json()) == (422, refused.json())


def test_keys_are_separate_per_account_and_per_action(client, db, kiosk):
    world = build_world(db, kiosk.id)
    key = {"Idempotency-Key": "same"}
    booked = client.post(
        "/api/v1/appointments", json=_body(world), headers={**world.headers, **key}
    ).json()
    confirm = client.post(
        f"/api/v1/appointments/{booked['id']}/confirm", headers={**world.headers, **key}
    )
    assert confirm.status_code == 422  # one key, two different requests
    confirm = client.post(
        f"/api/v1/appointments/{booked['id']}/confirm",
        headers={**world.headers, "Idempotency-Key": "other"},
    )
    assert confirm.json()["status"] == "confirmed"


def test_a_repeat_while_the_first_is_running_gets_409(db):
    calls = []

    def inner(session):
        calls.append("inner")
        return 200, {}

    def outer(session):
        with pytest.raises(ApiError) as refused:
            idempotency.run(db, scope="test:1", key="k", request=["x"], work=inner)
        return 200, {"repeat": refused.value.status, "error": refused.value.error}

    answer = idempotency.run(db, scope="test:1", key="k", request=["x"], work=outer)
    assert answer.status_code == 200
    assert json.loads(answer.body) == {"repeat": 409, "error": "idempotency_in_progress"}
    assert calls == []


def test_an_unexpected_failure_frees_the_key_for_a_retry(db):
    def broken(session):
        session.add(Slot())  # violates NOT NULL: not an answer, a failure
        session.flush()
        return 200, {}

    with pytest.raises(IntegrityError):
        idempotency.run(db, scope="test:2", key="k", request=["y"], work=broken)
    answer = idempotency.run(
        db, scope="test:2", key="k", request=["y"], work=lambda s: (200, {"ok": 1})
    )
    assert answer.status_code == 200


def test_an_overlong_key_is_refused_in_french(client, db, kiosk):
    world = build_world(db, kiosk.id)
    answer = client.post(
        "/api/v1/appointments",
        json=_body(world),
        headers={**world.headers, "Idempotency-Key": "k" * 101},
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "Idempotency-Key"
