"""Booking rules of issue 2, through the real API, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from server.clock import utcnow
from server.models import (
    Appointment,
    AppointmentStatus,
    Motive,
    OpeningHours,
    OutboxMessage,
    Patient,
    Practitioner,
    UsualPractitioner,
)
from server.services.booking import expire_holds
from tests.factories import make_account, make_practitioner, make_slot, sign_in
from tests.server.booking_world import build_world, slot_taken


def _messages(db, appointment_id):
    with db.reading() as session:
        return session.scalars(
            select(OutboxMessage.kind).where(OutboxMessage.appointment_id == appointment_id)
        ).all()


def _age_hold(db, appointment_id):
    """The hold's time runs out, as if ten minutes had passed."""
    with db.writing() as session:
        session.get(Appointment, appointment_id).hold_expires_at = utcnow() - timedelta(seconds=1)


def test_booking_gives_a_pending_hold_that_takes_the_slot(client, db, kiosk, settings):
    world = build_world(db, kiosk.id)
    answer = world.book(client)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "pending"
    assert body["patient_first_name"] == "Émilie-Anne"
    assert body["motive_label"] == "Première consultation"
    assert body["starts_at"].endswith("Z")
    assert body["starts_at_local"][-6:] in ("+01:00", "+02:00")
    hold = body["hold_expires_at"].rstrip("Z")
    assert hold > (utcnow() + timedelta(minutes=settings.hold_minutes - 1)).isoformat()
    assert slot_taken(db, world.slot_ids[0])
    assert _messages(db, body["id"]) == []  # nothing is sent before confirmation


def test_confirming_queues_the_confirmation_and_the_reminder(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    answer = client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "confirmed"
    assert sorted(_messages(db, appointment_id)) == ["confirmation", "reminder"]


def test_a_taken_slot_is_refused_with_409(client, db, kiosk):
    world = build_world(db, kiosk.id)
    assert world.book(client).status_code == 201
    with db.writing() as session:
        other, holder = make_account(session, phone="+33698765432")
        headers = {"Authorization": f"Bearer {sign_in(session, other, kiosk.id)}"}
    answer = client.post(
        "/api/v1/appointments",
        json={
            "slot_id": world.slot_ids[0],
            "motive_id": world.new_motive_id,
            "patient_id": holder.id,
            "first_visit": True,
        },
        headers=headers,
    )
    assert answer.status_code == 409
    assert answer.json() == {
        "error": "slot_taken",
        "message": "Ce créneau vient d'être pris. Choisissez un autre horaire.",
        "field": "slot_id",
    }


def test_a_follow_up_motive_is_refused_for_a_first_visit(client, db, kiosk):
    world = build_world(db, kiosk.id)
    answer = world.book(client, motive_id=world.followup_motive_id, first_visit=True)
    assert answer.status_code == 422
    assert answer.json()["field"] == "motive_id"
    assert answer.json()["message"] == "Ce motif est réservé aux patients déjà suivis."
    assert (
        world.book(client, motive_id=world.followup_motive_id, first_visit=False).status_code == 201
    )


def test_a_motive_outside_the_slot_opening_hours_is_refused(client, db, kiosk):
    world = build_world(db, kiosk.id)
    with db.writing() as session:
        slot_rule = session.scalars(select(OpeningHours)).first()
        slot_rule.motives = [session.get(Motive, world.followup_motive_id)]
    answer = world.book(client)
    assert answer.status_code == 422
    assert answer.json()["field"] == "motive_id"


def test_a_practitioner_not_bookable_online_is_refused_with_the_phone(client, db, kiosk):
    world = build_world(db, kiosk.id, bookable_online=False)
    answer = world.book(client)
    assert answer.status_code == 422
    assert "03 27 00 00 00" in answer.json()["message"]
    assert not slot_taken(db, world.slot_ids[0])


def test_a_slot_less_than_thirty_minutes_ahead_is_refused(client, db, kiosk):
    world = build_world(db, kiosk.id, slots_in=[timedelta(minutes=20), timedelta(minutes=40)])
    too_soon = world.book(client, 0)
    assert too_soon.status_code == 422
    assert too_soon.json()["field"] == "slot_id"
    assert world.book(client, 1).status_code == 201


def test_an_incomplete_profile_cannot_book(client, db, kiosk):
    world = build_world(db, kiosk.id)
    with db.writing() as session:
        session.get(Patient, world.patient_id).birth_date = None
    answer = world.book(client)
    assert answer.status_code == 422
    assert answer.json()["error"] == "profile_incomplete"
    assert answer.json()["field"] == "birth_date"


def test_someone_elses_patient_slot_or_motive_gives_404(client, db, kiosk):
    world = build_world(db, kiosk.id)
    with db.writing() as session:
        _, stranger = make_account(session, phone="+33698765432")
    for overrides, field in (
        ({"patient_id": stranger.id}, "patient_id"),
        ({"slot_id": 999_999}, "slot_id"),
        ({"motive_id": 999_999}, "motive_id"),
    ):
        answer = world.book(client, **overrides)
        assert answer.status_code == 404, overrides
        assert answer.json()["field"] == field


def test_huge_ids_and_odd_bodies_never_give_a_5xx(client, db, kiosk):
    world = build_world(db, kiosk.id)
    assert world.book(client, slot_id=10**30).status_code == 422
    assert world.book(client, first_visit="peut-être").status_code == 422
    answer = client.post("/api/v1/appointments", content=b"not json", headers=world.headers)
    assert answer.status_code == 422
    for path in ("confirm", "cancel"):
        answer = client.post(f"/api/v1/appointments/{10**30}/{path}", headers=world.headers)
        assert answer.status_code in (404, 422)


def test_the_usual_practitioner_of_a_practice_comes_first(client, db, kiosk):
    world = build_world(db, kiosk.id, with_practice=True)
    appointment_id = world.book(client).json()["id"]
    client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    with db.writing() as session:
        usual = session.scalar(select(UsualPractitioner))
        assert usual.practitioner_id == world.practitioner_id
        colleague = make_practitioner(session, first_name="Paul", last_name="Collègue")
        colleague.practice_id = session.get(Practitioner, world.practitioner_id).practice_id
        other_slot = make_slot(session, colleague).id
        other_motive = colleague.motives[0].id
    body = {
        "slot_id": other_slot,
        "motive_id": other_motive,
        "patient_id": world.patient_id,
        "first_visit": True,
    }
    refused = client.post("/api/v1/appointments", json=body, headers=world.headers)
    assert refused.status_code == 409
    assert refused.json()["error"] == "usual_practitioner"
    assert "Claire Fictive" in refused.json()["message"]
    assert refused.json()["details"] == {"practitioner": "Claire Fictive"}
    agreed = client.post(
        "/api/v1/appointments",
        json={**body, "other_practitioner_consent": True},
        headers=world.headers,
    )
    assert agreed.status_code == 201


def test_an_expired_hold_cannot_be_confirmed_and_frees_the_slot(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    _age_hold(db, appointment_id)
    answer = client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    assert answer.status_code == 409
    assert answer.json()["error"] == "hold_expired"
    # The next booking of the slot expires the old hold on the way.
    again = world.book(client)
    assert again.status_code == 201
    with db.reading() as session:
        assert session.get(Appointment, appointment_id).status == AppointmentStatus.EXPIRED


def test_expire_holds_frees_every_stale_hold(client, db, kiosk):
    world = build_world(db, kiosk.id)
    stale = world.book(client, 0).json()["id"]
    fresh = world.book(client, 1).json()["id"]
    _age_hold(db, stale)
    with db.writing() as session:
        assert expire_holds(session) == 1
    assert not slot_taken(db, world.slot_ids[0])
    assert slot_taken(db, world.slot_ids[1])
    with db.reading() as session:
        assert session.get(Appointment, fresh).status == AppointmentStatus.PENDING


def test_cancelling_frees_the_slot_and_notifies(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    answer = client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=world.headers)
    assert answer.status_code == 200
    assert answer.json()["status"] == "cancelled"
    assert answer.json()["cancelled_by"] == "patient"
    assert not slot_taken(db, world.slot_ids[0])
    assert "cancellation" in _messages(db, appointment_id)
    assert world.book(client).status_code == 201


def test_releasing_a_hold_sends_nothing(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    answer = client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=world.headers)
    assert answer.json()["status"] == "cancelled"
    assert _messages(db, appointment_id) == []
    assert not slot_taken(db, world.slot_ids[0])


def test_cancelling_less_than_four_hours_before_asks_to_call_the_practice(client, db, kiosk):
    world = build_world(db, kiosk.id, slots_in=[timedelta(hours=3)])
    appointment_id = world.book(client).json()["id"]
    client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    answer = client.post(f"/api/v1/appointments/{appointment_id}/cancel", headers=world.headers)
    assert answer.status_code == 409
    assert answer.json()["message"] == (
        "Il est trop tard pour annuler en ligne. Appelez le cabinet au 03 27 00 00 00."
    )
    assert answer.json()["details"] == {"phone": "03 27 00 00 00"}
    assert slot_taken(db, world.slot_ids[0])


def test_moving_changes_the_slot_in_one_step_and_notifies(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    client.post(f"/api/v1/appointments/{appointment_id}/confirm", headers=world.headers)
    answer = client.post(
        f"/api/v1/appointments/{appointment_id}/move",
        json={"slot_id": world.slot_ids[2]},
        headers=world.headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "confirmed"
    assert not slot_taken(db, world.slot_ids[0])
    assert slot_taken(db, world.slot_ids[2])
    assert "change" in _messages(db, appointment_id)


def test_moving_to_a_taken_slot_keeps_the_old_one(client, db, kiosk):
    world = build_world(db, kiosk.id)
    first = world.book(client, 0).json()["id"]
    world.book(client, 1)
    answer = client.post(
        f"/api/v1/appointments/{first}/move",
        json={"slot_id": world.slot_ids[1]},
        headers=world.headers,
    )
    assert answer.status_code == 409
    assert slot_taken(db, world.slot_ids[0])
    with db.reading() as session:
        assert session.get(Appointment, first).slot_id == world.slot_ids[0]


def test_moving_to_another_practitioners_slot_is_refused(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    with db.writing() as session:
        other_slot = make_slot(session, make_practitioner(session, last_name="Autre")).id
    answer = client.post(
        f"/api/v1/appointments/{appointment_id}/move",
        json={"slot_id": other_slot},
        headers=world.headers,
    )
    assert answer.status_code in (404, 422)
    assert answer.json()["field"] in ("slot_id", "motive_id")


def test_my_appointments_lists_upcoming_first_then_past(client, db, kiosk):
    world = build_world(db, kiosk.id, slots_in=[timedelta(days=5), timedelta(days=2)])
    later = world.book(client, 0).json()["id"]
    sooner = world.book(client, 1).json()["id"]
    with db.writing() as session:
        practitioner = session.get(Practitioner, world.practitioner_id)
        past_slot = make_slot(session, practitioner, starts_in=timedelta(days=-3))
        session.add(
            Appointment(
                reference="PASTPAST",
                slot_id=past_slot.id,
                practitioner_id=practitioner.id,
                place_id=past_slot.place_id,
                motive_id=world.new_motive_id,
                patient_id=world.patient_id,
                first_visit=True,
                status=AppointmentStatus.HONOURED,
                starts_at=past_slot.starts_at,
                ends_at=past_slot.ends_at,
            )
        )
    answer = client.get("/api/v1/me/appointments", headers=world.headers)
    assert answer.status_code == 200
    listed = answer.json()["appointments"]
    assert [a["id"] for a in listed[:2]] == [sooner, later]
    assert listed[2]["status"] == "honoured"
    assert listed[0]["specialty"] == "Médecin généraliste"
    assert listed[0]["place_address"] == "1 rue de la Fiction, 59500 Douai"
    assert listed[0]["can_cancel_online"] is True
    assert listed[2]["can_cancel_online"] is False


def test_another_accounts_appointment_gives_404_everywhere(client, db, kiosk):
    world = build_world(db, kiosk.id)
    appointment_id = world.book(client).json()["id"]
    with db.writing() as session:
        other, _ = make_account(session, phone="+33698765432")
        headers = {"Authorization": f"Bearer {sign_in(session, other, kiosk.id)}"}
    for action in ("confirm", "cancel"):
        answer = client.post(f"/api/v1/appointments/{appointment_id}/{action}", headers=headers)
        assert answer.status_code == 404
    moved = client.post(
        f"/api/v1/appointments/{appointment_id}/move",
        json={"slot_id": world.slot_ids[1]},
        headers=headers,
    )
    assert moved.status_code == 404
    assert client.get("/api/v1/me/appointments", headers=headers).json() == {"appointments": []}


def test_booking_needs_a_signed_in_person(client, db, kiosk):
    world = build_world(db, kiosk.id)
    answer = client.post(
        "/api/v1/appointments",
        json={
            "slot_id": world.slot_ids[0],
            "motive_id": world.new_motive_id,
            "patient_id": world.patient_id,
            "first_visit": True,
        },
    )
    assert answer.status_code == 401
    assert date.today()  # the module's date import documents birth dates in factories
