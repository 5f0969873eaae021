import uuid
from datetime import timedelta

from sqlalchemy import select

from server.clock import utcnow
from server.models import (
    Appointment,
    AppointmentStatus,
    OutboxMessage,
    Patient,
    WaitlistEntry,
)
from server.services.notifications import (
    notify_appointment,
    notify_waitlist,
    verification_code_email,
    verification_code_sms,
)
from tests.factories import make_account, make_practitioner, make_slot

SECRET_MOTIVE = "Suivi de grossesse"
SECRET_SPECIALTY = "Gynécologue obstétricien"


def _appointment(session, *, starts_in=timedelta(days=3), patient=None, account=None):
    """A confirmed appointment with Docteur Claire Martin, booked by an account unless told."""
    practitioner = make_practitioner(
        session,
        first_name="Claire",
        last_name="Martin",
        specialty=("gyneco", SECRET_SPECIALTY),
        motives=[{"label": SECRET_MOTIVE, "duration_minutes": 30}],
    )
    slot = make_slot(session, practitioner, starts_in=starts_in)
    if patient is None:
        account, patient = (
            make_account(session) if account is None else (account, account.patients[0])
        )
    appointment = Appointment(
        reference=uuid.uuid4().hex[:10],
        slot_id=slot.id,
        practitioner_id=practitioner.id,
        place_id=practitioner.places[0].id,
        motive_id=practitioner.motives[0].id,
        patient_id=patient.id,
        account_id=account.id if account else None,
        first_visit=True,
        status=AppointmentStatus.CONFIRMED,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    session.add(appointment)
    session.flush()
    return appointment


def _outbox(session, **where):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return session.scalars(query).all()


def test_a_confirmation_queues_an_sms_to_the_account_phone_now(db):
    with db.writing() as session:
        appointment = _appointment(session)
        notify_appointment(session, appointment, "confirmation")
    with db.reading() as session:
        [sms] = _outbox(session, kind="confirmation")
    assert sms.channel == "sms" and sms.recipient == "+33612345678"
    assert sms.appointment_id == appointment.id and sms.status == "pending"
    assert sms.next_attempt_at <= utcnow()
    assert sms.body.startswith("Rendez-vous confirmé le ")
    assert "Docteur Claire Martin, 1 rue de la Fiction, 59500 Douai" in sms.body
    assert "03 27 00 00 00" in sms.body


def test_a_confirmation_schedules_the_reminder_24_hours_before_the_start(db):
    with db.writing() as session:
        appointment = _appointment(session, starts_in=timedelta(days=3))
        notify_appointment(session, appointment, "confirmation")
    with db.reading() as session:
        [reminder] = _outbox(session, kind="reminder")
    assert reminder.next_attempt_at == appointment.starts_at - timedelta(hours=24)
    assert reminder.body.startswith("Rappel : vous avez rendez-vous le ")


def test_no_reminder_is_scheduled_when_the_appointment_is_less_than_24_hours_away(db):
    with db.writing() as session:
        appointment = _appointment(session, starts_in=timedelta(hours=20))
        notify_appointment(session, appointment, "confirmation")
    with db.reading() as session:
        assert _outbox(session, kind="reminder") == []
        assert len(_outbox(session, kind="confirmation")) == 1


def test_messages_never_name_the_motive_or_the_specialty(db):
    with db.writing() as session:
        account, _ = make_account(session)
        account.email, account.email_verified_at = "e@example.org", utcnow()
        appointment = _appointment(session, account=account)
        for event in ("confirmation", "change", "cancellation"):
            notify_appointment(session, appointment, event)
    with db.reading() as session:
        messages = _outbox(session)
    assert {m.channel for m in messages} == {"sms", "email"}
    for message in messages:
        text = f"{message.subject or ''} {message.body}".lower()
        assert "grossesse" not in text and "gyn" not in text


def test_an_email_goes_only_to_a_verified_address(db):
    with db.writing() as session:
        account, _ = make_account(session, phone="+33611111111")
        account.email = "pas.verifiee@example.org"
        notify_appointment(session, _appointment(session, account=account), "confirmation")
        verified, _ = make_account(session, phone="+33622222222")
        verified.email, verified.email_verified_at = "verifiee@example.org", utcnow()
        notify_appointment(session, _appointment(session, account=verified), "confirmation")
    with db.reading() as session:
        emails = _outbox(session, channel="email")
    assert {m.recipient for m in emails} == {"verifiee@example.org"}
    assert {m.kind for m in emails} == {"confirmation", "reminder"}
    confirmation = next(m for m in emails if m.kind == "confirmation")
    assert confirmation.subject == "Rendez-vous confirmé"
    assert "Docteur Claire Martin" in confirmation.body


def test_a_change_cancels_the_old_reminder_and_schedules_a_new_one(db):
    with db.writing() as session:
        appointment = _appointment(session, starts_in=timedelta(days=3))
        notify_appointment(session, appointment, "confirmation")
    with db.writing() as session:
        appointment = session.get(Appointment, appointment.id)
        appointment.starts_at += timedelta(days=2)
        appointment.ends_at += timedelta(days=2)
        notify_appointment(session, appointment, "change")
    with db.reading() as session:
        old, new = _outbox(session, kind="reminder")
        [change] = _outbox(session, kind="change")
    assert old.status == "cancelled"
    assert new.status == "pending"
    assert new.next_attempt_at == appointment.starts_at - timedelta(hours=24)
    assert change.body.startswith("Votre rendez-vous a changé. Nouvelle date : le ")


def test_a_cancellation_cancels_pending_reminders_and_schedules_none(db):
    with db.writing() as session:
        appointment = _appointment(session)
        notify_appointment(session, appointment, "confirmation")
    with db.writing() as session:
        notify_appointment(session, session.get(Appointment, appointment.id), "cancellation")
    with db.reading() as session:
        [reminder] = _outbox(session, kind="reminder")
        [cancellation] = _outbox(session, kind="cancellation")
    assert reminder.status == "cancelled"
    assert cancellation.status == "pending"
    assert "est annulé" in cancellation.body


def test_a_cancellation_leaves_other_appointments_reminders_alone(db):
    with db.writing() as session:
        first = _appointment(session)
        account = session.get(Patient, first.patient_id).account
        second = _appointment(session, account=account, starts_in=timedelta(days=5))
        notify_appointment(session, first, "confirmation")
        notify_appointment(session, second, "confirmation")
        notify_appointment(session, first, "cancellation")
    with db.reading() as session:
        reminders = {m.appointment_id: m.status for m in _outbox(session, kind="reminder")}
    assert reminders == {first.id: "cancelled", second.id: "pending"}


def test_a_practice_patient_without_account_is_told_on_their_own_phone_and_email(db):
    with db.writing() as session:
        patient = Patient(
            first_name="Jean", last_name="Dupont", phone="+33633333333", email="jd@example.org"
        )
        session.add(patient)
        session.flush()
        notify_appointment(session, _appointment(session, patient=patient), "confirmation")
    with db.reading() as session:
        sent = {(m.kind, m.channel, m.recipient) for m in _outbox(session)}
    assert sent == {
        ("confirmation", "sms", "+33633333333"),
        ("confirmation", "email", "jd@example.org"),
        ("reminder", "sms", "+33633333333"),
        ("reminder", "email", "jd@example.org"),
    }


def test_a_patient_whose_data_was_erased_gets_nothing(db):
    with db.writing() as session:
        appointment = _appointment(session)
        appointment.patient_id = None
        appointment.account_id = None
        session.flush()
        session.expire(appointment, ["patient"])
        notify_appointment(session, appointment, "cancellation")
    with db.reading() as session:
        assert _outbox(session) == []


def test_the_waiting_list_is_told_that_a_slot_freed_up(db):
    with db.writing() as session:
        appointment = _appointment(session)
        waiting, holder = make_account(session, phone="+33644444444")
        entry = WaitlistEntry(
            account_id=waiting.id, patient_id=holder.id, practitioner_id=appointment.practitioner_id
        )
        session.add(entry)
        session.flush()
        notify_waitlist(session, entry, appointment.slot)
    with db.reading() as session:
        [alert] = _outbox(session, kind="waitlist")
        assert session.get(WaitlistEntry, entry.id).last_notified_at is not None
    assert alert.recipient == "+33644444444"
    assert alert.body.startswith("Un créneau s'est libéré le ")
    assert "Docteur Claire Martin" in alert.body


def test_verification_codes_are_queued_by_sms_and_by_email(db):
    with db.writing() as session:
        verification_code_sms(session, "+33612345678", "123456")
        verification_code_email(session, "e@example.org", "654321")
    with db.reading() as session:
        sms, email = _outbox(session, kind="code")
    assert (sms.channel, sms.recipient) == ("sms", "+33612345678")
    assert sms.body == (
        "Votre code pour le kiosque santé : 123456. Il est valable 10 minutes. "
        "Ne le donnez à personne."
    )
    assert (email.channel, email.recipient) == ("email", "e@example.org")
    assert email.subject == "Votre code pour le kiosque santé"
    assert "654321" in email.body
