"""Request and answer shapes of what a kiosk tells the centre's counsellors: its state, its
help requests, and its journeys for the statistics. None of them carries a person."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class Exercise(BaseModel):
    id: str = Field(max_length=30)
    title: str = Field(max_length=80)


class PresenceIn(BaseModel):
    journey: str | None = Field(default=None, max_length=80)  # the journey's title
    step: str | None = Field(default=None, max_length=60)  # e.g. "booking.slot"
    progress: str | None = Field(default=None, max_length=10)  # "2/6"
    mistakes: int = Field(default=0, ge=0, le=99)  # answers refused in a row at this step
    printer: str = Field(max_length=16)  # ready | no_paper | offline | none
    last_sync: datetime | None = None
    exercise_done: bool = False  # in a workshop: the exercise's goal was reached
    exercises: list[Exercise] = Field(default=[], max_length=20)  # what this kiosk offers


class HelpIn(BaseModel):
    step: str = Field(max_length=60)


class HelpOut(BaseModel):
    """The kiosk's open help request; `coming` names the counsellor on their way."""

    id: int
    coming: str | None = None


class WorkshopOut(BaseModel):
    """The exercise set for this kiosk; `resets` grows each time a counsellor restarts it."""

    exercise: str
    resets: int


class PresenceOut(BaseModel):
    help: HelpOut | None = None
    workshop: WorkshopOut | None = None


class JourneyRunIn(BaseModel):
    journey: str = Field(max_length=80)
    completed: bool
    last_step: str = Field(max_length=60)
    seconds: int
    day: date
