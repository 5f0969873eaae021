"""What to tell whom, and when: messages are queued in the caller's transaction.

Queueing (not sending) here means a booking that rolls back sends nothing, and a gateway
that is down never blocks a booking: the worker sends later.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy import update
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.models import (
    Account,
    Appointment,
    OutboxMessage,
    Place,
    Practitioner,
    Slot,
    WaitlistEntry,
)
from server.services.outbox import enqueue
from server.sms.templates import DEFAULT_LANGUAGE, AppointmentFacts, civility, email_text, sms_text

REMINDER_BEFORE = timedelta(hours=24)
APPOINTMENT_EVENTS = ("confirmation", "change", "cancellation")


def verification_code_sms(db: Session, phone: str, code: str, *, minutes: int = 10) -> None:
    enqueue(
        db,
        kind="code",
        channel="sms",
        recipient=phone,
        body=sms_text("code", code=code, minutes=minutes),
    )


def mandate_code_sms(db: Session, phone: str, code: str, *, minutes: int = 10) -> None:
    enqueue(
        db,
        kind="code",
        channel="sms",
        recipient=phone,
        body=sms_text("mandate_code", code=code, minutes=minutes),
    )


def verification_code_email(db: Session, email: str, code: str, *, minutes: int = 10) -> None:
    subject, body = email_text("code", code=code, minutes=minutes)
    enqueue(db, kind="code", channel="email", recipient=email, subject=subject, body=body)


def notify_appointment(db: Session, appointment: Appointment, event: str) -> None:
    """Confirmation, change or cancellation, by SMS and e-mail; keeps the reminder in step."""
    if event not in APPOINTMENT_EVENTS:
        raise ValueError(f"unknown appointment event: {event}")
    if event in ("change", "cancellation"):
        cancel_reminders(db, appointment.id)
    contact = _Contact.of_appointment(db, appointment)
    facts = appointment_facts(appointment.practitioner, appointment.place, appointment.starts_at)
    contact.send(db, event, facts, appointment_id=appointment.id)
    if event in ("confirmation", "change"):
        due = appointment.starts_at - REMINDER_BEFORE
        if due > utcnow():
            contact.send(db, "reminder", facts, appointment_id=appointment.id, due_at=due)


def notify_waitlist(db: Session, entry: WaitlistEntry, slot: Slot) -> None:
    """Tell a waiting person that a slot freed up; the first to book gets it."""
    contact = _Contact.of_account(db.get(Account, entry.account_id))
    facts = appointment_facts(
        db.get(Practitioner, slot.practitioner_id), db.get(Place, slot.place_id), slot.starts_at
    )
    contact.send(db, "waitlist", facts)
    entry.last_notified_at = utcnow()


def cancel_reminders(db: Session, appointment_id: int) -> None:
    """Reminders not yet sent for this appointment will not go out."""
    db.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.appointment_id == appointment_id,
            OutboxMessage.kind == "reminder",
            OutboxMessage.status == "pending",
        )
        .values(status="cancelled")
    )


def appointment_facts(
    practitioner: Practitioner, place: Place, starts_at: datetime
) -> AppointmentFacts:
    """What messages say about an appointment or a slot: never the motive nor the specialty."""
    name = " ".join(
        part
        for part in (
            civility(practitioner.civility),
            practitioner.first_name,
            practitioner.last_name,
        )
        if part
    )
    town = " ".join(part for part in (place.postcode, place.city) if part)
    address = ", ".join(part for part in (place.address, town) if part)
    return AppointmentFacts(
        starts_at=starts_at, practitioner=name, address=address, phone=_national(place.phone)
    )


def _national(phone: str | None) -> str | None:
    """ "0327000000" → "03 27 00 00 00": easier to read and to dial."""
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, "FR")
    except phonenumbers.NumberParseException:
        return phone
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class _Contact:
    """Where a person is reached: a phone, and an e-mail only once it is verified."""

    def __init__(self, phone: str | None, email: str | None, language: str) -> None:
        self.phone, self.email, self.language = phone, email, language

    @classmethod
    def of_account(cls, account: Account | None) -> _Contact:
        if account is None:
            return cls(None, None, DEFAULT_LANGUAGE)
        email = account.email if account.email_verified_at else None
        return cls(account.phone, email, account.language or DEFAULT_LANGUAGE)

    @classmethod
    def of_appointment(cls, db: Session, appointment: Appointment) -> _Contact:
        patient = appointment.patient
        account_id = appointment.account_id or (patient.account_id if patient else None)
        if account_id is not None:
            return cls.of_account(db.get(Account, account_id))
        if patient is None:  # erased: nobody left to tell
            return cls(None, None, DEFAULT_LANGUAGE)
        # A practice's own patient: the secretariat typed the contact in with them.
        return cls(patient.phone, patient.email, DEFAULT_LANGUAGE)

    def send(self, db: Session, kind: str, facts: AppointmentFacts, **where) -> None:  # noqa: ANN003
        if self.phone:
            body = sms_text(kind, facts, language=self.language)
            enqueue(
                db,
                kind=kind,
                channel="sms",
                recipient=self.phone,
                body=body,
                language=self.language,
                **where,
            )
        if self.email:
            subject, body = email_text(kind, facts, language=self.language)
            enqueue(
                db,
                kind=kind,
                channel="email",
                recipient=self.email,
                subject=subject,
                body=body,
                language=self.language,
                **where,
            )
