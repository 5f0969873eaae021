"""What the dashboard's pages show, read from the services and written in French.

The home page's live part is one `Live` value: the stream compares its fingerprint every
half second and sends the page again only when something shown has changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from server.clock import utcnow
from server.dashboard import french
from server.services import callbacks, help_requests, presence, statistics
from server.services.phones import format_phone_fr

STATISTICS_WEEKS = 8


@dataclass(frozen=True)
class KioskRow:
    name: str
    online: bool
    last_sync: str
    printer: str
    shows: str  # "Prendre un rendez-vous, étape 2 sur 6" or "Accueil"


@dataclass(frozen=True)
class HelpRow:
    id: int
    kiosk: str
    waiting: str
    step: str
    coming: str | None  # the name of the counsellor on their way


@dataclass(frozen=True)
class CallbackRow:
    id: int
    kiosk: str
    asked: str
    phone: str  # "06 12 34 56 78"
    phone_e164: str  # for the tel: link


@dataclass(frozen=True)
class Live:
    kiosks: list[KioskRow]
    help: list[HelpRow]
    callbacks: list[CallbackRow]

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()


def live(db: Session, zone: ZoneInfo) -> Live:
    now = utcnow()
    return Live(
        kiosks=[
            KioskRow(
                name=kiosk.name,
                online=presence.is_online(kiosk, now),
                last_sync=french.ago(kiosk.last_sync_at, now, zone),
                printer=french.printer(kiosk.printer),
                shows=_shows(kiosk.journey, kiosk.progress),
            )
            for kiosk in presence.centre_kiosks(db)
        ],
        help=[
            HelpRow(
                id=request.id,
                kiosk=request.kiosk.name,
                waiting=french.waited(request.raised_at, now),
                step=request.step,
                coming=request.coming.name if request.coming else None,
            )
            for request in help_requests.open_requests(db)
        ],
        callbacks=[
            CallbackRow(
                id=request.id,
                kiosk=request.kiosk.name,
                asked=french.ago(request.created_at, now, zone),
                phone=format_phone_fr(request.phone) if request.phone else "",
                phone_e164=request.phone or "",
            )
            for request in callbacks.open_callbacks(db)
        ],
    )


def _shows(journey: str | None, progress: str | None) -> str:
    if not journey:
        return "Accueil"
    return f"{journey}, {french.progress(progress)}" if progress else journey


@dataclass(frozen=True)
class JourneyLine:
    journey: str
    started: int
    completed: int
    median: str
    given_up_at: str
    given_up_there: int


@dataclass(frozen=True)
class Week:
    title: str  # "Semaine du lundi 16 novembre 2026"
    journeys: list[JourneyLine]


def weeks(db: Session, today: date) -> list[Week]:
    """The last 8 weeks, this one included, most recent first."""
    monday = today - timedelta(days=today.weekday())
    since = monday - timedelta(weeks=STATISTICS_WEEKS - 1)
    found: dict[date, list[JourneyLine]] = {}
    for row in statistics.by_week(db, since=since):
        found.setdefault(row.week, []).append(
            JourneyLine(
                journey=row.journey,
                started=row.started,
                completed=row.completed,
                median=french.duration(row.median_seconds)
                if row.median_seconds is not None
                else "Aucun parcours terminé",
                given_up_at=row.given_up_most_at or "Aucun abandon",
                given_up_there=row.given_up_there,
            )
        )
    return [Week(f"Semaine du {french.full_date(day)}", lines) for day, lines in found.items()]
