"""The practice side (seed 003): hours, motives, absences, the day's agenda, patients.

A practice sees only its own practitioners and the patients it knows (its own files, its
appointments, its usual-practitioner links); everything else is "not found".
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError, invalid
from server.models import (
    HOLDING_STATES,
    Absence,
    Account,
    Appointment,
    Motive,
    OpeningHours,
    Patient,
    Place,
    Practice,
    Practitioner,
    Slot,
    UsualPractitioner,
)
from server.services import slots
from server.services.phones import normalize_mobile
from server.text import fold

_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$|^\s*(\d{4})-(\d{2})-(\d{2})\s*$")
_PHONE = re.compile(r"^[\d\s.\-/()+]{6,}$")
SEARCH_LIMIT = 20
Owned = TypeVar("Owned", OpeningHours, Absence)


def _missing(what: str, field: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} est introuvable.", field)


# ---------------------------------------------------------------- ownership


def list_practitioners(db: Session, practice: Practice) -> list[Practitioner]:
    return list(
        db.scalars(
            select(Practitioner)
            .where(Practitioner.practice_id == practice.id)
            .order_by(Practitioner.last_name, Practitioner.id)
        )
    )


def practitioner_ids(db: Session, practice: Practice) -> list[int]:
    return list(db.scalars(select(Practitioner.id).where(Practitioner.practice_id == practice.id)))


def practitioner_of(db: Session, practice: Practice, practitioner_id: int) -> Practitioner:
    practitioner = db.get(Practitioner, practitioner_id)
    if practitioner is None or practitioner.practice_id != practice.id:
        raise _missing("Ce praticien", "practitioner_id")
    return practitioner


def motive_of(db: Session, practice: Practice, motive_id: int) -> Motive:
    motive = db.get(Motive, motive_id)
    if motive is None or motive.practitioner.practice_id != practice.id:
        raise _missing("Ce motif", "motive_id")
    return motive


def appointment_of(db: Session, practice: Practice, appointment_id: int) -> Appointment:
    appointment = db.get(Appointment, appointment_id)
    if appointment is None or appointment.practitioner.practice_id != practice.id:
        raise _missing("Ce rendez-vous", "appointment_id")
    return appointment


def _owned(db: Session, practice: Practice, row: Owned | None, what: str, field: str) -> Owned:
    """A row of one of the practice's practitioners, else "not found"."""
    if row is None or db.get(Practitioner, row.practitioner_id).practice_id != practice.id:
        raise _missing(what, field)
    return row


# ------------------------------------------------------------------ motives


def list_motives(db: Session, practice: Practice, practitioner_id: int) -> list[Motive]:
    return practitioner_of(db, practice, practitioner_id).motives


def save_motive(
    db: Session, practice: Practice, data: dict, motive_id: int | None = None
) -> Motive:
    practitioner_of(db, practice, data["practitioner_id"])
    if motive_id is None:
        motive = Motive()
        db.add(motive)
    else:
        motive = motive_of(db, practice, motive_id)
        if motive.practitioner_id != data["practitioner_id"]:
            raise invalid("practitioner_id", "Un motif ne change pas de praticien.")
    for name, value in data.items():
        setattr(motive, name, value)
    db.flush()
    return motive


def retire_motive(db: Session, practice: Practice, motive_id: int) -> None:
    """Past appointments keep their motive: it is only no longer offered."""
    motive_of(db, practice, motive_id).active = False


# ------------------------------------------------------------ opening hours


def list_opening_hours(db: Session, practice: Practice, practitioner_id: int) -> list[OpeningHours]:
    practitioner_of(db, practice, practitioner_id)
    return list(
        db.scalars(
            select(OpeningHours)
            .where(OpeningHours.practitioner_id == practitioner_id)
            .order_by(OpeningHours.weekday, OpeningHours.start_time)
        )
    )


def save_opening_hours(
    db: Session, practice: Practice, settings: Settings, data: dict, rule_id: int | None = None
) -> OpeningHours:
    """Create or change a weekly rule, then bring the slots in line with it."""
    practitioner = practitioner_of(db, practice, data["practitioner_id"])
    if data["end_time"] <= data["start_time"]:
        raise invalid("end_time", "L'heure de fin doit venir après l'heure de début.")
    if data["valid_from"] and data["valid_until"] and data["valid_until"] < data["valid_from"]:
        raise invalid("valid_until", "La date de fin doit venir après la date de début.")
    place = db.get(Place, data["place_id"])
    if place is None or place.practitioner_id != practitioner.id:
        raise _missing("Ce lieu", "place_id")
    motives = [motive_of(db, practice, motive_id) for motive_id in data["motive_ids"]]
    if any(motive.practitioner_id != practitioner.id for motive in motives):
        raise _missing("Ce motif", "motive_ids")
    if rule_id is None:
        rule = OpeningHours()
        db.add(rule)
    else:
        rule = _owned(
            db, practice, db.get(OpeningHours, rule_id), "Cet horaire", "opening_hours_id"
        )
    fields = {k: v for k, v in data.items() if k != "motive_ids"}
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.motives = motives
    db.flush()
    regenerate(db, practice, settings, practitioner.id)
    return rule


def delete_opening_hours(db: Session, practice: Practice, settings: Settings, rule_id: int) -> None:
    rule = _owned(db, practice, db.get(OpeningHours, rule_id), "Cet horaire", "rule_id")
    practitioner_id = rule.practitioner_id
    db.delete(rule)
    db.flush()
    regenerate(db, practice, settings, practitioner_id)


def regenerate(
    db: Session,
    practice: Practice,
    settings: Settings,
    practitioner_id: int,
    days: int | None = None,
) -> int:
    """Slots from today to the horizon, following the current hours and absences."""
    practitioner_of(db, practice, practitioner_id)
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    return slots.regenerate_slots(
        db,
        practitioner_id=practitioner_id,
        start=today,
        days=days or settings.slot_horizon_days,
        tz=settings.timezone,
    )


# ----------------------------------------------------------------- absences


def list_absences(db: Session, practice: Practice, practitioner_id: int) -> list[Absence]:
    practitioner_of(db, practice, practitioner_id)
    return list(
        db.scalars(
            select(Absence)
            .where(Absence.practitioner_id == practitioner_id, Absence.ends_at > utcnow())
            .order_by(Absence.starts_at)
        )
    )


def add_absence(
    db: Session, practice: Practice, settings: Settings, data: dict
) -> tuple[Absence, int, list[int]]:
    """Close the free slots in it; returns the absence, how many closed, and the appointments
    still in it, which the practice must move or cancel (it calls those patients)."""
    practitioner_of(db, practice, data["practitioner_id"])
    starts_at = naive_utc(data["starts_at"], settings.timezone)
    ends_at = naive_utc(data["ends_at"], settings.timezone)
    if ends_at <= starts_at:
        raise invalid("ends_at", "La fin de l'absence doit venir après son début.")
    absence = Absence(
        practitioner_id=data["practitioner_id"],
        starts_at=starts_at,
        ends_at=ends_at,
        reason=data["reason"],
    )
    db.add(absence)
    db.flush()
    closed = slots.close_for_absence(db, absence)
    affected = db.scalars(
        select(Appointment.id)
        .where(
            Appointment.practitioner_id == absence.practitioner_id,
            Appointment.status.in_(HOLDING_STATES),
            Appointment.starts_at < absence.ends_at,
            Appointment.ends_at > absence.starts_at,
        )
        .order_by(Appointment.starts_at)
    ).all()
    return absence, closed, list(affected)


def delete_absence(db: Session, practice: Practice, settings: Settings, absence_id: int) -> None:
    """The slots of the absence come back."""
    absence = _owned(db, practice, db.get(Absence, absence_id), "Cette absence", "absence_id")
    practitioner_id = absence.practitioner_id
    db.delete(absence)
    db.flush()
    regenerate(db, practice, settings, practitioner_id)


def naive_utc(moment: datetime, timezone: str) -> datetime:
    """Times with an offset are converted; times without are the practice's wall clock."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment.astimezone(UTC).replace(tzinfo=None)


# ------------------------------------------------------------------- agenda


def day_agenda(
    db: Session, practice: Practice, settings: Settings, practitioner_id: int, day: date
) -> list[tuple[Slot, Appointment | None]]:
    """Every slot of a local day, with the appointment holding it (if any)."""
    practitioner_of(db, practice, practitioner_id)
    zone = ZoneInfo(settings.timezone)
    since = slots.to_utc(day, time(0), zone)
    until = slots.to_utc(day + timedelta(days=1), time(0), zone)
    day_slots = db.scalars(
        select(Slot)
        .where(
            Slot.practitioner_id == practitioner_id,
            Slot.starts_at >= since,
            Slot.starts_at < until,
        )
        .order_by(Slot.starts_at)
    ).all()
    holders = {
        a.slot_id: a
        for a in db.scalars(
            select(Appointment).where(
                Appointment.slot_id.in_([s.id for s in day_slots]),
                Appointment.status.in_(HOLDING_STATES),
            )
        )
    }
    return [(slot, holders.get(slot.id)) for slot in day_slots]


# ----------------------------------------------------------------- patients


def _known_patients(practice: Practice):  # noqa: ANN202 - a SQL condition
    """The patients a practice may see: its own files, its appointments, its usual links."""
    booked = (
        select(Appointment.patient_id)
        .join(Practitioner, Appointment.practitioner_id == Practitioner.id)
        .where(Practitioner.practice_id == practice.id)
    )
    usual = select(UsualPractitioner.patient_id).where(UsualPractitioner.practice_id == practice.id)
    return or_(Patient.practice_id == practice.id, Patient.id.in_(booked), Patient.id.in_(usual))


def find_patients(db: Session, practice: Practice, q: str) -> list[Patient]:
    """By name (any case or accent), phone (any format) or birth date (JJ/MM/AAAA)."""
    q = q.strip()
    if not q:
        raise invalid("q", "Tapez un nom, un numéro de téléphone ou une date de naissance.")
    query = select(Patient).where(_known_patients(practice))
    if match := _DATE.match(q):
        query = query.where(Patient.birth_date == _date_of(match))
    elif _PHONE.match(q):
        try:
            phone = normalize_mobile(q)
        except ApiError as error:
            raise invalid("q", error.message) from None
        holders = select(Account.id).where(Account.phone == phone)
        query = query.where(or_(Patient.phone == phone, Patient.account_id.in_(holders)))
    else:
        words = fold(q).split()
        if not words:
            raise invalid("q", "Tapez un nom, un numéro de téléphone ou une date de naissance.")
        for word in words:
            query = query.where(Patient.name_key.contains(word, autoescape=True))
    return list(db.scalars(query.order_by(Patient.last_name, Patient.id).limit(SEARCH_LIMIT)))


def _date_of(match: re.Match) -> date:
    day, month, year, iso_year, iso_month, iso_day = match.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        return date(int(year), int(month), int(day))
    except ValueError:
        raise invalid("q", "Cette date n'existe pas. Écrivez-la comme 03/03/1950.") from None


def patient_for_booking(
    db: Session, practice: Practice, patient_id: int | None, new: dict | None
) -> Patient:
    """A patient the practice knows, or a new file with the fields of seed 003."""
    if patient_id is not None:
        patient = db.scalar(
            select(Patient).where(Patient.id == patient_id, _known_patients(practice))
        )
        if patient is None:
            raise _missing("Cette personne", "patient_id")
        return patient
    if new is None:
        raise invalid("patient", "Choisissez un patient ou créez sa fiche.")
    if new["birth_date"] > date.today():
        raise invalid("birth_date", "La date de naissance ne peut pas être dans le futur.")
    patient = Patient(
        **{**new, "phone": normalize_mobile(new["phone"])},
        practice_id=practice.id,
        name_key=fold(f"{new['first_name']} {new['last_name']}"),
    )
    db.add(patient)
    db.flush()
    return patient
