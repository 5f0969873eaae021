"""Booking rules: holds, confirmation, cancellation, moves, for patients and practices.

`Slot.taken` mirrors whether an appointment holds the slot (search reads it); the partial
unique index uq_appointment_active_slot is what really forbids two holders, so every claim
is a conditional update backed by that index.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import Row, bindparam, exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError, conflict, invalid, not_found
from server.models import (
    HOLDING_STATES,
    Account,
    Appointment,
    AppointmentStatus,
    Motive,
    Patient,
    Place,
    Practitioner,
    Slot,
    UsualPractitioner,
    opening_hours_motives,
)
from server.services import accounts, sync, waitlist
from server.services.notifications import appointment_facts, notify_appointment

_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone
SLOT_TAKEN = "Ce créneau vient d'être pris. Choisissez un autre horaire."

# The statements of every booking, built once: building one costs as much as running it.
_listed = opening_hours_motives.c
# A slot takes the motives of its opening hours; hours without a list take them all.
_TARGET = (
    select(
        Slot,
        Practitioner,
        Place,
        Motive,
        Patient,
        exists().where(_listed.opening_hours_id == Slot.opening_hours_id).label("has_list"),
        exists()
        .where(
            _listed.opening_hours_id == Slot.opening_hours_id,
            _listed.motive_id == bindparam("motive_id"),
        )
        .label("listed"),
    )
    .join(Practitioner, Practitioner.id == Slot.practitioner_id)
    .outerjoin(Practitioner.specialty)
    .join(Place, Place.id == Slot.place_id)
    .outerjoin(Motive, Motive.id == bindparam("motive_id"))
    .outerjoin(Patient, Patient.id == bindparam("patient_id"))
    .options(contains_eager(Practitioner.specialty))
    .where(Slot.id == bindparam("slot_id"))
)
_APPOINTMENT = (
    select(Appointment)
    .join(Appointment.patient)
    .outerjoin(Patient.account)
    .join(Appointment.practitioner)
    .outerjoin(Practitioner.specialty)
    .join(Appointment.place)
    .join(Appointment.motive)
    .options(
        contains_eager(Appointment.patient).contains_eager(Patient.account),
        contains_eager(Appointment.practitioner).contains_eager(Practitioner.specialty),
        contains_eager(Appointment.place),
        contains_eager(Appointment.motive),
    )
    .where(Appointment.id == bindparam("appointment_id"))
)
_USUAL = select(UsualPractitioner).where(
    UsualPractitioner.patient_id == bindparam("patient_id"),
    UsualPractitioner.practice_id == bindparam("practice_id"),
)
_slots = Slot.__table__
_TAKE = (
    update(_slots)
    .where(
        _slots.c.id == bindparam("slot_id"),
        _slots.c.taken.is_(False),
        _slots.c.closed.is_(False),
    )
    .values(taken=True)
)
_appointments = Appointment.__table__
_INSERT = insert(_appointments).returning(_appointments.c.id)
_CONFIRM = (
    update(_appointments)
    .where(
        _appointments.c.id == bindparam("appointment_id"),
        _appointments.c.status == AppointmentStatus.PENDING,
        _appointments.c.hold_expires_at >= bindparam("now"),
    )
    .values(status=AppointmentStatus.CONFIRMED, confirmed_at=bindparam("now"))
)


# ------------------------------------------------------------------ patient side


def book(
    db: Session,
    *,
    settings: Settings,
    account: Account,
    slot_id: int,
    motive_id: int,
    patient_id: int,
    first_visit: bool,
    other_practitioner_consent: bool = False,
    kiosk_id: int | None = None,
    booked_by: str = "patient",
) -> Appointment:
    """A pending hold for one of the account's people; it expires unless confirmed.
    `booked_by` is "counsellor" when a counsellor books under the person's consent."""
    found = _find(db, slot_id, motive_id, patient_id)  # the patient too, kept in the session
    patient = accounts.person_of_account(db, account.id, patient_id)
    target = _bookable(found, settings, first_visit, by_practice=False)
    _check_profile(patient)
    _check_usual_practitioner(db, patient, target.slot.practitioner_id, other_practitioner_consent)
    now = utcnow()
    return _hold(
        db,
        target,
        patient,
        status=AppointmentStatus.PENDING,
        first_visit=first_visit,
        account_id=account.id,
        kiosk_id=kiosk_id,
        booked_by=booked_by,
        hold_expires_at=now + timedelta(minutes=settings.hold_minutes),
    )


def confirm(db: Session, *, account: Account, appointment_id: int) -> Appointment:
    """Turn a live hold into a booking and queue the confirmation and the reminder."""
    appointment = appointment_of_account(db, account, appointment_id)
    if appointment.status == AppointmentStatus.CONFIRMED:
        return appointment
    now = utcnow()
    claimed = (
        db.connection().execute(_CONFIRM, {"appointment_id": appointment.id, "now": now}).rowcount
    )
    if not claimed:
        if appointment.status in (AppointmentStatus.PENDING, AppointmentStatus.EXPIRED):
            raise conflict(
                "hold_expired",
                "Le temps de réservation est dépassé. Choisissez à nouveau un horaire.",
            )
        raise conflict("not_pending", "Ce rendez-vous ne peut plus être confirmé.")
    # What the update wrote, without reading the row back.
    set_committed_value(appointment, "status", AppointmentStatus.CONFIRMED)
    set_committed_value(appointment, "confirmed_at", now)
    _settle(db, appointment)
    notify_appointment(db, appointment, "confirmation")
    return appointment


def cancel_by_patient(
    db: Session, *, settings: Settings, account: Account, appointment_id: int
) -> Appointment:
    """Cancel online until the deadline; later the person must call the practice."""
    appointment = appointment_of_account(db, account, appointment_id)
    if appointment.status == AppointmentStatus.CANCELLED:
        return appointment
    _check_changeable(appointment, settings, "annuler", "annulé")
    return _cancel(db, appointment, by="patient")


def move(
    db: Session, *, settings: Settings, account: Account, appointment_id: int, slot_id: int
) -> Appointment:
    """One atomic change to another free slot of the same practitioner."""
    appointment = appointment_of_account(db, account, appointment_id)
    _check_changeable(appointment, settings, "déplacer", "déplacé")
    if appointment.status == AppointmentStatus.PENDING and appointment.hold_expires_at < utcnow():
        raise conflict(
            "hold_expired", "Le temps de réservation est dépassé. Choisissez à nouveau un horaire."
        )
    new_slot = _bookable(
        _find(db, slot_id, appointment.motive_id),
        settings,
        appointment.first_visit,
        by_practice=False,
    ).slot
    if new_slot.practitioner_id != appointment.practitioner_id:
        raise invalid("slot_id", "Choisissez un horaire avec le même praticien.")
    if new_slot.id == appointment.slot_id:
        return appointment
    _claim_slot(db, new_slot)
    old_slot_id = appointment.slot_id
    appointment.slot_id = new_slot.id
    appointment.place_id = new_slot.place_id
    appointment.starts_at = new_slot.starts_at
    appointment.ends_at = new_slot.ends_at
    _flush_or_taken(db)
    refresh_taken(db, [old_slot_id])
    db.refresh(appointment)
    if appointment.status == AppointmentStatus.CONFIRMED:
        notify_appointment(db, appointment, "change")
        waitlist.alert(db, db.get(Slot, old_slot_id), skip_patient_id=appointment.patient_id)
    return appointment


# ----------------------------------------------------------------- practice side


def book_for_practice(
    db: Session,
    *,
    settings: Settings,
    practitioner_ids: list[int],
    slot_id: int,
    motive_id: int,
    patient: Patient,
    first_visit: bool,
) -> Appointment:
    """The secretariat books on a patient's behalf: confirmed at once (seed 003)."""
    target = _bookable(_find(db, slot_id, motive_id), settings, first_visit, by_practice=True)
    if target.slot.practitioner_id not in practitioner_ids:
        raise not_found("Ce créneau")
    appointment = _hold(
        db,
        target,
        patient,
        status=AppointmentStatus.CONFIRMED,
        first_visit=first_visit,
        account_id=patient.account_id,
        kiosk_id=None,
        booked_by="practice",
        hold_expires_at=None,
        confirmed_at=utcnow(),
    )
    _settle(db, appointment)
    notify_appointment(db, appointment, "confirmation")
    return appointment


def cancel_for_erasure(db: Session, account_id: int) -> int:
    """Before an account is erased, its future bookings are cancelled so others can take them."""
    future = db.scalars(
        select(Appointment)
        .join(Patient, Appointment.patient_id == Patient.id)
        .where(
            Patient.account_id == account_id,
            Appointment.status.in_((AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)),
            Appointment.starts_at > utcnow(),
        )
    ).all()
    for appointment in future:
        _cancel(db, appointment, by="patient")
    return len(future)


def cancel_by_practice(db: Session, appointment: Appointment) -> Appointment:
    if appointment.status == AppointmentStatus.CANCELLED:
        return appointment
    if appointment.status not in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED):
        raise conflict("not_cancellable", "Ce rendez-vous ne peut plus être annulé.")
    return _cancel(db, appointment, by="practice")


def mark_outcome(db: Session, appointment: Appointment, *, honoured: bool, excused: bool) -> None:
    """After the time: honoured, or missed (excused when warned at least the day before)."""
    if appointment.status not in (
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.HONOURED,
        AppointmentStatus.MISSED,
    ):
        raise conflict("not_confirmed", "Seul un rendez-vous confirmé peut être marqué.")
    if appointment.starts_at > utcnow():
        raise conflict("not_yet", "Ce rendez-vous n'a pas encore eu lieu.")
    appointment.status = AppointmentStatus.HONOURED if honoured else AppointmentStatus.MISSED
    appointment.missed_excused = None if honoured else excused


# ------------------------------------------------------------------------ holds


def expire_holds(db: Session, *, slot_id: int | None = None) -> int:
    """Pending holds past their time become "expired" and free their slots; returns how many."""
    now = utcnow()
    stale = select(Appointment.id, Appointment.slot_id).where(
        Appointment.status == AppointmentStatus.PENDING, Appointment.hold_expires_at < now
    )
    if slot_id is not None:
        stale = stale.where(Appointment.slot_id == slot_id)
    rows = db.execute(stale).all()
    if not rows:
        return 0
    expired = db.execute(
        update(Appointment)
        .where(
            Appointment.id.in_([row.id for row in rows]),
            Appointment.status == AppointmentStatus.PENDING,
            Appointment.hold_expires_at < now,
        )
        .values(status=AppointmentStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    ).rowcount
    refresh_taken(db, [row.slot_id for row in rows])
    return expired


def refresh_taken(db: Session, slot_ids: list[int]) -> None:
    """Make `Slot.taken` say again whether a holding appointment uses each slot."""
    holder = exists().where(Appointment.slot_id == Slot.id, Appointment.status.in_(HOLDING_STATES))
    changed = db.execute(
        update(Slot)
        .where(Slot.id.in_(set(slot_ids)))
        .values(taken=holder)
        .returning(Slot.id, Slot.practitioner_id)
        .execution_options(synchronize_session=False)
    ).all()
    sync.record_changes_bulk(db, "slot", changed)
    for slot_id in slot_ids:
        if (slot := db.get(Slot, slot_id)) is not None:
            db.expire(slot)


# ---------------------------------------------------------------------- lookups


def appointment_of_account(db: Session, account: Account, appointment_id: int) -> Appointment:
    """The appointment if one of the account's people has it, else "not found".

    One query also brings what the answer and the messages read (patient, practitioner and
    specialty, place, motive, account): later attribute reads find them in the session.
    """
    appointment = db.scalar(_APPOINTMENT, {"appointment_id": appointment_id})
    if appointment is None or appointment.patient.account_id != account.id:
        raise not_found("Ce rendez-vous")
    return appointment


def account_appointments(db: Session, account: Account) -> list[Appointment]:
    """The account's people's appointments: upcoming soonest first, then past latest first.

    Expired holds are left out: they were never bookings.
    """
    rows = db.scalars(
        select(Appointment)
        .join(Patient, Appointment.patient_id == Patient.id)
        .where(
            Patient.account_id == account.id,
            Appointment.status != AppointmentStatus.EXPIRED,
        )
        .order_by(Appointment.starts_at)
    ).all()
    now = utcnow()
    upcoming = [a for a in rows if a.starts_at >= now]
    past = [a for a in reversed(rows) if a.starts_at < now]
    return upcoming + past


def cancellable_online(appointment: Appointment, settings: Settings) -> bool:
    return appointment.status in (
        AppointmentStatus.PENDING,
        AppointmentStatus.CONFIRMED,
    ) and appointment.starts_at - utcnow() >= timedelta(hours=settings.cancel_deadline_hours)


# -------------------------------------------------------------------- internals


class _Target(NamedTuple):
    """A bookable slot with what the answer and the messages will read about it."""

    slot: Slot
    motive: Motive
    practitioner: Practitioner
    place: Place


def _find(db: Session, slot_id: int, motive_id: int, patient_id: int | None = None) -> Row | None:
    """One query for the slot, the motive and the patient, with the practitioner, specialty
    and place (which the answer and the messages read later from the session) and whether
    the slot's hours allow the motive."""
    return db.execute(
        _TARGET, {"slot_id": slot_id, "motive_id": motive_id, "patient_id": patient_id}
    ).first()


def _bookable(
    found: Row | None, settings: Settings, first_visit: bool, *, by_practice: bool
) -> _Target:
    """The slot and motive, once every rule that does not depend on the patient holds."""
    if found is None:
        raise ApiError(404, "not_found", "Ce créneau est introuvable.", "slot_id")
    slot, practitioner, place, motive, _patient, has_list, listed = found
    if not by_practice and not practitioner.bookable_online:
        phone = appointment_facts(practitioner, place, slot.starts_at).phone
        call = f" Appelez le cabinet au {phone}." if phone else ""
        raise invalid("slot_id", f"Ce praticien ne prend pas de rendez-vous en ligne.{call}")
    if slot.closed:
        raise conflict(
            "slot_closed", "Ce créneau n'est plus proposé. Choisissez un autre horaire.", "slot_id"
        )
    if not by_practice and slot.starts_at < utcnow() + timedelta(
        minutes=settings.min_booking_lead_minutes
    ):
        raise invalid(
            "slot_id",
            f"Cet horaire est trop proche. Choisissez un horaire au moins "
            f"{settings.min_booking_lead_minutes} minutes plus tard.",
        )
    if motive is None or motive.practitioner_id != slot.practitioner_id or not motive.active:
        raise ApiError(404, "not_found", "Ce motif est introuvable.", "motive_id")
    if has_list and not listed:
        raise invalid(
            "motive_id", "Ce motif n'est pas possible à cet horaire. Choisissez un autre horaire."
        )
    if first_visit and not motive.open_to_new_patients:
        raise invalid("motive_id", "Ce motif est réservé aux patients déjà suivis.")
    return _Target(slot, motive, practitioner, place)


def _check_profile(patient: Patient) -> None:
    if missing := accounts.missing_for_booking(patient):
        raise ApiError(
            422,
            "profile_incomplete",
            "Complétez d'abord le profil : sexe, nom, prénom et date de naissance.",
            missing[0],
        )


def _check_usual_practitioner(
    db: Session, patient: Patient, practitioner_id: int, consent: bool
) -> None:
    """Seed 003: never book another practitioner of the practice without the patient's word."""
    practitioner = db.get(Practitioner, practitioner_id)
    if practitioner.practice_id is None or consent:
        return
    usual = db.scalar(_USUAL, {"patient_id": patient.id, "practice_id": practitioner.practice_id})
    if usual is not None and usual.practitioner_id != practitioner_id:
        other = db.get(Practitioner, usual.practitioner_id)
        raise conflict(
            "usual_practitioner",
            f"Dans ce cabinet, vous êtes suivi par {other.first_name} {other.last_name}. "
            "Voulez-vous vraiment voir un autre praticien ?",
            "other_practitioner_consent",
            practitioner=f"{other.first_name} {other.last_name}",
        )


def _hold(db: Session, target: _Target, patient: Patient, **fields) -> Appointment:  # noqa: ANN003
    """Claim the slot and write the appointment; a lost race is a 409, never a 5xx.

    The row is written by one prebuilt INSERT, cheaper than the ORM's unit of work; the
    object is then attached as if it had been loaded, with every column set.
    """
    slot, motive = target.slot, target.motive
    db.flush()  # a patient the practice has just typed in gets its id
    values = {
        "reference": _reference(),
        "slot_id": slot.id,
        "practitioner_id": slot.practitioner_id,
        "place_id": slot.place_id,
        "motive_id": motive.id,
        "patient_id": patient.id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "created_at": utcnow(),
        "confirmed_at": None,
        "cancelled_at": None,
        "cancelled_by": None,
        "missed_excused": None,
        **fields,
    }
    _claim_slot(db, slot)
    try:
        values["id"] = db.connection().execute(_INSERT, values).scalar_one()
    except IntegrityError:
        raise conflict("slot_taken", SLOT_TAKEN, "slot_id") from None
    appointment = Appointment(**values)
    make_transient_to_detached(appointment)
    db.add(appointment)
    # Already read: the answer and the messages need not load them again.
    for name, value in (
        ("practitioner", target.practitioner),
        ("place", target.place),
        ("motive", motive),
        ("patient", patient),
    ):
        set_committed_value(appointment, name, value)
    return appointment


def _claim_slot(db: Session, slot: Slot) -> None:
    """Take a free slot; one held by a hold past its time is freed first, then taken."""
    slot_id, practitioner_id = slot.id, slot.practitioner_id
    if not _take(db, slot_id) and not (expire_holds(db, slot_id=slot_id) and _take(db, slot_id)):
        db.expire(slot)
        raise conflict("slot_taken", SLOT_TAKEN, "slot_id")
    sync.record_changes_bulk(db, "slot", [(slot_id, practitioner_id)])
    db.expire(slot)


def _take(db: Session, slot_id: int) -> bool:
    return bool(db.connection().execute(_TAKE, {"slot_id": slot_id}).rowcount)


def _flush_or_taken(db: Session) -> None:
    try:
        db.flush()
    except IntegrityError:
        raise conflict("slot_taken", SLOT_TAKEN, "slot_id") from None


def _settle(db: Session, appointment: Appointment) -> None:
    """A confirmed booking: the practitioner becomes usual if none is set, waiting ends."""
    practitioner = appointment.practitioner
    if practitioner.practice_id is not None and appointment.patient_id is not None:
        known = db.scalar(
            _USUAL,
            {"patient_id": appointment.patient_id, "practice_id": practitioner.practice_id},
        )
        if known is None:
            db.add(
                UsualPractitioner(
                    patient_id=appointment.patient_id,
                    practice_id=practitioner.practice_id,
                    practitioner_id=practitioner.id,
                )
            )
    if appointment.patient_id is not None:
        waitlist.close_for(db, appointment.patient_id, practitioner.id)


def _check_changeable(appointment: Appointment, settings: Settings, verb: str, done: str) -> None:
    if appointment.status not in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED):
        raise conflict("not_changeable", f"Ce rendez-vous ne peut plus être {done}.")
    if appointment.status == AppointmentStatus.CONFIRMED and not cancellable_online(
        appointment, settings
    ):
        phone = appointment_facts(
            appointment.practitioner, appointment.place, appointment.starts_at
        ).phone
        call = f" Appelez le cabinet au {phone}." if phone else " Appelez le cabinet."
        raise conflict("too_late", f"Il est trop tard pour {verb} en ligne.{call}", phone=phone)


def _cancel(db: Session, appointment: Appointment, *, by: str) -> Appointment:
    """Free the slot; a confirmed booking is announced and offered to the waiting list."""
    was_confirmed = appointment.status == AppointmentStatus.CONFIRMED
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = utcnow()
    appointment.cancelled_by = by
    db.flush()
    refresh_taken(db, [appointment.slot_id])
    if was_confirmed:
        notify_appointment(db, appointment, "cancellation")
        waitlist.alert(db, appointment.slot, skip_patient_id=appointment.patient_id)
    return appointment


def _reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
