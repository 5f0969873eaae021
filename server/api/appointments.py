"""Booking for a person signed in at a kiosk: hold, confirm, cancel, move, waiting list."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.deps import (
    CurrentAccount,
    DatabaseDep,
    ReadSessionDep,
    SettingsDep,
)
from server.api.keyed import Writer
from server.config import Settings
from server.models import Appointment
from server.schemas_booking import (
    AppointmentOut,
    BookIn,
    MoveIn,
    PathId,
    WaitlistIn,
    WaitlistOut,
)
from server.services import booking, waitlist

router = APIRouter(tags=["appointments"])


def view(appointment: Appointment, settings: Settings) -> dict:
    return AppointmentOut.of(
        appointment,
        timezone=settings.timezone,
        can_cancel=booking.cancellable_online(appointment, settings),
    ).model_dump(mode="json")


def _changed(
    writer: Writer, status: int, change: Callable[[Session], Appointment]
) -> Callable[[Session], tuple[int, dict]]:
    return lambda db: (status, view(change(db), writer.settings))


@router.post("/appointments", status_code=201, response_model=AppointmentOut)
def create_appointment(body: BookIn, writer: Writer) -> JSONResponse:
    """A pending hold: confirm it within the hold time or it is freed."""
    fields = body.model_dump()
    hold = _changed(
        writer,
        201,
        lambda db: booking.book(
            db,
            settings=writer.settings,
            account=writer.account,
            kiosk_id=writer.kiosk_id,
            **fields,
        ),
    )
    return writer.run(["POST /appointments", body], hold)


@router.post("/appointments/{appointment_id}/confirm", response_model=AppointmentOut)
def confirm_appointment(appointment_id: PathId, writer: Writer) -> JSONResponse:
    confirm = _changed(
        writer,
        200,
        lambda db: booking.confirm(db, account=writer.account, appointment_id=appointment_id),
    )
    return writer.run([f"POST /appointments/{appointment_id}/confirm"], confirm)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut)
def cancel_appointment(appointment_id: PathId, writer: Writer) -> JSONResponse:
    cancel = _changed(
        writer,
        200,
        lambda db: booking.cancel_by_patient(
            db, settings=writer.settings, account=writer.account, appointment_id=appointment_id
        ),
    )
    return writer.run([f"POST /appointments/{appointment_id}/cancel"], cancel)


@router.post("/appointments/{appointment_id}/move", response_model=AppointmentOut)
def move_appointment(appointment_id: PathId, body: MoveIn, writer: Writer) -> JSONResponse:
    move = _changed(
        writer,
        200,
        lambda db: booking.move(
            db,
            settings=writer.settings,
            account=writer.account,
            appointment_id=appointment_id,
            slot_id=body.slot_id,
        ),
    )
    return writer.run([f"POST /appointments/{appointment_id}/move", body], move)


@router.get("/me/appointments")
def my_appointments(
    account: CurrentAccount, db: ReadSessionDep, settings: SettingsDep
) -> dict[str, list[AppointmentOut]]:
    """Upcoming first (soonest first), then past ones (latest first)."""
    return {"appointments": [view(a, settings) for a in booking.account_appointments(db, account)]}


@router.post("/waitlist", status_code=201, response_model=WaitlistOut)
def join_waitlist(body: WaitlistIn, writer: Writer) -> JSONResponse:
    """Be told by SMS when a slot frees up with this practitioner."""

    def join(db: Session) -> tuple[int, dict]:
        entry = waitlist.add(db, account=writer.account, **body.model_dump())
        return 201, WaitlistOut.model_validate(entry, from_attributes=True).model_dump()

    return writer.run(["POST /waitlist", body], join)


@router.delete("/waitlist/{entry_id}", status_code=204)
def leave_waitlist(entry_id: PathId, account: CurrentAccount, database: DatabaseDep) -> None:
    with database.writing() as db:
        waitlist.remove(db, account=account, entry_id=entry_id)
