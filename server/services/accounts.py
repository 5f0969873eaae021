"""Accounts, the holder's profile and relatives; erasure of all of it on request.

An account is a verified phone number. The holder and relatives are Patient rows, so the
practices find and book them like their own patients.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError, not_found
from server.models import (
    Account,
    Appointment,
    AppointmentStatus,
    AuthSession,
    OutboxMessage,
    Patient,
    Sex,
    Verification,
)
from server.services import booking, sessions, verification
from server.text import fold

PERSON_FIELDS = (
    "sex",
    "first_name",
    "last_name",
    "birth_name",
    "birth_date",
    "born_in_france",
    "birth_commune_insee",
    "birth_country",
    "address",
    "postcode",
    "city",
)
_UPCOMING = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


# Sex, names and birth date are all a practice needs to book; the rest can come later.
BOOKING_FIELDS = ("sex", "last_name", "first_name", "birth_date")


def missing_for_booking(patient: Patient) -> list[str]:
    return [field for field in BOOKING_FIELDS if getattr(patient, field) in (None, "")]


def profile_complete(patient: Patient) -> bool:
    return not missing_for_booking(patient)


def holder_of(account: Account) -> Patient | None:
    return next((p for p in account.patients if p.is_account_holder), None)


def relatives_of(account: Account) -> list[Patient]:
    return [p for p in account.patients if not p.is_account_holder]


def person_of_account(db: Session, account_id: int, patient_id: int) -> Patient:
    """The holder or a relative of this account; any other id is "not found", never "forbidden"."""
    patient = db.get(Patient, patient_id)
    if patient is None or patient.account_id != account_id:
        raise ApiError(404, "not_found", "Cette personne est introuvable.", "patient_id")
    return patient


def save_me(
    db: Session, settings: Settings, *, session_id: int, kiosk_id: int, changes: dict[str, Any]
) -> Account:
    """Create the account on first save (with consent), then update what was sent."""
    auth = db.get(AuthSession, session_id)
    account = db.get(Account, auth.account_id) if auth.account_id else None
    if account is None:
        account = _open_account(db, auth, consent=changes.get("consent"))
    holder = holder_of(account)
    if holder is None:
        holder = Patient(is_account_holder=True)
        account.patients.append(holder)
    _apply(holder, changes)
    if changes.get("language"):
        account.language = changes["language"]
    if "email" in changes:
        _set_email(db, settings, account, changes["email"], kiosk_id)
    db.flush()
    return account


def add_relative(db: Session, account_id: int, changes: dict[str, Any]) -> Patient:
    for field, label in (("first_name", "Prénom"), ("last_name", "Nom")):
        if not changes.get(field):
            raise ApiError(422, "invalid", f"{label} : ce champ est obligatoire.", field)
    relative = Patient(account_id=account_id, is_account_holder=False)
    _apply(relative, changes)
    db.add(relative)
    db.flush()
    return relative


def update_relative(
    db: Session, account_id: int, relative_id: int, changes: dict[str, Any]
) -> Patient:
    relative = _relative(db, account_id, relative_id)
    for field, label in (("first_name", "Prénom"), ("last_name", "Nom")):
        if field in changes and not changes[field]:
            raise ApiError(422, "invalid", f"{label} : ce champ est obligatoire.", field)
    _apply(relative, changes)
    db.flush()
    return relative


def delete_relative(db: Session, account_id: int, relative_id: int) -> None:
    """Refused while the relative has appointments to come: the practice expects them."""
    relative = _relative(db, account_id, relative_id)
    upcoming = db.scalar(
        select(
            exists().where(
                Appointment.patient_id == relative.id,
                Appointment.status.in_(_UPCOMING),
                Appointment.starts_at > utcnow(),
            )
        )
    )
    if upcoming:
        raise ApiError(
            409,
            "has_appointments",
            "Cette personne a des rendez-vous à venir. Annulez-les d'abord.",
        )
    db.delete(relative)


def logout(db: Session, session_id: int) -> None:
    sessions.revoke(db, db.get(AuthSession, session_id))


def erase_account(db: Session, account_id: int) -> None:
    """Erase the holder's and relatives' personal data.

    Appointments keep their row with no patient (the practice keeps the time as taken);
    future ones are cancelled first. Messages not yet sent, codes and sessions go too.
    """
    account = db.get(Account, account_id, with_for_update=True)
    if account is None:
        return
    booking.cancel_for_erasure(db, account_id)
    targets = [account.phone]
    if account.email:
        targets.append(account.email)
    targets += db.scalars(
        select(Verification.target).where(Verification.account_id == account_id)
    ).all()
    db.execute(
        update(OutboxMessage)
        .where(OutboxMessage.recipient.in_(targets), OutboxMessage.status == "pending")
        .values(status="cancelled")
    )
    verification.forget_phone(db, account.phone)
    db.execute(
        delete(AuthSession).where(
            or_(AuthSession.account_id == account_id, AuthSession.phone == account.phone)
        )
    )
    db.execute(delete(Patient).where(Patient.account_id == account_id))
    db.execute(delete(Account).where(Account.id == account_id))


def _open_account(db: Session, auth: AuthSession, *, consent: bool | None) -> Account:
    """The account of the verified phone; created only with consent to terms and data use."""
    verification.lock_target(db, auth.phone)
    account = db.scalar(select(Account).where(Account.phone == auth.phone))
    if account is None:
        if consent is not True:
            raise ApiError(
                422,
                "consent_required",
                "Accord : pour créer le compte, acceptez les conditions "
                "et l'utilisation de vos données.",
                "consent",
            )
        account = Account(phone=auth.phone, consent_at=utcnow())
        account.patients.append(Patient(is_account_holder=True))
        db.add(account)
        db.flush()
    auth.account_id = account.id
    return account


def _relative(db: Session, account_id: int, relative_id: int) -> Patient:
    relative = person_of_account(db, account_id, relative_id)
    if relative.is_account_holder:
        raise not_found("Cette personne")
    return relative


def _apply(patient: Patient, changes: dict[str, Any]) -> None:
    """Copy the fields that were sent, and keep the search key in step with the names."""
    for field in (*PERSON_FIELDS, "relationship_label"):
        if field in changes:
            value = changes[field]
            setattr(patient, field, Sex(value) if field == "sex" and value else value)
    if changes.get("born_in_france") is True:
        patient.birth_country = None
    elif changes.get("born_in_france") is False:
        patient.birth_commune_insee = None
    names = " ".join(n for n in (patient.first_name, patient.last_name) if n)
    patient.name_key = fold(names) or None


def _set_email(
    db: Session, settings: Settings, account: Account, email: str | None, kiosk_id: int
) -> None:
    """A new or unverified address gets a code; a verified one sent again stays verified."""
    if email == account.email and account.email_verified_at is not None:
        return
    account.email = email
    account.email_verified_at = None
    if email:
        db.flush()
        verification.send_email_code(db, settings, account, kiosk_id)
