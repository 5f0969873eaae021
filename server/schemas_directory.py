"""Response bodies of the directory: search results, the practitioner card, motives, slots."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from server.models import Motive, Place, Practitioner, Slot
from server.services import directory
from server.services.communes import Commune, communes
from server.services.search import SearchResult
from server.services.specialties import specialty_label


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


class CommuneOut(BaseModel):
    insee: str
    name: str
    postcode: str | None
    postcodes: list[str]
    departement: str
    label: str  # "Douai (59)"

    @classmethod
    def of(cls, commune: Commune) -> CommuneOut:
        return cls(
            insee=commune.insee,
            name=commune.name,
            postcode=commune.postcodes[0] if commune.postcodes else None,
            postcodes=list(commune.postcodes),
            departement=commune.departement,
            label=communes().label(commune),
        )


class PlaceSummaryOut(BaseModel):
    id: int
    name: str | None
    address: str
    postcode: str | None
    city: str | None
    phone: str | None


class SearchResultOut(BaseModel):
    id: int
    civility: str | None
    civility_label: str | None
    first_name: str
    last_name: str
    specialty: str | None
    specialty_label: str | None
    place: PlaceSummaryOut | None
    distance_km: float | None
    next_free_slot: datetime | None
    next_free_slot_local: datetime | None
    bookable_online: bool
    message: str | None

    @classmethod
    def of(cls, result: SearchResult, *, timezone: str) -> SearchResultOut:
        start = _utc(result.next_free_slot) if result.next_free_slot else None
        return cls(
            id=result.practitioner_id,
            civility=result.civility,
            civility_label=directory.CIVILITIES.get(result.civility or ""),
            first_name=result.first_name,
            last_name=result.last_name,
            specialty=result.specialty_code,
            specialty_label=result.specialty_label,
            place=PlaceSummaryOut(**vars(result.place)) if result.place else None,
            distance_km=result.distance_km,
            next_free_slot=start,
            next_free_slot_local=start.astimezone(ZoneInfo(timezone)) if start else None,
            bookable_online=result.bookable_online,
            message=result.message,
        )


class SearchOut(BaseModel):
    results: list[SearchResultOut]
    near: CommuneOut | None = None


class Worded(BaseModel):
    """A code with the words a person reads."""

    code: str
    label: str


class PlaceOut(PlaceSummaryOut):
    commune_insee: str | None
    lat: float | None
    lng: float | None
    ground_floor: bool | None
    wheelchair: bool | None
    parking: bool | None
    public_transport: str | None

    @classmethod
    def of(cls, place: Place) -> PlaceOut:
        return cls(
            id=place.id,
            name=place.name,
            address=place.address,
            postcode=place.postcode,
            city=place.city,
            phone=place.phone,
            commune_insee=place.commune_insee,
            lat=place.lat,
            lng=place.lng,
            ground_floor=place.ground_floor,
            wheelchair=place.wheelchair,
            parking=place.parking,
            public_transport=place.public_transport,
        )


class PractitionerOut(BaseModel):
    id: int
    civility: str | None
    civility_label: str | None
    first_name: str
    last_name: str
    profession: str
    specialty: Worded | None
    languages: list[Worded]
    places: list[PlaceOut]
    phone: str | None
    convention_sector: str | None
    convention_sector_label: str | None
    consultation_fee_cents: int | None
    fees: str | None
    fees_note: str | None
    payment_means: list[Worded]
    video: bool
    bookable_online: bool
    message: str | None

    @classmethod
    def of(cls, p: Practitioner) -> PractitionerOut:
        label = specialty_label(p.specialty_code) or (p.specialty.label if p.specialty else None)
        return cls(
            id=p.id,
            civility=p.civility,
            civility_label=directory.CIVILITIES.get(p.civility or ""),
            first_name=p.first_name,
            last_name=p.last_name,
            profession=p.profession,
            specialty=Worded(code=p.specialty_code, label=label) if p.specialty_code else None,
            languages=[
                Worded(code=c, label=directory.LANGUAGES.get(c, c)) for c in p.languages or []
            ],
            places=[PlaceOut.of(place) for place in p.places],
            phone=next((place.phone for place in p.places if place.phone), None),
            convention_sector=p.convention_sector,
            convention_sector_label=directory.sector_words(p.convention_sector),
            consultation_fee_cents=p.consultation_fee_cents,
            fees=directory.fee_words(p.consultation_fee_cents),
            fees_note=p.fees_note,
            payment_means=[
                Worded(code=c, label=directory.PAYMENT_MEANS.get(c, c))
                for c in p.payment_means or []
            ],
            video=p.video,
            bookable_online=p.bookable_online,
            message=None if p.bookable_online else directory.NOT_BOOKABLE_MESSAGE,
        )


class MotiveOut(BaseModel):
    id: int
    label: str
    duration_minutes: int
    open_to_new_patients: bool
    modality: str
    modality_label: str

    @classmethod
    def of(cls, motive: Motive) -> MotiveOut:
        return cls(
            id=motive.id,
            label=motive.label,
            duration_minutes=motive.duration_minutes,
            open_to_new_patients=motive.open_to_new_patients,
            modality=motive.modality.value,
            modality_label=directory.MODALITIES[motive.modality],
        )


class SlotOut(BaseModel):
    id: int
    place_id: int
    starts_at: datetime
    ends_at: datetime
    starts_at_local: datetime
    ends_at_local: datetime
    time: str  # "09:30", local

    @classmethod
    def of(cls, slot: Slot, zone: ZoneInfo) -> SlotOut:
        start, end = _utc(slot.starts_at), _utc(slot.ends_at)
        local = start.astimezone(zone)
        return cls(
            id=slot.id,
            place_id=slot.place_id,
            starts_at=start,
            ends_at=end,
            starts_at_local=local,
            ends_at_local=end.astimezone(zone),
            time=local.strftime("%H:%M"),
        )


class SlotDayOut(BaseModel):
    date: date
    label: str  # "lundi 6 janvier"
    slots: list[SlotOut]

    @classmethod
    def of(cls, day: directory.SlotDay, zone: ZoneInfo) -> SlotDayOut:
        return cls(
            date=day.day,
            label=directory.day_words(day.day),
            slots=[SlotOut.of(s, zone) for s in day.slots],
        )


class SlotsOut(BaseModel):
    practitioner_id: int
    motive_id: int
    start: date
    end: date
    bookable_online: bool
    message: str | None
    days: list[SlotDayOut]
