"""What each kiosk of the centre last told about itself, for the counsellors' dashboard:
online or not, last directory sync, printer, the journey and step shown. Never a person."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.errors import invalid
from server.models import Kiosk
from server.services.steps import check_step
from server.services.workshop import check_exercise

# A kiosk reports every few seconds; one silent for longer than this is shown offline.
ONLINE_FOR = timedelta(seconds=30)
PRINTER_STATES = ("ready", "no_paper", "offline", "none")
_PROGRESS = re.compile(r"\d{1,2}/\d{1,2}")


def report(
    db: Session,
    kiosk_id: int,
    *,
    journey: str | None,
    step: str | None,
    progress: str | None,
    mistakes: int,
    printer: str,
    last_sync: datetime | None,
    exercise_done: bool,
    exercises: list[dict[str, str]],
) -> Kiosk:
    """Record a kiosk's report."""
    if printer not in PRINTER_STATES:
        raise invalid("printer", "État de l'imprimante : la valeur n'est pas valide.")
    if progress is not None and not _PROGRESS.fullmatch(progress):
        raise invalid("progress", "Avancement : la valeur n'est pas valide.")
    kiosk = db.get(Kiosk, kiosk_id)
    kiosk.journey = journey
    kiosk.step = check_step(step) if step else None
    kiosk.progress = progress
    kiosk.mistakes = mistakes
    kiosk.exercise_done = exercise_done and kiosk.workshop_exercise is not None
    offered = [{"id": check_exercise(e["id"]), "title": e["title"]} for e in exercises]
    if offered != kiosk.exercises:
        kiosk.exercises = offered
    kiosk.printer = printer
    kiosk.last_sync_at = last_sync
    kiosk.last_seen_at = utcnow()
    return kiosk


def is_online(kiosk: Kiosk, now: datetime | None = None) -> bool:
    seen = kiosk.last_seen_at
    return seen is not None and (now or utcnow()) - seen <= ONLINE_FOR


def centre_kiosks(db: Session) -> list[Kiosk]:
    """Every kiosk of the centre, by name."""
    return list(db.scalars(select(Kiosk).order_by(Kiosk.name, Kiosk.id)))
