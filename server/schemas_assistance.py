"""Request and answer shapes of the visitor's consent and journal, read at a kiosk."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class MandateIn(BaseModel):
    duration: str = Field(max_length=10)  # visit | day | month | year


class MandateOut(BaseModel):
    duration: str
    granted_at: datetime  # the centre's local time
    expires_at: datetime


class JournalLineOut(BaseModel):
    at: datetime  # the centre's local time
    who: str | None  # the counsellor's name; None: the person themself, at a kiosk
    action: str  # consent_given, booked, …
    patient: str | None  # for whom: a first name
    reference: str | None  # the appointment's reference


class HelpersOut(BaseModel):
    """What the centre's counsellors may do for the person, and what they did."""

    mandate: MandateOut | None
    journal: list[JournalLineOut]
