"""Signing in as a person would: ask for a code, read it from the outbox, check it."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from server.db import Database
from server.models import OutboxMessage, Verification

PHONE = "+33612345678"
TYPED_PHONE = "06 12 34 56 78"


def last_code(db: Database, recipient: str, channel: str = "sms") -> str:
    """The code of the last message queued to this recipient, as the person reads it."""
    with db.reading() as session:
        body = session.scalar(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.channel == channel)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        )
    assert body is not None, "no message was queued"
    return re.search(r"\b(\d{6})\b", body).group(1)


def ask_code(client: TestClient, phone: str = TYPED_PHONE) -> str:
    answer = client.post("/api/v1/verifications", json={"phone": phone})
    assert answer.status_code == 201, answer.json()
    return answer.json()["verification_id"]


def age_codes(db: Database, target: str, by: timedelta) -> None:
    """Move the codes sent to this target back in time, as if they were sent earlier."""
    with db.writing() as session:
        for verification in session.scalars(
            select(Verification).where(Verification.target == target)
        ):
            verification.created_at -= by
            verification.expires_at -= by


def sign_in_by_sms(client: TestClient, db: Database, phone: str = TYPED_PHONE) -> dict[str, str]:
    """Authorization headers for a session opened with a checked SMS code."""
    verification_id = ask_code(client, phone)
    with db.reading() as session:
        target = session.get(Verification, verification_id).target
    answer = client.post(
        f"/api/v1/verifications/{verification_id}/check", json={"code": last_code(db, target)}
    )
    assert answer.status_code == 200, answer.json()
    return {"Authorization": f"Bearer {answer.json()['session_token']}"}


def create_account(
    client: TestClient, db: Database, phone: str = TYPED_PHONE, **profile: object
) -> dict[str, str]:
    headers = sign_in_by_sms(client, db, phone)
    answer = client.put("/api/v1/me", json={"consent": True, **profile}, headers=headers)
    assert answer.status_code == 200, answer.json()
    return headers


def expire_codes(db: Database, target: str) -> None:
    with db.writing() as session:
        session.execute(
            update(Verification)
            .where(Verification.target == target)
            .values(expires_at=Verification.created_at)
        )
