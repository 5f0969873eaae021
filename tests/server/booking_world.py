"""A small world to book in: a practitioner with free slots, and a signed-in account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from server.db import Database
from server.models import Motive, Slot
from server.services.kiosks import add_practice
from tests.factories import add_opening_hours, make_account, make_practitioner, make_slot, sign_in


@dataclass
class World:
    practitioner_id: int
    new_motive_id: int  # "Première consultation", open to new patients
    followup_motive_id: int  # "Consultation de suivi", patients already seen
    slot_ids: list[int]
    account_id: int
    patient_id: int
    headers: dict[str, str]
    practice_token: str | None = None
    extra: dict = field(default_factory=dict)

    def book(self, client, slot_index: int = 0, **overrides):  # noqa: ANN001, ANN201, ANN003
        body = {
            "slot_id": self.slot_ids[slot_index],
            "motive_id": self.new_motive_id,
            "patient_id": self.patient_id,
            "first_visit": True,
            **overrides,
        }
        return client.post("/api/v1/appointments", json=body, headers=self.headers)


def build_world(
    db: Database,
    kiosk_id: int,
    *,
    slots_in: list[timedelta] | None = None,
    phone: str = "+33612345678",
    with_practice: bool = False,
    bookable_online: bool = True,
) -> World:
    with db.writing() as session:
        practitioner = make_practitioner(session, bookable_online=bookable_online)
        rule = add_opening_hours(session, practitioner, weekdays=[0])[0]
        slots = [
            make_slot(session, practitioner, starts_in=delay, opening=rule)
            for delay in (slots_in or [timedelta(days=2), timedelta(days=3), timedelta(days=4)])
        ]
        new, followup = practitioner.motives
        account, holder = make_account(session, phone=phone)
        token = sign_in(session, account, kiosk_id)
        practice_token = None
        if with_practice:
            _, practice_token = add_practice(
                session, name="Cabinet de test", practitioner_ids=[practitioner.id]
            )
        return World(
            practitioner_id=practitioner.id,
            new_motive_id=new.id,
            followup_motive_id=followup.id,
            slot_ids=[slot.id for slot in slots],
            account_id=account.id,
            patient_id=holder.id,
            headers={"Authorization": f"Bearer {token}"},
            practice_token=practice_token,
        )


def slot_taken(db: Database, slot_id: int) -> bool:
    with db.reading() as session:
        return session.get(Slot, slot_id).taken


def motive(db: Database, motive_id: int) -> Motive:
    with db.reading() as session:
        return session.get(Motive, motive_id)
