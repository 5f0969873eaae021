"""Request and answer shapes of call-back requests."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CallbackIn(BaseModel):
    phone: str = Field(max_length=40)  # any usual French format; checked by the service
    step: str = Field(max_length=60)  # the journey step id, e.g. "booking.slot"


class CallbackOut(BaseModel):
    id: int
