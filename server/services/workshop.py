"""Workshops: a counsellor sets an exercise for some kiosks of the centre (seed 001 is such a
workshop). Those kiosks then work in a sandbox, a database of its own behind /atelier: a
fictional directory around Douai, accounts and appointments that reach no practice, and
SMS that are never sent (no worker reads the sandbox's outbox: the codes are shown on the
dashboard and on the kiosk's exercise phone instead).

The sandbox is built anew when a workshop starts and wiped when it ends, so what the
participants typed does not outlive the workshop.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.db import Database
from server.errors import invalid, not_found
from server.models import Base, Kiosk, OutboxMessage
from server.services.phones import normalize_mobile

SANDBOX_TOWN = "59178"  # Douai: where the fictional directory lives, whatever the kiosk's town
_EXERCISE = re.compile(r"[a-z][a-z_]{0,29}")
SHOWN_FOR = timedelta(hours=2)  # how far back the exercise phone and the dashboard look
SANDBOX_DAYS = 14  # of free slots: enough to book and move, and a quicker start


def check_exercise(exercise: str) -> str:
    if not _EXERCISE.fullmatch(exercise):
        raise invalid("exercise", "Exercice : la valeur n'est pas valide.")
    return exercise


def in_workshop(db: Session) -> list[Kiosk]:
    return list(db.scalars(select(Kiosk).where(Kiosk.workshop_exercise.is_not(None))))


def start(db: Session, sandbox: Database, kiosk_ids: list[int], exercise: str) -> None:
    """Set `exercise` for these kiosks; the first kiosk of a workshop builds the sandbox.

    The kiosks are copied into the sandbox (same token), placed in its fictional town.
    """
    check_exercise(exercise)
    kiosks = [_kiosk(db, kiosk_id) for kiosk_id in kiosk_ids]
    if not in_workshop(db):
        _build(sandbox)
    with sandbox.writing() as box:
        for kiosk in kiosks:
            box.merge(
                Kiosk(
                    id=kiosk.id,
                    name=kiosk.name,
                    commune_insee=SANDBOX_TOWN,
                    token_hash=kiosk.token_hash,
                )
            )
    for kiosk in kiosks:
        if kiosk.workshop_exercise != exercise:
            kiosk.workshop_exercise, kiosk.exercise_done = exercise, False


def reset(db: Session, kiosk_id: int) -> None:
    """Back to the start of the exercise: the kiosk ends the participant's session."""
    kiosk = _kiosk(db, kiosk_id)
    if kiosk.workshop_exercise is None:
        raise invalid("kiosk", "Cette borne n'est pas en atelier.")
    kiosk.workshop_resets += 1
    kiosk.exercise_done = False


def end(db: Session, sandbox: Database) -> None:
    """Every kiosk back to everyday use; the sandbox and all that was typed in it wiped."""
    db.execute(
        update(Kiosk)
        .where(Kiosk.workshop_exercise.is_not(None))
        .values(workshop_exercise=None, exercise_done=False)
    )
    _wipe(sandbox)


def exercise_messages(
    sandbox: Session, *, to: str | None = None, now: datetime | None = None
) -> list[OutboxMessage]:
    """The SMS the sandbox would have sent, newest first: to one number, or all of them."""
    query = select(OutboxMessage).where(
        OutboxMessage.channel == "sms", OutboxMessage.created_at >= (now or utcnow()) - SHOWN_FOR
    )
    if to is not None:
        query = query.where(OutboxMessage.recipient == normalize_mobile(to))
    return list(sandbox.scalars(query.order_by(OutboxMessage.id.desc()).limit(20)))


def _kiosk(db: Session, kiosk_id: int) -> Kiosk:
    kiosk = db.get(Kiosk, kiosk_id)
    if kiosk is None:
        raise not_found("Cette borne")
    return kiosk


def _build(sandbox: Database) -> None:
    from server.demo import seed_demo  # noqa: PLC0415 - the demo plan loads only when needed

    _wipe(sandbox)
    seed_demo(sandbox, days=SANDBOX_DAYS)


def _wipe(sandbox: Database) -> None:
    """Drop everything, leaving empty tables: a kiosk still calling gets "not recognised"."""
    Base.metadata.drop_all(sandbox.engine)
    if sandbox.engine.dialect.name == "sqlite":
        raw = sandbox.engine.raw_connection()  # outside any transaction, as VACUUM needs
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")  # no page of the old data left in the file…
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # …nor in its write-ahead log
            cursor.fetchall()
            cursor.close()
        finally:
            raw.close()
    Base.metadata.create_all(sandbox.engine)
