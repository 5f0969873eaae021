"""Queueing messages in the outbox, in the caller's transaction.

Nothing is sent if that transaction rolls back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from server.clock import utcnow
from server.models import OutboxMessage


def enqueue(
    db: Session,
    *,
    kind: str,
    channel: str,
    recipient: str,
    body: str,
    subject: str | None = None,
    due_at: datetime | None = None,
    appointment_id: int | None = None,
    language: str = "fr",
) -> OutboxMessage:
    message = OutboxMessage(
        kind=kind,
        channel=channel,
        recipient=recipient,
        body=body,
        subject=subject,
        next_attempt_at=due_at or utcnow(),
        appointment_id=appointment_id,
        language=language,
    )
    db.add(message)
    return message
