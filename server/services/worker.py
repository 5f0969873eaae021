"""Sending queued messages exactly once, even with several workers on one database.

A worker claims rows in a short write transaction (status "sending" with a lease), sends
outside it, then marks them "sent". PostgreSQL claims with FOR UPDATE SKIP LOCKED so workers
never wait on each other; SQLite serialises writers (BEGIN IMMEDIATE) and the conditional
UPDATE … WHERE status = 'pending' takes a row only once. If a worker dies mid-send, its lease
runs out and the message is pending again. A failing gateway only delays a message: it is
retried with backoff, never dropped.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from server.clock import utcnow
from server.config import Settings
from server.db import Database
from server.delivery import Backend, DeliveryError, Outgoing, make_backend
from server.models import OutboxMessage
from server.services import booking, idempotency, sync
from server.services.slots import generate_slots

log = logging.getLogger(__name__)

BATCH_SIZE = 10
# Covers a whole batch even if every send hits the 10-second gateway timeout.
LEASE = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
# Bodies hold personal data: keep sent messages only as long as support may need them.
RETENTION = timedelta(days=30)
# A kiosk retries a write within minutes; a day is plenty.
IDEMPOTENCY_RETENTION = timedelta(days=1)
# Kiosks further behind than this start their replica again from a full copy.
SYNC_RETENTION_DAYS = 30
UPKEEP_EVERY = timedelta(hours=1)


def run_worker(
    db: Database,
    settings: Settings,
    *,
    once: bool = False,
    worker_id: str | None = None,
    poll_seconds: float = 1.0,
) -> int:
    """Send due messages until stopped (or, with `once`, until none is due); returns how many."""
    worker_id = worker_id or f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    backends = {channel: make_backend(settings, channel) for channel in ("sms", "email")}
    sent = 0
    last_upkeep = None
    while True:
        _housekeeping(db)
        if last_upkeep is None or utcnow() - last_upkeep > UPKEEP_EVERY:
            upkeep(db, settings)
            last_upkeep = utcnow()
        batch = claim(db, worker_id)
        for claimed in batch:
            sent += deliver(db, backends[claimed.message.channel], claimed, worker_id)
        if not batch:
            if once:
                return sent
            time.sleep(poll_seconds)


@dataclass(frozen=True)
class Claimed:
    """A claimed message and how many times sending it already failed."""

    message: Outgoing
    attempts: int


def claim(db: Database, worker_id: str, limit: int = BATCH_SIZE) -> list[Claimed]:
    """Take up to `limit` due messages for this worker; no other worker can take them."""
    now = utcnow()
    with db.writing() as session:
        ids = session.scalars(
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not ids:
            return []
        rows = session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
            .values(status="sending", locked_by=worker_id, locked_until=now + LEASE)
            .returning(
                OutboxMessage.id,
                OutboxMessage.channel,
                OutboxMessage.recipient,
                OutboxMessage.body,
                OutboxMessage.subject,
                OutboxMessage.attempts,
            ),
            execution_options={"synchronize_session": False},
        ).all()
    return sorted(
        (
            Claimed(Outgoing(r.id, r.channel, r.recipient, r.body, r.subject), r.attempts)
            for r in rows
        ),
        key=lambda claimed: claimed.message.id,
    )


def deliver(db: Database, backend: Backend, claimed: Claimed, worker_id: str) -> int:
    """Send one claimed message and record the outcome; 1 if it went out."""
    mine = (
        OutboxMessage.id == claimed.message.id,
        OutboxMessage.status == "sending",
        OutboxMessage.locked_by == worker_id,
    )
    try:
        backend.send(claimed.message)
    except Exception as exc:  # noqa: BLE001 - any failure must keep the message for a retry
        attempts = claimed.attempts + 1
        error = str(exc) if isinstance(exc, DeliveryError) else f"unexpected {type(exc).__name__}"
        log.warning(
            "outbox message %s not sent (attempt %s): %s", claimed.message.id, attempts, error
        )
        with db.writing() as session:
            session.execute(
                update(OutboxMessage)
                .where(*mine)
                .values(
                    status="pending",
                    attempts=attempts,
                    next_attempt_at=utcnow() + retry_delay(attempts),
                    last_error=error[:300],
                    locked_by=None,
                    locked_until=None,
                ),
                execution_options={"synchronize_session": False},
            )
        return 0
    with db.writing() as session:
        session.execute(
            update(OutboxMessage)
            .where(*mine)
            .values(status="sent", sent_at=utcnow(), locked_by=None, locked_until=None),
            execution_options={"synchronize_session": False},
        )
    return 1


def retry_delay(attempts: int) -> timedelta:
    """30 s after the first failure, then doubling: 1 min, 2 min, … at most 1 hour."""
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 20), MAX_RETRY)


def _housekeeping(db: Database) -> None:
    """Free dead workers' leases and let unconfirmed holds go: every loop, it is cheap."""
    now = utcnow()
    with db.writing() as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.status == "sending", OutboxMessage.locked_until < now)
            .values(status="pending", locked_by=None, locked_until=None),
            execution_options={"synchronize_session": False},
        )
        booking.expire_holds(session)


def upkeep(db: Database, settings: Settings) -> None:
    """Hourly chores: forget old message bodies, idempotency answers and sync history;
    keep slots generated `slot_horizon_days` ahead."""
    now = utcnow()
    with db.writing() as session:
        session.execute(
            delete(OutboxMessage).where(
                or_(
                    (OutboxMessage.status == "sent") & (OutboxMessage.sent_at < now - RETENTION),
                    (OutboxMessage.status == "cancelled")
                    & (OutboxMessage.created_at < now - RETENTION),
                )
            ),
            execution_options={"synchronize_session": False},
        )
        idempotency.purge(session, before=now - IDEMPOTENCY_RETENTION)
        sync.compact_changes(session, older_than_days=SYNC_RETENTION_DAYS)
    with db.writing() as session:
        generate_slots(session, start=now.date(), days=settings.slot_horizon_days)
