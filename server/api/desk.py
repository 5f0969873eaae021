"""What a kiosk tells the centre's counsellors: its state, the visitor's call for help, and
each journey's end for the statistics. The dashboard (server/dashboard) shows them."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from server.api.deps import CurrentKiosk, DatabaseDep
from server.models import HelpRequest
from server.schemas_desk import (
    HelpIn,
    HelpOut,
    JourneyRunIn,
    PresenceIn,
    PresenceOut,
    WorkshopOut,
)
from server.services import help_requests, presence, statistics

router = APIRouter(tags=["counsellors"])


@router.put("/kiosk/presence", response_model=PresenceOut)
def report_presence(body: PresenceIn, kiosk: CurrentKiosk, database: DatabaseDep) -> PresenceOut:
    """Sent every few seconds; the answer says whether a counsellor is coming, and which
    exercise a counsellor set for this kiosk."""
    fields = body.model_dump(exclude={"last_sync"})
    with database.writing() as db:
        seen = presence.report(db, kiosk.id, **fields, last_sync=_naive_utc(body.last_sync))
        request = help_requests.current(db, kiosk.id)
        workshop = (
            WorkshopOut(exercise=seen.workshop_exercise, resets=seen.workshop_resets)
            if seen.workshop_exercise
            else None
        )
        return PresenceOut(help=_help(request) if request else None, workshop=workshop)


@router.post("/help-requests", status_code=201, response_model=HelpOut)
def ask_for_help(body: HelpIn, kiosk: CurrentKiosk, database: DatabaseDep) -> HelpOut:
    """The visitor pressed "Aide". Pressing it again gives back the request already open."""
    with database.writing() as db:
        return _help(help_requests.ask(db, kiosk.id, body.step))


@router.delete("/help-requests/current", status_code=204)
def end_help(kiosk: CurrentKiosk, database: DatabaseDep) -> Response:
    """The visitor's session ended: nobody waits at this kiosk any more."""
    with database.writing() as db:
        help_requests.close_current(db, kiosk.id)
    return Response(status_code=204)


@router.post("/journey-runs", status_code=204)
def record_journey_run(body: JourneyRunIn, kiosk: CurrentKiosk, database: DatabaseDep) -> Response:
    with database.writing() as db:
        statistics.record(db, kiosk.id, **body.model_dump())
    return Response(status_code=204)


def _help(request: HelpRequest) -> HelpOut:
    return HelpOut(id=request.id, coming=request.coming.name if request.coming else None)


def _naive_utc(moment: datetime | None) -> datetime | None:
    """Times are stored as naive UTC."""
    if moment is not None and moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment
