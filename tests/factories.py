"""Test records created through the real models, with fictional people and places."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from server.clock import utcnow
from server.models import (
    Account,
    Appointment,
    AppointmentStatus,
    Modality,
    Motive,
    OpeningHours,
    Patient,
    Place,
    Practitioner,
    Sex,
    Slot,
    Specialty,
)
from server.services.sessions import open_session
from server.text import fold

# Douai, Nord: the centre of the demo area (INSEE 59178).
DOUAI = {
    "commune_insee": "59178",
    "postcode": "59500",
    "city": "Douai",
    "lat": 50.37853,
    "lng": 3.10037,
}


def ensure_specialty(db: Session, code: str, label: str, profession: str = "Médecin") -> Specialty:
    specialty = db.get(Specialty, code)
    if specialty is None:
        specialty = Specialty(code=code, label=label, profession=profession)
        db.add(specialty)
        db.flush()
    return specialty


def make_practitioner(
    db: Session,
    *,
    first_name: str = "Claire",
    last_name: str = "Fictive",
    specialty: tuple[str, str] = ("medecine-generale", "Médecin généraliste"),
    bookable_online: bool = True,
    place: dict | None = None,
    motives: list[dict] | None = None,
    **fields,
) -> Practitioner:
    """A practitioner with one place and motives ("Première consultation" open to new patients,
    "Consultation de suivi" closed to them) unless told otherwise."""
    code, label = specialty
    ensure_specialty(db, code, label)
    practitioner = Practitioner(
        civility=fields.pop("civility", "dr"),
        first_name=first_name,
        last_name=last_name,
        name_key=fold(f"{first_name} {last_name}"),
        profession=fields.pop("profession", "Médecin"),
        specialty_code=code,
        bookable_online=bookable_online,
        languages=fields.pop("languages", ["fr"]),
        payment_means=fields.pop("payment_means", ["vitale", "card"]),
        convention_sector=fields.pop("convention_sector", "1"),
        **fields,
    )
    practitioner.places.append(
        Place(
            name="Cabinet de test",
            address="1 rue de la Fiction",
            phone="0327000000",
            ground_floor=True,
            wheelchair=True,
            **(place or DOUAI),
        )
    )
    for motive in motives or [
        {"label": "Première consultation", "duration_minutes": 30, "open_to_new_patients": True},
        {"label": "Consultation de suivi", "duration_minutes": 15, "open_to_new_patients": False},
    ]:
        practitioner.motives.append(Motive(modality=Modality.PRACTICE, **motive))
    db.add(practitioner)
    db.flush()
    return practitioner


def add_opening_hours(
    db: Session,
    practitioner: Practitioner,
    *,
    weekdays: range | list[int] = range(0, 5),
    start: time = time(9, 0),
    end: time = time(12, 0),
    slot_minutes: int = 30,
) -> list[OpeningHours]:
    rules = []
    for weekday in weekdays:
        rule = OpeningHours(
            practitioner_id=practitioner.id,
            place_id=practitioner.places[0].id,
            weekday=weekday,
            start_time=start,
            end_time=end,
            slot_minutes=slot_minutes,
        )
        rule.motives = list(practitioner.motives)
        db.add(rule)
        rules.append(rule)
    db.flush()
    return rules


def make_slot(
    db: Session,
    practitioner: Practitioner,
    *,
    starts_in: timedelta = timedelta(days=2),
    minutes: int = 30,
    opening: OpeningHours | None = None,
) -> Slot:
    """One slot at a time relative to now (UTC), for rules that depend on the clock."""
    if opening is None:
        opening = add_opening_hours(db, practitioner, weekdays=[0])[0]
    start = (utcnow() + starts_in).replace(second=0, microsecond=0)
    slot = Slot(
        practitioner_id=practitioner.id,
        place_id=practitioner.places[0].id,
        opening_hours_id=opening.id,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
    )
    db.add(slot)
    db.flush()
    return slot


def make_appointment(
    db: Session,
    *,
    patient_id: int,
    starts_in: timedelta,
    status: AppointmentStatus,
    account_id: int | None = None,
) -> int:
    """An appointment row with its own practitioner and slot, written directly (no rules)."""
    practitioner = make_practitioner(db)
    slot = make_slot(db, practitioner, starts_in=starts_in)
    appointment = Appointment(
        reference=f"T{slot.id:07d}",
        slot_id=slot.id,
        practitioner_id=practitioner.id,
        place_id=slot.place_id,
        motive_id=practitioner.motives[0].id,
        patient_id=patient_id,
        account_id=account_id,
        first_visit=True,
        status=status,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
    )
    db.add(appointment)
    db.flush()
    return appointment.id


def make_account(
    db: Session,
    *,
    phone: str = "+33612345678",
    first_name: str = "Émilie-Anne",
    last_name: str = "N'Diaye",
    birth_date: date = date(1950, 3, 3),
    sex: Sex = Sex.FEMALE,
) -> tuple[Account, Patient]:
    """A verified account with its holder's profile filled in."""
    account = Account(phone=phone)
    holder = Patient(
        is_account_holder=True,
        sex=sex,
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        name_key=fold(f"{first_name} {last_name}"),
    )
    account.patients.append(holder)
    db.add(account)
    db.flush()
    return account, holder


def sign_in(db: Session, account: Account, kiosk_id: int) -> str:
    """A session token for this account at this kiosk, as after a checked SMS code."""
    from server.models import Kiosk  # noqa: PLC0415

    kiosk = db.get(Kiosk, kiosk_id)
    return open_session(db, phone=account.phone, account_id=account.id, kiosk=kiosk)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))
