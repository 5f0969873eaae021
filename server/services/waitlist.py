"""Waiting list (seed 003): a freed slot is offered to all who wait; first to book gets it."""

from __future__ import annotations

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.errors import ApiError
from server.models import Account, Motive, OpeningHours, Practitioner, Slot, WaitlistEntry
from server.services import accounts
from server.services.notifications import notify_waitlist


def add(
    db: Session,
    *,
    account: Account,
    patient_id: int,
    practitioner_id: int,
    motive_id: int | None = None,
) -> WaitlistEntry:
    """Join the list; asking twice keeps the one entry."""
    accounts.person_of_account(db, account.id, patient_id)
    if db.get(Practitioner, practitioner_id) is None:
        raise ApiError(404, "not_found", "Ce praticien est introuvable.", "practitioner_id")
    if motive_id is not None:
        motive = db.get(Motive, motive_id)
        if motive is None or motive.practitioner_id != practitioner_id or not motive.active:
            raise ApiError(404, "not_found", "Ce motif est introuvable.", "motive_id")
    entry = db.scalar(
        select(WaitlistEntry).where(
            WaitlistEntry.patient_id == patient_id,
            WaitlistEntry.practitioner_id == practitioner_id,
            WaitlistEntry.motive_id.is_(None)
            if motive_id is None
            else WaitlistEntry.motive_id == motive_id,
            WaitlistEntry.active.is_(True),
        )
    )
    if entry is None:
        entry = WaitlistEntry(
            account_id=account.id,
            patient_id=patient_id,
            practitioner_id=practitioner_id,
            motive_id=motive_id,
        )
        db.add(entry)
        db.flush()
    return entry


def remove(db: Session, *, account: Account, entry_id: int) -> None:
    entry = db.get(WaitlistEntry, entry_id)
    if entry is None or entry.account_id != account.id or not entry.active:
        raise ApiError(404, "not_found", "Cette demande est introuvable.", None)
    entry.active = False


def alert(db: Session, slot: Slot, *, skip_patient_id: int | None = None) -> int:
    """Tell every active entry that can use this freed slot; returns how many were told."""
    if slot.starts_at <= utcnow():
        return 0
    query = select(WaitlistEntry).where(
        WaitlistEntry.practitioner_id == slot.practitioner_id, WaitlistEntry.active.is_(True)
    )
    rule = db.get(OpeningHours, slot.opening_hours_id) if slot.opening_hours_id else None
    if rule is not None and rule.motives:
        allowed = [motive.id for motive in rule.motives]
        query = query.where(
            or_(WaitlistEntry.motive_id.is_(None), WaitlistEntry.motive_id.in_(allowed))
        )
    told = 0
    for entry in db.scalars(query.order_by(WaitlistEntry.id)):
        if entry.patient_id == skip_patient_id:
            continue
        notify_waitlist(db, entry, slot)
        told += 1
    return told


def close_for(db: Session, patient_id: int, practitioner_id: int) -> None:
    """A patient who booked with the practitioner no longer waits for them."""
    db.execute(
        update(WaitlistEntry)
        .where(
            WaitlistEntry.patient_id == patient_id,
            WaitlistEntry.practitioner_id == practitioner_id,
            WaitlistEntry.active.is_(True),
        )
        .values(active=False)
        .execution_options(synchronize_session=False)
    )
