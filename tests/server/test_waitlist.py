"""Waiting list (seed 003): a freed slot is offered to all who wait; the first to book gets it."""

from __future__ import annotations

from sqlalchemy import select

from server.models import OutboxMessage, WaitlistEntry
from tests.factories import make_account, sign_in
from tests.server.booking_world import build_world


def _waiter(db, kiosk, world, phone="+33698765432", **fields):
    with db.writing() as session:
        account, holder = make_account(session, phone=phone, first_name="Zoé")
        headers = {"Authorization": f"Bearer {sign_in(session, account, kiosk.id)}"}
    body = {"practitioner_id": world.practitioner_id, "patient_id": holder.id, **fields}
    return headers, holder.id, body


def _alerts(db, phone):
    with db.reading() as session:
        return session.scalars(
            select(OutboxMessage.kind).where(
                OutboxMessage.recipient == phone, OutboxMessage.kind == "waitlist"
            )
        ).all()


def _booked_and_confirmed(client, world, slot_index=0, **overrides):
    appointment_id = world.book(client, slot_index, **overrides).json()["id"]
    client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    return appointment_id


def test_joining_twice_keeps_one_entry(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers, _, body = _waiter(db, kiosk, world)
    first = client.post("/api/v1/waitlist", json=body, headers=headers)
    second = client.post("/api/v1/waitlist", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]


def test_a_cancellation_alerts_the_others_waiting(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers, _, body = _waiter(db, kiosk, world)
    client.post("/api/v1/waitlist", json=body, headers=headers)
    appointment_id = _booked_and_confirmed(client, world)
    client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=world.headers)
    assert _alerts(db, "+33698765432") == ["waitlist"]
    assert _alerts(db, "+33612345678") == []  # the person who cancelled is not told


def test_an_entry_for_another_motive_is_not_alerted_when_the_slot_does_not_take_it(
    client, db, kiosk
):
    world = build_world(db, kiosk.id)
    from server.models import Motive, OpeningHours  # noqa: PLC0415

    with db.writing() as session:
        rule = session.scalars(select(OpeningHours)).first()
        rule.motives = [session.get(Motive, world.new_motive_id)]
    headers, _, body = _waiter(db, kiosk, world, motive_id=world.followup_motive_id)
    assert client.post("/api/v1/waitlist", json=body, headers=headers).status_code == 201
    appointment_id = _booked_and_confirmed(client, world)
    client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=world.headers)
    assert _alerts(db, "+33698765432") == []


def test_booking_with_the_practitioner_ends_the_wait(client, db, kiosk):
    world = build_world(db, kiosk.id)
    body = {"practitioner_id": world.practitioner_id, "patient_id": world.patient_id}
    entry_id = client.post("/api/v1/waitlist", json=body, headers=world.headers).json()["id"]
    _booked_and_confirmed(client, world)
    with db.reading() as session:
        assert session.get(WaitlistEntry, entry_id).active is False


def test_leaving_the_list_and_other_peoples_entries(client, db, kiosk):
    world = build_world(db, kiosk.id)
    headers, stranger_id, body = _waiter(db, kiosk, world)
    entry_id = client.post("/api/v1/waitlist", json=body, headers=headers).json()["id"]
    assert client.delete(f"/api/v1/waitlist/{entry_id}", headers=world.headers).status_code == 404
    foreign = client.post("/api/v1/waitlist", json=body, headers=world.headers)
    assert foreign.status_code == 404
    assert foreign.json()["field"] == "patient_id"
    assert client.delete(f"/api/v1/waitlist/{entry_id}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/waitlist/{entry_id}", headers=headers).status_code == 404
    unknown = client.post(
        "/api/v1/waitlist", json={**body, "practitioner_id": 999_999}, headers=headers
    )
    assert unknown.status_code == 404
    assert unknown.json()["field"] == "practitioner_id"
    assert stranger_id
