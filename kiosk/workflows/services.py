"""The narrow door from the journeys to the outside world.

Journeys never speak HTTP or SQL: they call a `Services` object. kiosk/client implements it
over the server's /api/v1 (with the outbox and the offline replica); the channels never see it.
Every value crossing the door is a small frozen dataclass made of plain values, so it can be
kept in the serialisable flow state (`dump` / `load`).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar


class ServiceError(Exception):
    """The server refused: `code` is its error code, `message` its French words, `details`
    what the words depend on (see refusals.py)."""

    def __init__(
        self,
        code: str,
        message: str,
        field: str | None = None,
        status: int = 400,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(code)
        self.code, self.message, self.field, self.status = code, message, field, status
        self.details = details or {}


class Offline(Exception):
    """The server cannot be reached now. A write, if any, waits in the outbox."""

    def __init__(self, queued: bool = False) -> None:
        super().__init__("offline")
        self.queued = queued


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcode: str | None
    label: str  # "Douai (59)"


@dataclass(frozen=True)
class Found:
    """One line of search results."""

    id: int
    civility: str | None  # "dr", "mme", "m"
    first_name: str
    last_name: str
    specialty: str | None  # code: "medecine-generale"
    specialty_label: str | None
    address: str | None
    city: str | None
    phone: str | None
    distance_km: float | None
    next_free_slot: datetime | None  # local time of the practice
    bookable_online: bool


@dataclass(frozen=True)
class SearchPage:
    results: list[Found]
    near: Commune | None = None
    offline: bool = False  # from the kiosk's copy: free times may have changed


@dataclass(frozen=True)
class Place:
    address: str
    postcode: str | None
    city: str | None
    phone: str | None
    ground_floor: bool | None = None
    wheelchair: bool | None = None
    parking: bool | None = None
    public_transport: str | None = None


@dataclass(frozen=True)
class Card:
    """What a person needs to choose a practitioner (seeds 001 and 002)."""

    id: int
    civility: str | None
    first_name: str
    last_name: str
    specialty: str | None
    specialty_label: str | None
    places: list[Place]
    phone: str | None
    convention_sector: str | None  # "1", "2", "2-optam", "none"
    consultation_fee_cents: int | None
    payment_means: list[str]  # codes: "vitale", "tiers_payant", "card", "cheque", "cash"
    languages: list[str]  # ISO codes: "fr", "ar"
    video: bool
    bookable_online: bool


@dataclass(frozen=True)
class Motive:
    id: int
    label: str
    duration_minutes: int
    open_to_new_patients: bool
    modality: str  # "practice", "video", "phone", "home"


@dataclass(frozen=True)
class Slot:
    id: int
    starts_at: datetime  # local time of the practice, with its offset


@dataclass(frozen=True)
class CodeSent:
    verification_id: str
    resend_after: int  # seconds


@dataclass(frozen=True)
class Person:
    id: int
    sex: str | None  # "F" or "M"
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    relationship: str | None = None  # for a relative: "enfant", "conjoint"…
    complete: bool = False


@dataclass(frozen=True)
class Me:
    phone: str  # "06 12 34 56 78"
    email: str | None
    email_verified: bool
    profile: Person | None
    relatives: list[Person] = field(default_factory=list)


@dataclass(frozen=True)
class Appointment:
    id: int
    reference: str
    status: str  # pending, confirmed, cancelled, expired, honoured, missed
    starts_at: datetime  # local time of the practice
    ends_at: datetime
    practitioner_id: int
    practitioner_name: str
    address: str
    practice_phone: str | None
    motive_id: int
    motive_label: str
    patient_id: int | None
    patient_first_name: str | None
    can_cancel_online: bool


@dataclass(frozen=True)
class JournalLine:
    """One thing a counsellor (or the person) did about their consent or appointments."""

    at: datetime  # local time
    who: str | None  # the counsellor's name; None: the person themself
    action: str  # consent_given, consent_revoked, appointments_seen, booked, moved, cancelled
    patient: str | None  # for whom: a first name


@dataclass(frozen=True)
class Helpers:
    """The person's consent that the centre's counsellors act for them, and what they did."""

    until: datetime | None  # local time; None: no consent in force
    journal: list[JournalLine] = field(default_factory=list)  # newest first


@dataclass(frozen=True)
class Where:
    """What a kiosk shows, for the counsellors' dashboard: never anything about the person."""

    journey: str  # the journey's title, in French
    step: str  # "booking.slot"
    progress: tuple[int, int] | None  # (2, 6): "étape 2 sur 6"
    mistakes: int = 0  # answers refused in a row at this step
    exercise_done: bool = False  # in a workshop: the exercise's goal was reached


@dataclass(frozen=True)
class JourneyRun:
    """A journey done or given up, for the centre's statistics."""

    journey: str  # the journey's title, in French
    completed: bool
    last_step: str
    seconds: int


class Services(Protocol):
    """What the journeys may ask of the world. Errors: ServiceError, Offline."""

    def home(self) -> Commune:
        """The commune of this kiosk: where searches start."""
        ...

    def find_communes(self, text: str) -> list[Commune]: ...

    def search(
        self,
        *,
        specialty: str | None,
        name: str | None,
        near: str | None,
        offset: int = 0,
        limit: int = 5,
    ) -> SearchPage: ...

    def card(self, practitioner_id: int) -> Card: ...

    def motives(self, practitioner_id: int) -> list[Motive]: ...

    def slots(self, practitioner_id: int, motive_id: int, start: date) -> list[Slot]:
        """Free times from `start` for about a week, earliest first."""
        ...

    def request_code(self, phone: str) -> CodeSent: ...

    def check_code(self, verification_id: str, code: str) -> bool:
        """Sign in with the code; True when an account already exists for this phone."""
        ...

    def me(self) -> Me: ...

    def save_profile(self, fields: dict[str, Any], *, consent: bool | None = None) -> Me:
        """Create the account (with consent) or change it; an e-mail gets a code by e-mail."""
        ...

    def check_email(self, code: str) -> None: ...

    def add_relative(self, fields: dict[str, Any]) -> Person: ...

    def update_relative(self, relative_id: int, fields: dict[str, Any]) -> Person: ...

    def remove_relative(self, relative_id: int) -> None: ...

    def hold(
        self,
        *,
        slot_id: int,
        motive_id: int,
        patient_id: int,
        first_visit: bool,
        other_practitioner_consent: bool = False,
    ) -> Appointment:
        """A pending booking, freed if not confirmed in time."""
        ...

    def confirm(self, appointment_id: int) -> Appointment: ...

    def cancel(self, appointment_id: int) -> Appointment: ...

    def move(self, appointment_id: int, slot_id: int) -> Appointment: ...

    def appointments(self) -> list[Appointment]:
        """Of the person and their relatives: upcoming first."""
        ...

    def join_waitlist(
        self, *, practitioner_id: int, patient_id: int, motive_id: int | None
    ) -> None: ...

    def helpers(self) -> Helpers: ...

    def give_mandate(self, duration: str) -> Helpers:
        """The person lets the counsellors act for them: visit, day, month or year."""
        ...

    def revoke_mandate(self) -> Helpers: ...

    def request_call_back(self, phone: str, step: str) -> None:
        """Ask the centre's counsellors to call this number (a caller stuck at `step`)."""
        ...

    def ask_for_help(self, step: str) -> None:
        """Call a counsellor of the centre to this kiosk. Raises Offline."""
        ...

    def helper_coming(self) -> str | None:
        """The name of the counsellor on their way to this kiosk, once one answered."""
        ...

    def showing(self, where: Where) -> None:
        """What the kiosk shows now: told to the counsellors' dashboard."""
        ...

    def journey_ended(self, run: JourneyRun) -> None:
        """Count a journey in the centre's statistics."""
        ...

    def exercise_phone(self) -> list[str]:
        """In a workshop: the SMS the sandbox would have sent to the number given in this
        session, newest first; they reach no telephone. Elsewhere: none."""
        ...

    def end_session(self) -> None:
        """Forget the person: sign out on the server (queued if offline), wipe local data,
        and withdraw a call for help nobody needs any more."""
        ...


# ------------------------------------------------------------ keeping values in the state

T = TypeVar("T")


def dump(value: Any) -> Any:
    """A dataclass (or list of them) as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def load(kind: type[T], data: Any) -> T:
    """The inverse of `dump`, guided by the dataclass' type hints."""
    return _load(kind, data)


def _load(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in typing.get_args(hint) if a is not type(None)]
        return _load(real[0], data)
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_load(item, v) for v in data]
    if hint is datetime:
        return datetime.fromisoformat(data)
    if hint is date:
        return date.fromisoformat(data)
    if dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(**{k: _load(hints[k], v) for k, v in data.items() if k in hints})
    return data
