"""The practice's own API (seed 003), behind its X-Practice-Token: it sees only its agenda."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.appointments import view
from server.api.deps import (
    CurrentPractice,
    DatabaseDep,
    ReadSessionDep,
    SettingsDep,
)
from server.api.keyed import IdempotencyKey
from server.config import Settings
from server.db import Database
from server.models import Absence, Appointment, OpeningHours, Practice
from server.schemas_booking import (
    AbsenceIn,
    AbsenceOut,
    AppointmentOut,
    Id,
    MotiveIn,
    MotiveOut,
    OpeningHoursIn,
    OpeningHoursOut,
    OutcomeIn,
    PathId,
    PatientOut,
    PracticeBookIn,
    RegenerateIn,
)
from server.services import agenda, booking, idempotency
from server.services.idempotency import Work

router = APIRouter(prefix="/practice", tags=["practice"])

PractitionerQuery = Annotated[Id, Query()]


def _rule_out(rule: OpeningHours) -> OpeningHoursOut:
    return OpeningHoursOut.model_validate(
        {
            **{c: getattr(rule, c) for c in OpeningHoursOut.model_fields if c != "motive_ids"},
            "motive_ids": [m.id for m in rule.motives],
        }
    )


@router.get("/practitioners")
def practitioners(practice: CurrentPractice, db: ReadSessionDep) -> dict:
    rows = agenda.list_practitioners(db, practice)
    return {
        "practitioners": [
            {"id": p.id, "first_name": p.first_name, "last_name": p.last_name} for p in rows
        ]
    }


# ------------------------------------------------------------------ motives


@router.get("/motives")
def motives(
    practitioner_id: PractitionerQuery, practice: CurrentPractice, db: ReadSessionDep
) -> dict[str, list[MotiveOut]]:
    found = agenda.list_motives(db, practice, practitioner_id)
    return {"motives": [MotiveOut.model_validate(m, from_attributes=True) for m in found]}


@router.post("/motives", status_code=201)
def create_motive(body: MotiveIn, practice: CurrentPractice, database: DatabaseDep) -> MotiveOut:
    with database.writing() as db:
        motive = agenda.save_motive(db, practice, body.model_dump())
        return MotiveOut.model_validate(motive, from_attributes=True)


@router.put("/motives/{motive_id}")
def update_motive(
    motive_id: PathId, body: MotiveIn, practice: CurrentPractice, database: DatabaseDep
) -> MotiveOut:
    with database.writing() as db:
        motive = agenda.save_motive(db, practice, body.model_dump(), motive_id)
        return MotiveOut.model_validate(motive, from_attributes=True)


@router.delete("/motives/{motive_id}", status_code=204)
def retire_motive(motive_id: PathId, practice: CurrentPractice, database: DatabaseDep) -> None:
    with database.writing() as db:
        agenda.retire_motive(db, practice, motive_id)


# ------------------------------------------------------------ opening hours


@router.get("/opening-hours")
def opening_hours(
    practitioner_id: PractitionerQuery, practice: CurrentPractice, db: ReadSessionDep
) -> dict[str, list[OpeningHoursOut]]:
    rules = agenda.list_opening_hours(db, practice, practitioner_id)
    return {"opening_hours": [_rule_out(rule) for rule in rules]}


@router.post("/opening-hours", status_code=201)
def create_opening_hours(
    body: OpeningHoursIn, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> OpeningHoursOut:
    with database.writing() as db:
        return _rule_out(agenda.save_opening_hours(db, practice, settings, body.model_dump()))


@router.put("/opening-hours/{rule_id}")
def update_opening_hours(
    rule_id: PathId,
    body: OpeningHoursIn,
    practice: CurrentPractice,
    database: DatabaseDep,
    settings: SettingsDep,
) -> OpeningHoursOut:
    with database.writing() as db:
        rule = agenda.save_opening_hours(db, practice, settings, body.model_dump(), rule_id)
        return _rule_out(rule)


@router.delete("/opening-hours/{rule_id}", status_code=204)
def delete_opening_hours(
    rule_id: PathId, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> None:
    with database.writing() as db:
        agenda.delete_opening_hours(db, practice, settings, rule_id)


@router.post("/slots/regenerate")
def regenerate_slots(
    body: RegenerateIn, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> dict[str, int]:
    """Slots from today to the horizon, after changing hours by other means."""
    with database.writing() as db:
        created = agenda.regenerate(db, practice, settings, body.practitioner_id, body.days)
        return {"created": created}


# ----------------------------------------------------------------- absences


def _absence_out(
    absence: Absence, closed: int = 0, affected: list[int] | None = None
) -> AbsenceOut:
    return AbsenceOut(
        id=absence.id,
        practitioner_id=absence.practitioner_id,
        starts_at=absence.starts_at,
        ends_at=absence.ends_at,
        reason=absence.reason,
        closed_slots=closed,
        appointments_to_call=list(affected or []),
    )


@router.get("/absences")
def absences(
    practitioner_id: PractitionerQuery, practice: CurrentPractice, db: ReadSessionDep
) -> dict[str, list[AbsenceOut]]:
    found = agenda.list_absences(db, practice, practitioner_id)
    return {"absences": [_absence_out(a) for a in found]}


@router.post("/absences", status_code=201)
def create_absence(
    body: AbsenceIn, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> AbsenceOut:
    """Times without an offset are the practice's wall clock; answers are in UTC."""
    with database.writing() as db:
        absence, closed, affected = agenda.add_absence(db, practice, settings, body.model_dump())
        return _absence_out(absence, closed, affected)


@router.delete("/absences/{absence_id}", status_code=204)
def delete_absence(
    absence_id: PathId, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> None:
    with database.writing() as db:
        agenda.delete_absence(db, practice, settings, absence_id)


# ------------------------------------------------------------ agenda, patients


@router.get("/agenda")
def day_agenda(
    practitioner_id: PractitionerQuery,
    day: Annotated[date, Query(alias="date")],
    practice: CurrentPractice,
    db: ReadSessionDep,
    settings: SettingsDep,
) -> dict:
    rows = agenda.day_agenda(db, practice, settings, practitioner_id, day)
    return {
        "date": day.isoformat(),
        "slots": [
            {
                "slot_id": slot.id,
                "starts_at": slot.starts_at.isoformat() + "Z",
                "ends_at": slot.ends_at.isoformat() + "Z",
                "closed": slot.closed,
                "appointment": _agenda_entry(appointment, settings) if appointment else None,
            }
            for slot, appointment in rows
        ],
    }


def _agenda_entry(appointment: Appointment, settings: Settings) -> dict:
    patient = appointment.patient
    return {
        **view(appointment, settings),
        "patient": PatientOut.model_validate(patient, from_attributes=True).model_dump(mode="json")
        if patient
        else None,
    }


@router.get("/patients")
def find_patients(
    q: Annotated[str, Query(max_length=100)], practice: CurrentPractice, db: ReadSessionDep
) -> dict[str, list[PatientOut]]:
    found = agenda.find_patients(db, practice, q)
    return {"patients": [PatientOut.model_validate(p, from_attributes=True) for p in found]}


# ---------------------------------------------------------------- appointments


def _practice_write(
    database: Database, practice: Practice, key: str | None, request: list, work: Work
) -> JSONResponse:
    return idempotency.run(
        database, scope=f"practice:{practice.id}", key=key, request=request, work=work
    )


@router.post("/appointments", status_code=201, response_model=AppointmentOut)
def book(
    body: PracticeBookIn,
    practice: CurrentPractice,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Book on a patient's behalf, creating the patient's file if new: confirmed at once."""

    def work(db: Session) -> tuple[int, dict]:
        patient = agenda.patient_for_booking(
            db, practice, body.patient_id, body.patient.model_dump() if body.patient else None
        )
        appointment = booking.book_for_practice(
            db,
            settings=settings,
            practitioner_ids=agenda.practitioner_ids(db, practice),
            slot_id=body.slot_id,
            motive_id=body.motive_id,
            patient=patient,
            first_visit=body.first_visit,
        )
        return 201, view(appointment, settings)

    return _practice_write(database, practice, key, ["POST /practice/appointments", body], work)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut)
def cancel(
    appointment_id: PathId,
    practice: CurrentPractice,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    def work(db: Session) -> tuple[int, dict]:
        appointment = agenda.appointment_of(db, practice, appointment_id)
        return 200, view(booking.cancel_by_practice(db, appointment), settings)

    request = [f"POST /practice/appointments/{appointment_id}/cancel"]
    return _practice_write(database, practice, key, request, work)


@router.post("/appointments/{appointment_id}/honoured", response_model=AppointmentOut)
def honoured(
    appointment_id: PathId, practice: CurrentPractice, database: DatabaseDep, settings: SettingsDep
) -> dict:
    with database.writing() as db:
        appointment = agenda.appointment_of(db, practice, appointment_id)
        booking.mark_outcome(db, appointment, honoured=True, excused=False)
        return view(appointment, settings)


@router.post("/appointments/{appointment_id}/missed", response_model=AppointmentOut)
def missed(
    appointment_id: PathId,
    body: OutcomeIn,
    practice: CurrentPractice,
    database: DatabaseDep,
    settings: SettingsDep,
) -> dict:
    """Excused when the patient warned at least the day before (seed 003)."""
    with database.writing() as db:
        appointment = agenda.appointment_of(db, practice, appointment_id)
        booking.mark_outcome(db, appointment, honoured=False, excused=body.excused)
        return view(appointment, settings)
