"""Kiosk devices and practices: each gets a token, printed once and stored as a hash."""

from __future__ import annotations

from sqlalchemy.orm import Session

from server.models import Kiosk, Practice, Practitioner
from server.security import hash_token, new_token


def add_kiosk(db: Session, *, name: str, commune_insee: str) -> tuple[Kiosk, str]:
    token = new_token()
    kiosk = Kiosk(name=name, commune_insee=commune_insee, token_hash=hash_token(token))
    db.add(kiosk)
    db.flush()
    return kiosk, token


def add_practice(db: Session, *, name: str, practitioner_ids: list[int]) -> tuple[Practice, str]:
    """A secretariat managing these practitioners' agendas."""
    token = new_token()
    practice = Practice(name=name, token_hash=hash_token(token))
    db.add(practice)
    db.flush()
    for practitioner_id in practitioner_ids:
        practitioner = db.get(Practitioner, practitioner_id)
        if practitioner is None:
            raise LookupError(practitioner_id)
        practitioner.practice_id = practice.id
    return practice, token
