"""A practitioner's card, motives and free slots, as a person at the kiosk needs them.

The card says things in words ("Carte Vitale acceptée", "Conventionné secteur 1 : …")
so the kiosk shows and reads them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import exists, false, or_, select
from sqlalchemy.orm import Session, selectinload

from server.clock import utcnow
from server.config import Settings
from server.errors import ApiError, invalid
from server.models import Modality, Motive, Practitioner, Slot, opening_hours_motives
from server.services.slots import to_utc

# Longest period one slots request may cover.
MAX_SLOT_DAYS = 31
DEFAULT_SLOT_DAYS = 7

NOT_BOOKABLE_MESSAGE = "Ce praticien ne prend pas de rendez-vous en ligne. Appelez le cabinet."
CIVILITIES = {"dr": "Docteur", "mme": "Madame", "m": "Monsieur", "pr": "Professeur"}
SECTORS = {
    "1": "Conventionné secteur 1 : tarifs de la Sécurité sociale, sans dépassement.",
    "2": "Conventionné secteur 2 : le prix peut dépasser le tarif de la Sécurité sociale.",
    "2-optam": "Conventionné secteur 2 avec OPTAM : dépassements limités, mieux remboursés.",
    "none": "Non conventionné : la Sécurité sociale rembourse très peu.",
}
PAYMENT_MEANS = {
    "vitale": "Carte Vitale acceptée",
    "tiers_payant": "Tiers payant : vous n'avancez pas les frais",
    "card": "Carte bancaire",
    "cheque": "Chèque",
    "cash": "Espèces",
}
LANGUAGES = {
    "fr": "Français",
    "en": "Anglais",
    "ar": "Arabe",
    "es": "Espagnol",
    "pt": "Portugais",
    "pl": "Polonais",
    "tr": "Turc",
    "de": "Allemand",
    "it": "Italien",
    "ro": "Roumain",
    "ru": "Russe",
    "zh": "Chinois",
    "lsf": "Langue des signes française",
}
MODALITIES = {
    Modality.PRACTICE: "Au cabinet",
    Modality.VIDEO: "En vidéo",
    Modality.PHONE: "Par téléphone",
    Modality.HOME: "À domicile",
}
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def sector_words(sector: str | None) -> str | None:
    return SECTORS.get(sector or "")


def fee_words(cents: int | None) -> str | None:
    """ "Consultation : 26,50 €" — French decimal comma, no cents when round."""
    if cents is None:
        return None
    euros = f"{cents // 100}" if cents % 100 == 0 else f"{cents / 100:.2f}".replace(".", ",")
    return f"Consultation : {euros} €"


def day_words(day: date) -> str:
    """ "lundi 6 janvier", as the kiosk reads a day aloud."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def practitioner_card(db: Session, practitioner_id: int) -> Practitioner:
    """The practitioner with places and motives loaded, or a French 404."""
    practitioner = db.scalar(
        select(Practitioner)
        .where(Practitioner.id == practitioner_id)
        .options(selectinload(Practitioner.places), selectinload(Practitioner.specialty))
    )
    if practitioner is None:
        raise ApiError(404, "not_found", "Ce praticien est introuvable.", "practitioner_id")
    return practitioner


def active_motives(db: Session, practitioner_id: int) -> list[Motive]:
    practitioner_card(db, practitioner_id)
    return list(
        db.scalars(
            select(Motive)
            .where(Motive.practitioner_id == practitioner_id, Motive.active.is_(True))
            .order_by(Motive.id)
        )
    )


@dataclass(frozen=True)
class SlotDay:
    day: date
    slots: list[Slot]


@dataclass(frozen=True)
class SlotListing:
    start: date
    end: date
    bookable_online: bool
    days: list[SlotDay]


def free_slots(
    db: Session,
    settings: Settings,
    *,
    practitioner_id: int,
    motive_id: int,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> SlotListing:
    """Free slots for this motive from `start` to `end` (local dates, both included), by day.

    A slot offers the motives of its opening hours (all of them when the hours list none),
    as booking checks; it starts at least `min_booking_lead_minutes` from now.
    """
    practitioner = practitioner_card(db, practitioner_id)
    motive = db.get(Motive, motive_id)
    if motive is None or motive.practitioner_id != practitioner.id or not motive.active:
        raise ApiError(404, "not_found", "Ce motif est introuvable.", "motive_id")
    zone = ZoneInfo(settings.timezone)
    now = now or utcnow()
    today = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
    start = start or today
    end = end or start + timedelta(days=DEFAULT_SLOT_DAYS)
    if end < start:
        raise invalid("to", "Date de fin : elle doit venir après la date de début.")
    if (end - start).days >= MAX_SLOT_DAYS:
        raise invalid("to", f"Date de fin : choisissez au plus {MAX_SLOT_DAYS} jours.")
    if not practitioner.bookable_online:
        return SlotListing(start, end, False, [])
    earliest = max(
        to_utc(start, time(0), zone), now + timedelta(minutes=settings.min_booking_lead_minutes)
    )
    link = opening_hours_motives.c
    offered = or_(
        Slot.opening_hours_id.is_(None),
        exists().where(link.opening_hours_id == Slot.opening_hours_id, link.motive_id == motive.id),
        ~exists().where(link.opening_hours_id == Slot.opening_hours_id),
    )
    slots = db.scalars(
        select(Slot)
        .where(
            Slot.practitioner_id == practitioner.id,
            Slot.taken == false(),
            Slot.closed == false(),
            Slot.starts_at >= earliest,
            Slot.starts_at < to_utc(end + timedelta(days=1), time(0), zone),
            offered,
        )
        .order_by(Slot.starts_at)
    )
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        local_day = slot.starts_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()
        days.setdefault(local_day, []).append(slot)
    return SlotListing(start, end, True, [SlotDay(day, found) for day, found in days.items()])
