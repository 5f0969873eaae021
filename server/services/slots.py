"""Slots generated ahead of time from weekly opening hours, minus absences.

Opening hours are Europe/Paris wall-clock times; slots are stored in naive UTC, so each
slot is converted on its own day (summer and winter time give different UTC hours).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.models import Absence, Appointment, OpeningHours, Slot
from server.services import sync

Period = tuple[datetime, datetime]


def to_utc(day: date, wall_clock: time, tz: ZoneInfo) -> datetime:
    """A local wall-clock time on a day, as naive UTC."""
    local = datetime.combine(day, wall_clock, tzinfo=tz)
    return local.astimezone(UTC).replace(tzinfo=None)


def generate_slots(
    db: Session,
    *,
    start: date,
    days: int,
    practitioner_ids: list[int] | None = None,
    tz: str = "Europe/Paris",
) -> int:
    """Create the missing slots of `days` days from `start`; returns how many were created.

    Existing slots are kept as they are (they may be taken), times inside an absence are
    skipped. Rows go in one bulk insert so a whole region's four weeks take seconds.
    """
    window = _window(start, days, tz)
    existing_query = select(Slot.practitioner_id, Slot.starts_at).where(*window.slot_filter())
    if practitioner_ids is not None:
        existing_query = existing_query.where(Slot.practitioner_id.in_(practitioner_ids))
    planned = _plan(db, window, practitioner_ids)
    if not planned:
        return 0
    for key in db.execute(existing_query):
        planned.pop(tuple(key), None)
    if planned:
        sync.insert_logged(db, Slot, list(planned.values()))
    return len(planned)


def regenerate_slots(
    db: Session, *, practitioner_id: int, start: date, days: int, tz: str = "Europe/Paris"
) -> int:
    """Bring one practitioner's free slots in line with their current hours and absences.

    Free slots no rule plans any more are deleted (or closed, when a past appointment
    still points at them); planned ones are reopened and updated; taken ones never move.
    Returns how many slots were created.
    """
    window = _window(start, days, tz)
    planned = _plan(db, window, [practitioner_id])
    free = db.scalars(
        select(Slot).where(
            Slot.practitioner_id == practitioner_id,
            Slot.starts_at >= max(window.starts_at, utcnow()),
            *window.slot_filter(),
        )
    ).all()
    for slot in free:
        row = planned.pop((slot.practitioner_id, slot.starts_at), None)
        if slot.taken:
            continue
        if row is not None:
            for name in ("place_id", "opening_hours_id", "ends_at", "closed"):
                setattr(slot, name, row[name])
        elif db.scalar(select(exists().where(Appointment.slot_id == slot.id))):
            slot.closed = True
        else:
            db.delete(slot)
    db.flush()
    # Past times and taken slots were not matched above: never recreate them.
    existing = select(Slot.starts_at).where(
        Slot.practitioner_id == practitioner_id, *window.slot_filter()
    )
    for (starts_at,) in db.execute(existing):
        planned.pop((practitioner_id, starts_at), None)
    if planned:
        sync.insert_logged(db, Slot, list(planned.values()))
    return len(planned)


class _Window:
    """Local days [start, start + days) of a time zone, with their bounds in naive UTC."""

    def __init__(self, start: date, days: int, zone: ZoneInfo) -> None:
        self.start, self.days, self.zone = start, days, zone
        self.starts_at = to_utc(start, time(0), zone)
        self.ends_at = to_utc(start + timedelta(days=days), time(0), zone)

    def slot_filter(self) -> tuple:
        return Slot.starts_at >= self.starts_at, Slot.starts_at < self.ends_at


def _window(start: date, days: int, tz: str) -> _Window:
    return _Window(start, days, ZoneInfo(tz))


def _plan(
    db: Session, window: _Window, practitioner_ids: list[int] | None
) -> dict[tuple[int, datetime], dict]:
    """Every slot the rules give in the window, outside absences, keyed like the unique index."""
    rules_query = select(OpeningHours)
    absences_query = select(Absence).where(
        Absence.ends_at > window.starts_at, Absence.starts_at < window.ends_at
    )
    if practitioner_ids is not None:
        rules_query = rules_query.where(OpeningHours.practitioner_id.in_(practitioner_ids))
        absences_query = absences_query.where(Absence.practitioner_id.in_(practitioner_ids))
    rules = db.scalars(rules_query).all()
    if not rules:
        return {}
    absences: dict[int, list[Period]] = defaultdict(list)
    for absence in db.scalars(absences_query):
        absences[absence.practitioner_id].append((absence.starts_at, absence.ends_at))
    planned: dict[tuple[int, datetime], dict] = {}
    for offset in range(window.days):
        day = window.start + timedelta(days=offset)
        for rule in rules:
            if rule.weekday != day.weekday() or not _valid_on(rule, day):
                continue
            busy = absences[rule.practitioner_id]
            for starts_at, ends_at in _times(rule, day, window.zone):
                key = (rule.practitioner_id, starts_at)
                if key in planned or _overlaps(busy, starts_at, ends_at):
                    continue
                planned[key] = {
                    "practitioner_id": rule.practitioner_id,
                    "place_id": rule.place_id,
                    "opening_hours_id": rule.id,
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "taken": False,
                    "closed": False,
                }
    return planned


def close_for_absence(db: Session, absence: Absence) -> int:
    """Close the free slots that overlap an absence; returns how many were closed.

    Taken slots stay as they are: the practice calls those patients (seed 003).
    """
    result = db.execute(
        update(Slot)
        .where(
            Slot.practitioner_id == absence.practitioner_id,
            Slot.starts_at < absence.ends_at,
            Slot.ends_at > absence.starts_at,
            Slot.taken.is_(False),
            Slot.closed.is_(False),
        )
        .values(closed=True)
        .returning(Slot.id, Slot.practitioner_id)
        .execution_options(synchronize_session=False)
    ).all()
    sync.record_changes_bulk(db, "slot", result)
    return len(result)


def _valid_on(rule: OpeningHours, day: date) -> bool:
    return (rule.valid_from is None or rule.valid_from <= day) and (
        rule.valid_until is None or day <= rule.valid_until
    )


def _times(rule: OpeningHours, day: date, zone: ZoneInfo):
    """Each (start, end) in naive UTC of a rule on one day; a last slot must end in time."""
    step = timedelta(minutes=rule.slot_minutes)
    if step <= timedelta(0):
        return
    local = datetime.combine(day, rule.start_time)
    local_end = datetime.combine(day, rule.end_time)
    while local + step <= local_end:
        starts_at = to_utc(day, local.time(), zone)
        yield starts_at, starts_at + step
        local += step


def _overlaps(periods: list[Period], starts_at: datetime, ends_at: datetime) -> bool:
    return any(starts_at < until and ends_at > since for since, until in periods)
