"""Assisted booking: a counsellor acts for a visitor, only under the visitor's consent.

The consent (a Mandate) has a scope (medical appointments), a duration (this visit, one
day, one month, up to one year), is shown and read to the visitor, then confirmed by the
visitor: a code sent to their phone, given to the counsellor in front of them, or their own
"yes" at a kiosk where they signed in with their code. It is revocable at any time, from
the kiosk or the dashboard. Everything done for the visitor goes into the journal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError, invalid, not_found
from server.models import Account, Appointment, Counsellor, Mandate
from server.services import accounts, booking, journal, verification
from server.services.phones import normalize_mobile

SCOPE = "appointments"
DURATIONS = {
    "visit": timedelta(hours=3),
    "day": timedelta(days=1),
    "month": timedelta(days=31),
    "year": timedelta(days=365),
}
DURATION_WORDS = {
    "visit": "pendant cette visite",
    "day": "pendant 1 jour",
    "month": "pendant 1 mois",
    "year": "pendant 1 an",
}
# Shown and read to the visitor before they confirm; short sentences (FALC).
CONSENT_TEXT = (
    "Vous autorisez les conseillers de ce centre à vous aider.",
    "Ils peuvent prendre, changer et annuler vos rendez-vous médicaux.",
    "Ils peuvent aussi le faire pour vos proches inscrits dans votre compte.",
    "Ils ne voient pas vos documents de santé.",
    "Chaque action est notée dans un journal. Vous pouvez le lire.",
    "Vous pouvez retirer votre accord quand vous voulez.",
)


@dataclass(frozen=True)
class Asked:
    """A consent waiting for the visitor's code."""

    verification_id: str
    account_id: int


def consent_text(duration: str) -> list[str]:
    return [*CONSENT_TEXT, f"Cet accord dure {DURATION_WORDS[_duration(duration)]}."]


def account_by_phone(db: Session, phone: str) -> Account:
    account = db.scalar(select(Account).where(Account.phone == normalize_mobile(phone)))
    if account is None:
        raise ApiError(
            404,
            "no_account",
            "Aucun compte pour ce numéro. La personne peut en créer un à la borne.",
            "phone",
        )
    return account


def ask_by_code(db: Session, settings: Settings, *, phone: str) -> Asked:
    """Send the visitor's phone the code that will confirm their consent."""
    account = account_by_phone(db, phone)
    sent = verification.request_mandate_code(db, settings, account=account)
    return Asked(sent.verification_id, account.id)


def confirm_by_code(
    db: Session,
    settings: Settings,
    *,
    counsellor: Counsellor,
    verification_id: str,
    code: str,
    duration: str,
) -> Mandate:
    account_id = verification.check_mandate_code(
        db, settings, verification_id=verification_id, code=code
    )
    return _grant(db, account_id, counsellor, duration, "sms_code")


def give_at_kiosk(db: Session, *, account: Account, duration: str) -> Mandate:
    """The visitor, signed in at a kiosk with their own code, says yes."""
    return _grant(db, account.id, None, duration, "kiosk")


def current(db: Session, account_id: int, now: datetime | None = None) -> Mandate | None:
    """The consent in force, if any: the one that lasts longest."""
    query = (
        select(Mandate)
        .where(
            Mandate.account_id == account_id,
            Mandate.revoked_at.is_(None),
            Mandate.expires_at > (now or utcnow()),
        )
        .order_by(Mandate.expires_at.desc())
    )
    return db.scalars(query).first()


def revoke(db: Session, account_id: int, *, by: Counsellor | None = None) -> int:
    """End every consent in force; returns how many there were."""
    now, ended = utcnow(), 0
    query = select(Mandate).where(
        Mandate.account_id == account_id, Mandate.revoked_at.is_(None), Mandate.expires_at > now
    )
    for mandate in db.scalars(query):
        mandate.revoked_at = now
        ended += 1
    if ended:
        journal.add(db, account_id=account_id, counsellor=by, action="consent_revoked")
    return ended


# ------------------------------------------------------- acting for the visitor


def acting_for(db: Session, account_id: int) -> Account:
    """The account, only while a consent is in force; else a 403 that says what to do."""
    account = db.get(Account, account_id)
    if account is None:
        raise not_found("Ce compte")
    if current(db, account_id) is None:
        raise ApiError(
            403,
            "no_consent",
            "La personne n'a pas donné son accord, ou il est terminé. Demandez son accord.",
        )
    return account


def appointments_for(db: Session, account_id: int, counsellor: Counsellor) -> list[Appointment]:
    account = acting_for(db, account_id)
    journal.add(db, account_id=account.id, counsellor=counsellor, action="appointments_seen")
    return booking.account_appointments(db, account)


def book_for(
    db: Session,
    settings: Settings,
    *,
    counsellor: Counsellor,
    account_id: int,
    slot_id: int,
    motive_id: int,
    patient_id: int,
    first_visit: bool,
) -> Appointment:
    """Hold and confirm at once: the counsellor checked every detail with the visitor."""
    account = acting_for(db, account_id)
    held = booking.book(
        db,
        settings=settings,
        account=account,
        slot_id=slot_id,
        motive_id=motive_id,
        patient_id=patient_id,
        first_visit=first_visit,
        booked_by="counsellor",
    )
    done = booking.confirm(db, account=account, appointment_id=held.id)
    _log(db, account, counsellor, "booked", done)
    return done


def move_for(
    db: Session,
    settings: Settings,
    *,
    counsellor: Counsellor,
    account_id: int,
    appointment_id: int,
    slot_id: int,
) -> Appointment:
    account = acting_for(db, account_id)
    moved = booking.move(
        db, settings=settings, account=account, appointment_id=appointment_id, slot_id=slot_id
    )
    _log(db, account, counsellor, "moved", moved)
    return moved


def cancel_for(
    db: Session, settings: Settings, *, counsellor: Counsellor, account_id: int, appointment_id: int
) -> Appointment:
    account = acting_for(db, account_id)
    cancelled = booking.cancel_by_patient(
        db, settings=settings, account=account, appointment_id=appointment_id
    )
    _log(db, account, counsellor, "cancelled", cancelled)
    return cancelled


def _log(
    db: Session, account: Account, counsellor: Counsellor, action: str, done: Appointment
) -> None:
    patient = accounts.person_of_account(db, account.id, done.patient_id)
    journal.add(
        db,
        account_id=account.id,
        counsellor=counsellor,
        action=action,
        patient=patient.first_name,
        reference=done.reference,
    )


def _grant(
    db: Session, account_id: int, counsellor: Counsellor | None, duration: str, how: str
) -> Mandate:
    now = utcnow()
    mandate = Mandate(
        account_id=account_id,
        counsellor_id=counsellor.id if counsellor else None,
        scope=SCOPE,
        duration=_duration(duration),
        confirmed_by=how,
        granted_at=now,
        expires_at=now + DURATIONS[duration],
    )
    db.add(mandate)
    db.flush()
    journal.add(db, account_id=account_id, counsellor=counsellor, action="consent_given")
    return mandate


def _duration(duration: str) -> str:
    if duration not in DURATIONS:
        raise invalid("duration", "Durée de l'accord : choisissez dans la liste.")
    return duration
