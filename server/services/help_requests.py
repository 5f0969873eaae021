"""Help requests: a visitor pressed "Aide" at a kiosk; a counsellor answers "J'arrive".

A kiosk has at most one open request: pressing "Aide" again keeps the first, so the person
who waited longest stays first in the list. The request holds the step, never the person.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from server.clock import utcnow
from server.errors import not_found
from server.models import Counsellor, HelpRequest
from server.services.steps import check_step


def ask(db: Session, kiosk_id: int, step: str) -> HelpRequest:
    """Open the kiosk's request, or give back the one already open."""
    check_step(step)
    request = current(db, kiosk_id)
    if request is None:
        request = HelpRequest(kiosk_id=kiosk_id, step=step)
        db.add(request)
        db.flush()
    return request


def current(db: Session, kiosk_id: int) -> HelpRequest | None:
    query = (
        select(HelpRequest)
        .where(HelpRequest.kiosk_id == kiosk_id, HelpRequest.closed_at.is_(None))
        .options(joinedload(HelpRequest.coming))
        .order_by(HelpRequest.id)
    )
    return db.scalars(query).first()


def open_requests(db: Session) -> list[HelpRequest]:
    """Requests not closed yet, oldest first."""
    query = (
        select(HelpRequest)
        .where(HelpRequest.closed_at.is_(None))
        .options(joinedload(HelpRequest.kiosk), joinedload(HelpRequest.coming))
        .order_by(HelpRequest.raised_at, HelpRequest.id)
    )
    return list(db.scalars(query))


def coming(db: Session, request_id: int, counsellor: Counsellor) -> HelpRequest:
    """A counsellor is on their way; the first to answer keeps the request."""
    request = _open(db, request_id)
    if request.coming_id is None:
        request.coming_id = counsellor.id
        request.coming_at = utcnow()
    return request


def close(db: Session, request_id: int) -> HelpRequest:
    """The visitor was helped. Closing it again changes nothing."""
    request = db.get(HelpRequest, request_id)
    if request is None:
        raise not_found("Cette demande d'aide")
    if request.closed_at is None:
        request.closed_at = utcnow()
    return request


def close_current(db: Session, kiosk_id: int) -> None:
    """The visitor's session ended at the kiosk: nobody is waiting there any more."""
    request = current(db, kiosk_id)
    if request is not None:
        request.closed_at = utcnow()


def _open(db: Session, request_id: int) -> HelpRequest:
    request = db.get(HelpRequest, request_id)
    if request is None or request.closed_at is not None:
        raise not_found("Cette demande d'aide")
    return request
