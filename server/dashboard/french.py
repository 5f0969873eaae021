"""Times, durations and states written as the dashboard's plain French says them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

PRINTER = {
    "ready": "Prête",
    "no_paper": "Plus de papier",
    "offline": "Ne répond pas",
    "none": "Pas d'imprimante",
}


def printer(state: str | None) -> str:
    return PRINTER.get(state or "", "Pas encore connue")


def full_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """A stored naive UTC time as a local date and time: "mardi 24 novembre 2026 à 14 h 30"."""
    return format_datetime(
        moment.replace(tzinfo=UTC), "EEEE d MMMM y 'à' H 'h' mm", tzinfo=zone, locale="fr_FR"
    )


def full_date(day: date) -> str:
    return format_date(day, "EEEE d MMMM y", locale="fr_FR")


def ago(moment: datetime | None, now: datetime, zone: ZoneInfo) -> str:
    """Within the hour, how long ago; later, the date and time."""
    if moment is None:
        return "Jamais"
    minutes = int((now - moment).total_seconds() // 60)
    if minutes < 1:
        return "il y a moins d'une minute"
    if minutes < 60:
        return f"il y a {_count(minutes, 'minute')}"
    return full_datetime(moment, zone)


def waited(since: datetime, now: datetime) -> str:
    """How long a visitor has waited: "depuis 1 heure et 5 minutes"."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 1:
        return "depuis moins d'une minute"
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"depuis {_count(minutes, 'minute')}"
    if not minutes:
        return f"depuis {_count(hours, 'heure')}"
    return f"depuis {_count(hours, 'heure')} et {_count(minutes, 'minute')}"


def duration(seconds: int) -> str:
    """A journey's time: "4 min 30 s", "1 h 5 min", "45 s"."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def progress(value: str | None) -> str:
    """ "2/6" → "étape 2 sur 6"."""
    if not value:
        return ""
    done, total = value.split("/")
    return f"étape {int(done)} sur {int(total)}"


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'s' if number > 1 else ''}"
