"""Booking for a person signed in at a kiosk: hold, confirm, cancel, move, waiting list."""

from __future__ import annotations

from collections.abc import Callable
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


def _keyed(
    database: DatabaseDep,
    account: CurrentAccount,
    key: str | None,
    request: list,
    work: Callable[[Session], tuple[int, dict]],
) -> JSONResponse:
    """Every write of a signed-in person goes through the Idempotency-Key, scoped to them."""
    return idempotency.run(
        database, scope=f"account:{account.id}", key=key, request=request, work=work
    )


def _changed(
    settings: Settings, status: int, change: Callable[[Session], Appointment]
) -> Callable[[Session], tuple[int, dict]]:
    return lambda db: (status, view(change(db), settings))


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
    fields = body.model_dump()
    hold = _changed(
        settings,
        201,
        lambda db: booking.book(
            db, settings=settings, account=account, kiosk_id=auth.kiosk_id, **fields
        ),
    )
    return _keyed(database, account, key, ["POST /appointments", body], hold)


@router.post("/appointments/{appointment_id}/confirm", response_model=AppointmentOut)
def confirm_appointment(
    appointment_id: PathId,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    confirm = _changed(
        settings,
        200,
        lambda db: booking.confirm(db, account=account, appointment_id=appointment_id),
    )
    return _keyed(database, account, key, [f"POST /appointments/{appointment_id}/confirm"], confirm)


@router.post("/appointments/{appointment_id}/cancel", response_model=AppointmentOut)
def cancel_appointment(
    appointment_id: PathId,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    cancel = _changed(
        settings,
        200,
        lambda db: booking.cancel_by_patient(
            db, settings=settings, account=account, appointment_id=appointment_id
        ),
    )
    return _keyed(database, account, key, [f"POST /appointments/{appointment_id}/cancel"], cancel)


@router.post("/appointments/{appointment_id}/move", response_model=AppointmentOut)
def move_appointment(
    appointment_id: PathId,
    body: MoveIn,
    account: CurrentAccount,
    database: DatabaseDep,
    settings: SettingsDep,
    key: IdempotencyKey = None,
) -> JSONResponse:
    move = _changed(
        settings,
        200,
        lambda db: booking.move(
            db,
            settings=settings,
            account=account,
            appointment_id=appointment_id,
            slot_id=body.slot_id,
        ),
    )
    return _keyed(database, account, key, [f"POST /appointments/{appointment_id}/move", body], move)


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

    def join(db: Session) -> tuple[int, dict]:
        entry = waitlist.add(db, account=account, **body.model_dump())
        return 201, WaitlistOut.model_validate(entry, from_attributes=True).model_dump()

    return _keyed(database, account, key, ["POST /waitlist", body], join)


@router.delete("/waitlist/{entry_id}", status_code=204)
def leave_waitlist(entry_id: PathId, account: CurrentAccount, db: WriteSessionDep) -> None:
    waitlist.remove(db, account=account, entry_id=entry_id)
