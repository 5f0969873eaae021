"""Booking for a person signed in at a kiosk: hold, confirm, cancel, move, waiting list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from server.api.deps import (
    CurrentAccount,
    CurrentSession,
    DatabaseDep,
    ReadSessionDep,
    SettingsDep,
    WriteSessionDep,
)
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
from server.services import booking, idempotency, waitlist

router = APIRouter(tags=["appointments"])

IdempotencyKey = Annotated[str | None, Header(alias=idempotency.HEADER)]


def view(appointment: Appointment, settings: Settings) -> dict:
    return AppointmentOut.of(
        appointment,
        timezone=settings.timezone,
        can_cancel=booking.cancellable_online(appointment, settings),
    ).model_dump(mode="json")


@router.post("/appointments", status_code=201, response_model=AppointmentOut)
def create_appointment(
    body: BookIn,
    auth: CurrentSession,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """A pending hold: confirm it within the hold time or it is freed."""

    def work(db: Session) -> tuple[int, dict]:
        appointment = booking.book(
            db, settings=settings, account=account, kiosk_id=auth.kiosk_id, **body.model_dump()
        )
        return 201, view(appointment, settings)

    return idempotency.run(
        database,
        scope=f"account:{account.id}",
        key=key,
        request=["POST /appointments", body],
        work=work,
    )


@router.post("/appointments/{appointment_id}/confirm", response_model=AppointmentOut)
def confirm_appointment(
    appointment_id: PathId,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    def work(db: Session) -> tuple[int, dict]:
        appointment = booking.confirm(db, account=account, appointment_id=appointment_id)
        return 200, view(appointment, settings)

    return idempotency.run(
        database,
        scope=f"account:{account.id}",
        key=key,
        request=[f"POST /appointments/{appointment_id}/confirm"],
        work=work,
    )


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut)
def cancel_appointment(
    appointment_id: PathId,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    def work(db: Session) -> tuple[int, dict]:
        appointment = booking.cancel_by_patient(
            db, settings=settings, account=account, appointment_id=appointment_id
        )
        return 200, view(appointment, settings)

    return idempotency.run(
        database,
        scope=f"account:{account.id}",
        key=key,
        request=[f"POST /appointments/{appointment_id}/cancel"],
        work=work,
    )


@router.post("/appointments/{appointment_id}/move", response_model=AppointmentOut)
def move_appointment(
    appointment_id: PathId,
    body: MoveIn,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    def work(db: Session) -> tuple[int, dict]:
        appointment = booking.move(
            db,
            settings=settings,
            account=account,
            appointment_id=appointment_id,
            slot_id=body.slot_id,
        )
        return 200, view(appointment, settings)

    return idempotency.run(
        database,
        scope=f"account:{account.id}",
        key=key,
        request=[f"POST /appointments/{appointment_id}/move", body],
        work=work,
    )


@router.get("/me/appointments")
def my_appointments(
    account: CurrentAccount, db: ReadSessionDep, settings: SettingsDep
) -> dict[str, list[AppointmentOut]]:
    """Upcoming first (soonest first), then past ones (latest first)."""
    return {"appointments": [view(a, settings) for a in booking.account_appointments(db, account)]}


@router.post("/waitlist", status_code=201, response_model=WaitlistOut)
def join_waitlist(
    body: WaitlistIn,
    account: CurrentAccount,
    database: DatabaseDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Be told by SMS when a slot frees up with this practitioner."""

    def work(db: Session) -> tuple[int, dict]:
        entry = waitlist.add(db, account=account, **body.model_dump())
        return 201, WaitlistOut.model_validate(entry, from_attributes=True).model_dump()

    return idempotency.run(
        database,
        scope=f"account:{account.id}",
        key=key,
        request=["POST /waitlist", body],
        work=work,
    )


@router.delete("/waitlist/{entry_id}", status_code=204)
def leave_waitlist(entry_id: PathId, account: CurrentAccount, db: WriteSessionDep) -> None:
    waitlist.remove(db, account=account, entry_id=entry_id)
