"""The practice's API (seed 003): its agenda only, hours, motives, absences, patients, bookings."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from server.clock import utcnow
from server.models import Appointment, OutboxMessage, Patient, Slot, WaitlistEntry
from server.services.kiosks import add_practice
from tests.factories import make_practitioner
from tests.server.booking_world import build_world, slot_taken

PARIS = ZoneInfo("Europe/Paris")
NEW_PATIENT = {
    "sex": "M",
    "first_name": "Jérôme",
    "last_name": "Lefèvre-Dupont",
    "birth_date": "1961-07-14",
    "phone": "06.11.22.33.44",
    "email": "jerome@example.org",
    "address": "3 rue du Test",
    "postcode": "59500",
    "city": "Douai",
}


def _headers(world):
    return {"X-Practice-Token": world.practice_token}


def _book_new(client, world, slot_index=0):
    return client.post(
        "/api/v1/practice/appointments",
        json={
            "slot_id": world.slot_ids[slot_index],
            "motive_id": world.new_motive_id,
            "first_visit": True,
            "patient": NEW_PATIENT,
        },
        headers=_headers(world),
    )


def test_a_practice_books_a_new_patient_confirmed_at_once(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    answer = _book_new(client, world)
    assert answer.status_code == 201, answer.text
    assert answer.json()["status"] == "confirmed"
    assert slot_taken(db, world.slot_ids[0])
    with db.reading() as session:
        patient = session.get(Patient, answer.json()["patient_id"])
        assert patient.phone == "+33611223344"
        kinds = session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.recipient == "+33611223344")
        ).all()
    assert "confirmation" in kinds


def test_finding_a_patient_by_name_phone_or_birth_date(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    _book_new(client, world)
    for q in (
        "lefevre",
        "JEROME dupont",
        "06 11 22 33 44",
        "+33611223344",
        "14/07/1961",
        "1961-07-14",
    ):
        answer = client.get("/api/v1/practice/patients", params={"q": q}, headers=_headers(world))
        assert answer.status_code == 200, q
        assert [p["last_name"] for p in answer.json()["patients"]] == ["Lefèvre-Dupont"], q
    nobody = client.get(
        "/api/v1/practice/patients", params={"q": "martin"}, headers=_headers(world)
    )
    assert nobody.json()["patients"] == []
    bad_date = client.get(
        "/api/v1/practice/patients", params={"q": "31/02/1950"}, headers=_headers(world)
    )
    assert bad_date.status_code == 422
    assert bad_date.json()["field"] == "q"


def test_a_practice_does_not_find_patients_it_never_saw(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    answer = client.get(
        "/api/v1/practice/patients", params={"q": "ndiaye"}, headers=_headers(world)
    )
    assert answer.json()["patients"] == []  # the kiosk account holder never booked there


def test_the_day_agenda_shows_slots_and_who_is_booked(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    booked = _book_new(client, world).json()
    day = datetime.fromisoformat(booked["starts_at_local"]).date()
    answer = client.get(
        "/api/v1/practice/agenda",
        params={"practitioner_id": world.practitioner_id, "date": day.isoformat()},
        headers=_headers(world),
    )
    assert answer.status_code == 200
    held = [s for s in answer.json()["slots"] if s["appointment"]]
    assert held[0]["appointment"]["patient"]["first_name"] == "Jérôme"


def test_another_practice_sees_nothing_of_this_one(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    appointment_id = _book_new(client, world).json()["id"]
    with db.writing() as session:
        _, other_token = add_practice(
            session, name="Autre cabinet", practitioner_ids=[make_practitioner(session).id]
        )
    other = {"X-Practice-Token": other_token}
    params = {"practitioner_id": world.practitioner_id}
    for path in ("motives", "opening-hours", "absences"):
        assert (
            client.get(f"/api/v1/practice/{path}", params=params, headers=other).status_code == 404
        )
    agenda = client.get(
        "/api/v1/practice/agenda", params={**params, "date": "2030-01-07"}, headers=other
    )
    assert agenda.status_code == 404
    for action in ("cancel", "honoured", "missed"):
        answer = client.post(
            f"/api/v1/practice/appointments/{appointment_id}/{action}",
            json={"excused": False},
            headers=other,
        )
        assert answer.status_code == 404, action
    found = client.get("/api/v1/practice/patients", params={"q": "lefevre"}, headers=other)
    assert found.json()["patients"] == []
    stolen = client.post(
        "/api/v1/practice/appointments",
        json={
            "slot_id": world.slot_ids[1],
            "motive_id": world.new_motive_id,
            "first_visit": True,
            "patient": NEW_PATIENT,
        },
        headers=other,
    )
    assert stolen.status_code == 404
    assert (
        client.get("/api/v1/practice/practitioners", headers={"X-Practice-Token": "x"}).status_code
        == 401
    )


def test_cancelling_by_the_practice_notifies_and_alerts_the_waiting_list(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    appointment_id = _book_new(client, world).json()["id"]
    joined = client.post(
        "/api/v1/waitlist",
        json={"practitioner_id": world.practitioner_id, "patient_id": world.patient_id},
        headers=world.headers,
    )
    assert joined.status_code == 201
    answer = client.post(
        f"/api/v1/practice/appointments/{appointment_id}/cancel", headers=_headers(world)
    )
    assert answer.status_code == 200
    assert answer.json()["cancelled_by"] == "practice"
    assert not slot_taken(db, world.slot_ids[0])
    with db.reading() as session:
        kinds = session.scalars(select(OutboxMessage.kind)).all()
        entry = session.get(WaitlistEntry, joined.json()["id"])
    assert "cancellation" in kinds and "waitlist" in kinds
    assert entry.last_notified_at is not None


def test_marking_honoured_or_missed_after_the_time(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    appointment_id = _book_new(client, world).json()["id"]
    early = client.post(
        f"/api/v1/practice/appointments/{appointment_id}/honoured", headers=_headers(world)
    )
    assert early.status_code == 409
    with db.writing() as session:
        session.get(Appointment, appointment_id).starts_at = utcnow() - timedelta(hours=1)
    missed = client.post(
        f"/api/v1/practice/appointments/{appointment_id}/missed",
        json={"excused": True},
        headers=_headers(world),
    )
    assert missed.json()["status"] == "missed"
    assert missed.json()["missed_excused"] is True
    honoured = client.post(
        f"/api/v1/practice/appointments/{appointment_id}/honoured", headers=_headers(world)
    )
    assert honoured.json()["status"] == "honoured"


def test_motives_can_be_created_changed_and_retired(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    created = client.post(
        "/api/v1/practice/motives",
        json={
            "practitioner_id": world.practitioner_id,
            "label": "Vaccination",
            "duration_minutes": 10,
            "open_to_new_patients": False,
            "modality": "practice",
        },
        headers=_headers(world),
    )
    assert created.status_code == 201
    motive_id = created.json()["id"]
    changed = client.put(
        f"/api/v1/practice/motives/{motive_id}",
        json={**created.json(), "open_to_new_patients": True},
        headers=_headers(world),
    )
    assert changed.json()["open_to_new_patients"] is True
    assert (
        client.delete(f"/api/v1/practice/motives/{motive_id}", headers=_headers(world)).status_code
        == 204
    )
    listed = client.get(
        "/api/v1/practice/motives",
        params={"practitioner_id": world.practitioner_id},
        headers=_headers(world),
    ).json()["motives"]
    assert [m["active"] for m in listed if m["id"] == motive_id] == [False]


def test_new_opening_hours_create_slots_up_to_the_horizon(client, db, kiosk, settings):
    world = build_world(db, kiosk.id, with_practice=True)
    answer = client.post(
        "/api/v1/practice/opening-hours",
        json={
            "practitioner_id": world.practitioner_id,
            "place_id": _place_id(db, world),
            "weekday": 2,
            "start_time": "14:00",
            "end_time": "16:00",
            "slot_minutes": 20,
            "motive_ids": [world.followup_motive_id],
        },
        headers=_headers(world),
    )
    assert answer.status_code == 201, answer.text
    rule_id = answer.json()["id"]
    with db.reading() as session:
        created = session.scalars(select(Slot).where(Slot.opening_hours_id == rule_id)).all()
    weeks = settings.slot_horizon_days // 7
    assert weeks * 6 - 6 <= len(created) <= weeks * 6
    assert {
        s.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(PARIS).hour for s in created
    } == {14, 15}
    removed = client.delete(f"/api/v1/practice/opening-hours/{rule_id}", headers=_headers(world))
    assert removed.status_code == 204
    with db.reading() as session:
        left = session.scalar(
            select(func.count()).select_from(Slot).where(Slot.opening_hours_id == rule_id)
        )
    assert left == 0


def test_bad_opening_hours_are_refused_in_french(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    answer = client.post(
        "/api/v1/practice/opening-hours",
        json={
            "practitioner_id": world.practitioner_id,
            "place_id": _place_id(db, world),
            "weekday": 2,
            "start_time": "16:00",
            "end_time": "14:00",
        },
        headers=_headers(world),
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == "end_time"


def test_an_absence_closes_free_slots_and_lists_appointments_to_call(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    booked = _book_new(client, world).json()
    with db.reading() as session:
        slots = [session.get(Slot, i) for i in world.slot_ids]
    answer = client.post(
        "/api/v1/practice/absences",
        json={
            "practitioner_id": world.practitioner_id,
            "starts_at": (slots[0].starts_at - timedelta(hours=1)).isoformat() + "Z",
            "ends_at": (slots[1].ends_at + timedelta(hours=1)).isoformat() + "Z",
        },
        headers=_headers(world),
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["closed_slots"] == 1
    assert answer.json()["appointments_to_call"] == [booked["id"]]
    with db.reading() as session:
        assert session.get(Slot, world.slot_ids[1]).closed
        assert not session.get(Slot, world.slot_ids[2]).closed
    refused = world.book(client, 1)
    assert refused.status_code == 409
    listed = client.get(
        "/api/v1/practice/absences",
        params={"practitioner_id": world.practitioner_id},
        headers=_headers(world),
    )
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["absences"]] == [answer.json()["id"]]


def _place_id(db, world):
    with db.reading() as session:
        return session.get(Slot, world.slot_ids[0]).place_id
