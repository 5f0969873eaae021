"""Test data for the kiosk client: practitioners around Douai and a person who signs in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from kiosk.client.services import KioskServices
from server.db import Database
from tests.factories import add_opening_hours, make_account, make_practitioner, make_slot
from tests.server.sms_sign_in import PHONE, TYPED_PHONE, last_code

SIN_LE_NOBLE = {
    "commune_insee": "59569",
    "postcode": "59450",
    "city": "Sin-le-Noble",
    "lat": 50.3614,
    "lng": 3.1131,
}
ARRAS = {
    "commune_insee": "62041",
    "postcode": "62000",
    "city": "Arras",
    "lat": 50.291,
    "lng": 2.777,
}


@dataclass(frozen=True)
class Doctor:
    id: int
    motive_ids: list[int]  # [open to new patients, follow-up only]
    slot_ids: list[int]


def add_doctor(
    db: Database,
    *,
    first_name: str = "Claire",
    last_name: str = "Fictive",
    slots_in: list[timedelta] = (timedelta(days=2), timedelta(days=3)),
    **fields,
) -> Doctor:
    """A practitioner (Douai unless `place` says otherwise) with free slots."""
    with db.writing() as session:
        practitioner = make_practitioner(
            session, first_name=first_name, last_name=last_name, **fields
        )
        rule = add_opening_hours(session, practitioner, weekdays=[0])[0]
        slots = [make_slot(session, practitioner, starts_in=d, opening=rule) for d in slots_in]
        return Doctor(practitioner.id, [m.id for m in practitioner.motives], [s.id for s in slots])


def add_person(db: Database, **fields) -> int:
    """An account with its holder's profile; returns the holder's patient id."""
    with db.writing() as session:
        return make_account(session, phone=PHONE, **fields)[1].id


def sign_in_at_kiosk(services: KioskServices, db: Database, phone: str = TYPED_PHONE) -> bool:
    """As a person does: ask for a code, read the SMS, type the code. True: known account."""
    sent = services.request_code(phone)
    return services.check_code(sent.verification_id, last_code(db, PHONE))
