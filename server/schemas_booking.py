"""Request and answer shapes of booking, the waiting list and the practice API."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Path
from pydantic import BaseModel, Field

from server.models import Appointment, Modality, Sex

# Ids beyond 2^62 cannot exist; refusing them keeps the database from overflowing.
Id = Annotated[int, Field(ge=1, le=2**62)]
PathId = Annotated[int, Path(ge=1, le=2**62)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class BookIn(BaseModel):
    slot_id: Id
    motive_id: Id
    patient_id: Id
    first_visit: bool
    other_practitioner_consent: bool = False


class MoveIn(BaseModel):
    slot_id: Id


class WaitlistIn(BaseModel):
    practitioner_id: Id
    patient_id: Id
    motive_id: Id | None = None


class WaitlistOut(BaseModel):
    id: int
    practitioner_id: int
    patient_id: int
    motive_id: int | None
    active: bool


class AppointmentOut(BaseModel):
    id: int
    reference: str
    status: str
    cancelled_by: str | None
    missed_excused: bool | None
    starts_at: datetime
    starts_at_local: datetime
    ends_at: datetime
    hold_expires_at: datetime | None
    first_visit: bool
    practitioner_id: int
    practitioner_name: str
    specialty: str | None
    place_address: str
    place_phone: str | None
    motive_id: int
    motive_label: str
    patient_id: int | None
    patient_first_name: str | None
    can_cancel_online: bool

    @classmethod
    def of(cls, appointment: Appointment, *, timezone: str, can_cancel: bool) -> AppointmentOut:
        practitioner, place, patient = (
            appointment.practitioner,
            appointment.place,
            appointment.patient,
        )
        town = " ".join(part for part in (place.postcode, place.city) if part)
        return cls(
            id=appointment.id,
            reference=appointment.reference,
            status=appointment.status.value,
            cancelled_by=appointment.cancelled_by,
            missed_excused=appointment.missed_excused,
            starts_at=_utc(appointment.starts_at),
            starts_at_local=_utc(appointment.starts_at).astimezone(ZoneInfo(timezone)),
            ends_at=_utc(appointment.ends_at),
            hold_expires_at=_utc(appointment.hold_expires_at),
            first_visit=appointment.first_visit,
            practitioner_id=practitioner.id,
            practitioner_name=f"{practitioner.first_name} {practitioner.last_name}",
            specialty=practitioner.specialty.label if practitioner.specialty else None,
            place_address=", ".join(part for part in (place.address, town) if part),
            place_phone=place.phone,
            motive_id=appointment.motive_id,
            motive_label=appointment.motive.label,
            patient_id=appointment.patient_id,
            patient_first_name=patient.first_name if patient else None,
            can_cancel_online=can_cancel,
        )


def _utc(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment is not None else None


# ------------------------------------------------------------------ practice side


class MotiveIn(BaseModel):
    practitioner_id: Id
    label: Annotated[str, Field(min_length=1, max_length=200)]
    duration_minutes: Annotated[int, Field(ge=5, le=480)] = 15
    open_to_new_patients: bool = True
    modality: Modality = Modality.PRACTICE
    active: bool = True


class MotiveOut(MotiveIn):
    id: int


class OpeningHoursIn(BaseModel):
    practitioner_id: Id
    place_id: Id
    weekday: Annotated[int, Field(ge=0, le=6)]
    start_time: time
    end_time: time
    slot_minutes: Annotated[int, Field(ge=5, le=480)] = 15
    valid_from: date | None = None
    valid_until: date | None = None
    motive_ids: list[Id] = []


class OpeningHoursOut(OpeningHoursIn):
    id: int


class AbsenceIn(BaseModel):
    practitioner_id: Id
    starts_at: datetime
    ends_at: datetime
    reason: Annotated[str, Field(pattern="^(absence|closure)$")] = "absence"


class AbsenceOut(AbsenceIn):
    id: int
    closed_slots: int = 0
    appointments_to_call: list[int] = []


class RegenerateIn(BaseModel):
    practitioner_id: Id
    days: Annotated[int, Field(ge=1, le=366)] | None = None


class NewPatientIn(BaseModel):
    """Seed 003, "Informations patient à recueillir": all needed to validate the booking."""

    sex: Sex | None = None
    first_name: Name
    last_name: Name
    birth_date: date
    phone: Annotated[str, Field(min_length=1, max_length=30)]
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    address: Annotated[str, Field(min_length=1, max_length=300)]
    postcode: Annotated[str, Field(pattern=r"^\d{5}$")]
    city: Annotated[str, Field(min_length=1, max_length=100)]


class PracticeBookIn(BaseModel):
    slot_id: Id
    motive_id: Id
    first_visit: bool
    patient_id: Id | None = None
    patient: NewPatientIn | None = None


class OutcomeIn(BaseModel):
    excused: bool = False


class PatientOut(BaseModel):
    id: int
    sex: str | None
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    phone: str | None
    email: str | None
    address: str | None
    postcode: str | None
    city: str | None
