"""Search the directory, read a practitioner's card, motives and free slots."""

from datetime import date
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query

from server.api.deps import CurrentKiosk, ReadSessionDep, SettingsDep
from server.schemas_directory import (
    CommuneOut,
    MotiveOut,
    PractitionerOut,
    SearchOut,
    SearchResultOut,
    SlotDayOut,
    SlotsOut,
)
from server.services import directory
from server.services.search import search_centre, search_practitioners

router = APIRouter(tags=["practitioners"])

PractitionerId = Annotated[int, Path(ge=1, le=2**53)]


@router.get("/practitioners")
def search(
    kiosk: CurrentKiosk,
    db: ReadSessionDep,
    settings: SettingsDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    specialty: Annotated[str | None, Query(max_length=100)] = None,
    near: Annotated[str | None, Query(max_length=100)] = None,
    commune: Annotated[str | None, Query(max_length=5)] = None,
    radius_km: Annotated[float, Query(gt=0, le=200)] = 20,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    order: Literal["availability", "distance"] = "availability",
) -> SearchOut:
    """Practitioners by name, specialty or everyday words, near a commune (the kiosk's by
    default), the earliest availability first. `near` is typed words ("Douai", "59500"),
    `commune` an INSEE code taken from /communes."""
    results = search_practitioners(
        db,
        q=q,
        specialty=specialty,
        near=near,
        radius_km=radius_km,
        limit=limit,
        offset=offset,
        order=order,
        default_near=kiosk.commune_insee,
        settings=settings,
        commune=commune,
    )
    centre = search_centre(q, specialty, near, kiosk.commune_insee, commune)
    return SearchOut(
        results=[SearchResultOut.of(r, timezone=settings.timezone) for r in results],
        near=CommuneOut.of(centre) if centre else None,
    )


@router.get("/practitioners/{practitioner_id}")
def card(
    _kiosk: CurrentKiosk, db: ReadSessionDep, practitioner_id: PractitionerId
) -> PractitionerOut:
    return PractitionerOut.of(directory.practitioner_card(db, practitioner_id))


@router.get("/practitioners/{practitioner_id}/motives")
def motives(
    _kiosk: CurrentKiosk, db: ReadSessionDep, practitioner_id: PractitionerId
) -> list[MotiveOut]:
    return [MotiveOut.of(m) for m in directory.active_motives(db, practitioner_id)]


@router.get("/practitioners/{practitioner_id}/slots")
def slots(
    _kiosk: CurrentKiosk,
    db: ReadSessionDep,
    settings: SettingsDep,
    practitioner_id: PractitionerId,
    motive_id: Annotated[int, Query(ge=1, le=2**53)],
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> SlotsOut:
    """Free slots for a motive, by local day, the earliest first (today to 7 days ahead)."""
    listing = directory.free_slots(
        db, settings, practitioner_id=practitioner_id, motive_id=motive_id, start=start, end=end
    )
    zone = ZoneInfo(settings.timezone)
    return SlotsOut(
        practitioner_id=practitioner_id,
        motive_id=motive_id,
        start=listing.start,
        end=listing.end,
        bookable_online=listing.bookable_online,
        message=None if listing.bookable_online else directory.NOT_BOOKABLE_MESSAGE,
        days=[SlotDayOut.of(day, zone) for day in listing.days],
    )
