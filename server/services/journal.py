"""The journal of what counsellors did for a person: who, for whom, what, when.

Append-only: rows are added, never changed or deleted (the session refuses it); they go
only with the account when it is erased. No medical detail: an appointment is named by its
reference, never by its practitioner, specialty or motive.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from server.models import Counsellor, JournalEntry

# What can be written, and how the person reads it.
ACTIONS = {
    "consent_given": "Accord donné",
    "consent_revoked": "Accord retiré",
    "appointments_seen": "Rendez-vous consultés",
    "booked": "Rendez-vous pris",
    "moved": "Rendez-vous changé",
    "cancelled": "Rendez-vous annulé",
}


class AppendOnly(Exception):
    """A journal entry was about to be changed or deleted."""


def add(
    db: Session,
    *,
    account_id: int,
    counsellor: Counsellor | None,
    action: str,
    patient: str | None = None,
    reference: str | None = None,
) -> JournalEntry:
    if action not in ACTIONS:
        raise ValueError(action)
    entry = JournalEntry(
        account_id=account_id,
        counsellor_id=counsellor.id if counsellor else None,
        counsellor_name=counsellor.name if counsellor else "",  # "": the person themself
        action=action,
        patient=patient,
        reference=reference,
    )
    db.add(entry)
    db.flush()
    return entry


def entries(db: Session, account_id: int) -> list[JournalEntry]:
    """Newest first."""
    query = select(JournalEntry).where(JournalEntry.account_id == account_id)
    return list(db.scalars(query.order_by(JournalEntry.id.desc())))


@event.listens_for(Session, "before_flush")
def _append_only(session: Session, _context: object, _instances: object) -> None:
    changed = [o for o in (*session.dirty, *session.deleted) if isinstance(o, JournalEntry)]
    if any(o in session.deleted or session.is_modified(o) for o in changed):
        raise AppendOnly("the journal is append-only")
