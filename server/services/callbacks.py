"""Call-back requests: a person stuck on a kiosk's telephone line asks a counsellor of the
France Services centre to call them back.

The number is erased once the call-back is done: it is kept only while it is needed.
Nothing here logs it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from server.clock import utcnow
from server.errors import not_found
from server.models import CallbackRequest, Kiosk
from server.services.phones import normalize_phone
from server.services.steps import check_step


def request_callback(db: Session, *, kiosk: Kiosk, phone: str, step: str) -> CallbackRequest:
    """Record the request of a caller on `kiosk`'s line; the number is stored in E.164."""
    number = normalize_phone(phone)
    request = CallbackRequest(kiosk_id=kiosk.id, phone=number, step=check_step(step))
    db.add(request)
    db.flush()
    return request


def open_callbacks(db: Session) -> list[CallbackRequest]:
    """The requests still to call, oldest first: the person who waited longest is called first."""
    query = (
        select(CallbackRequest)
        .where(CallbackRequest.done_at.is_(None))
        .options(joinedload(CallbackRequest.kiosk))
        .order_by(CallbackRequest.created_at, CallbackRequest.id)
    )
    return list(db.scalars(query))


def mark_done(db: Session, request_id: int) -> CallbackRequest:
    """The person was called back: erase their number. Marking it again changes nothing."""
    request = db.get(CallbackRequest, request_id)
    if request is None:
        raise not_found("Cette demande de rappel")
    if request.done_at is None:
        request.done_at = utcnow()
        request.phone = None
    return request
