"""Database tables. Times are stored as naive UTC; opening hours are local wall-clock times.

Field lists follow the seeds: the practitioner card of the booking workshop (001, 002),
the patient form of the referral guide (000) and the secretariat procedure (003).
"""

from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    delete,
    event,
    insert,
    inspect,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from server.clock import utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL wants BIGINT at scale.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


def _enum(cls: type[enum.Enum]) -> Enum:
    """Store enum values as short strings, checked by the database."""
    return Enum(
        cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        length=16,
        validate_strings=True,
    )


class Modality(enum.StrEnum):
    PRACTICE = "practice"
    VIDEO = "video"
    PHONE = "phone"
    HOME = "home"


class AppointmentStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    HONOURED = "honoured"
    MISSED = "missed"


# A slot is held by at most one appointment in these states (see uq_appointment_active_slot).
HOLDING_STATES = (
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.HONOURED,
    AppointmentStatus.MISSED,
)
_HOLDING_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in HOLDING_STATES))


class Sex(enum.StrEnum):
    FEMALE = "F"
    MALE = "M"


# ---------------------------------------------------------------- directory


class Specialty(Base):
    __tablename__ = "specialties"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    profession: Mapped[str] = mapped_column(String(80))


class Practice(Base):
    """A secretariat: it manages the agendas of its practitioners with its own token."""

    __tablename__ = "practices"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Practitioner(Base):
    __tablename__ = "practitioners"
    __table_args__ = (
        # The search checks specialty and online booking of every place nearby: this small
        # index answers it without reading the wide rows.
        Index("ix_practitioners_specialty_bookable", "specialty_code", "id", "bookable_online"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    rpps: Mapped[str | None] = mapped_column(String(11), unique=True)
    civility: Mapped[str | None] = mapped_column(String(8))  # "dr", "mme", "m"
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    # Lower-case, accent-free "first last" for search.
    name_key: Mapped[str] = mapped_column(String(220), index=True)
    profession: Mapped[str] = mapped_column(String(80))
    # Indexed first in ix_practitioners_specialty_bookable.
    specialty_code: Mapped[str | None] = mapped_column(ForeignKey("specialties.code"))
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["fr"])
    convention_sector: Mapped[str | None] = mapped_column(String(16))  # "1", "2", "2-optam", "none"
    consultation_fee_cents: Mapped[int | None] = mapped_column(Integer)
    fees_note: Mapped[str | None] = mapped_column(String(300))
    payment_means: Mapped[list[str]] = mapped_column(JSON, default=list)
    video: Mapped[bool] = mapped_column(Boolean, default=False)
    bookable_online: Mapped[bool] = mapped_column(Boolean, default=False)
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    specialty: Mapped[Specialty | None] = relationship()
    places: Mapped[list[Place]] = relationship(
        back_populates="practitioner", cascade="all, delete-orphan", order_by="Place.id"
    )
    motives: Mapped[list[Motive]] = relationship(
        back_populates="practitioner", cascade="all, delete-orphan", order_by="Motive.id"
    )


class Place(Base):
    """Where a practitioner receives: address, access details, coordinates for distance."""

    __tablename__ = "places"
    __table_args__ = (
        UniqueConstraint("practitioner_id", "structure_ref", name="uq_place_structure"),
        # Covers the search's bounding-box scan: no table lookup per place in the box.
        Index("ix_places_lat_lng", "lat", "lng", "practitioner_id", postgresql_include=["id"]),
        # Covers the search that starts from a rare specialty's practitioners instead.
        Index(
            "ix_places_practitioner_lat_lng",
            "practitioner_id",
            "lat",
            "lng",
            postgresql_include=["id"],
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Indexed first in uq_place_structure and ix_places_practitioner_lat_lng.
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    structure_ref: Mapped[str | None] = mapped_column(String(40))  # RPPS structure id
    name: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str | None] = mapped_column(String(10))
    commune_insee: Mapped[str | None] = mapped_column(String(5), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    lat: Mapped[float | None] = mapped_column(Float)
    lng: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(20))
    ground_floor: Mapped[bool | None] = mapped_column(Boolean)
    wheelchair: Mapped[bool | None] = mapped_column(Boolean)
    parking: Mapped[bool | None] = mapped_column(Boolean)
    public_transport: Mapped[str | None] = mapped_column(String(300))

    practitioner: Mapped[Practitioner] = relationship(back_populates="places")


class PractitionerNameToken(Base):
    """Each folded word of a practitioner's name: name search seeks typed prefixes here.

    Kept in step by the ORM events below; Core bulk writers call
    server.services.search.index_names() instead.
    """

    __tablename__ = "practitioner_name_tokens"

    token: Mapped[str] = mapped_column(String(100), primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), primary_key=True, index=True
    )


def name_tokens(name_key: str) -> set[str]:
    """The words of a folded name, and a short word joined to its neighbour: "n diaye" is
    also typed "ndiaye", "le gall" "legall"."""
    words = name_key.split()
    joined = [a + b for a, b in zip(words, words[1:], strict=False) if min(len(a), len(b)) <= 3]
    return {word[:100] for word in words + joined}


@event.listens_for(Practitioner, "after_insert")
@event.listens_for(Practitioner, "after_update")
def _index_name(_mapper, connection, target: Practitioner) -> None:  # noqa: ANN001
    if not inspect(target).attrs.name_key.history.has_changes():
        return
    tokens = PractitionerNameToken.__table__
    connection.execute(delete(tokens).where(tokens.c.practitioner_id == target.id))
    rows = [{"token": t, "practitioner_id": target.id} for t in name_tokens(target.name_key)]
    if rows:
        connection.execute(insert(tokens), rows)


class Motive(Base):
    """A reason for a visit, as the practice names it ("Première consultation", "Suivi")."""

    __tablename__ = "motives"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    duration_minutes: Mapped[int] = mapped_column(Integer, default=15)
    open_to_new_patients: Mapped[bool] = mapped_column(Boolean, default=True)
    modality: Mapped[Modality] = mapped_column(_enum(Modality), default=Modality.PRACTICE)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    practitioner: Mapped[Practitioner] = relationship(back_populates="motives")


opening_hours_motives = Table(
    "opening_hours_motives",
    Base.metadata,
    Column(
        "opening_hours_id", ForeignKey("opening_hours.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("motive_id", ForeignKey("motives.id", ondelete="CASCADE"), primary_key=True),
)


class OpeningHours(Base):
    """A weekly rule: on this weekday, at this place, these motives, one slot every N minutes."""

    __tablename__ = "opening_hours"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    motives: Mapped[list[Motive]] = relationship(secondary=opening_hours_motives)


class Absence(Base):
    """An absence or a closure: no slot is offered in it."""

    __tablename__ = "absences"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    reason: Mapped[str] = mapped_column(String(16), default="absence")  # absence | closure


class Slot(Base):
    """A bookable time, generated ahead from opening hours.

    `taken` mirrors whether an appointment holds the slot, for fast availability search;
    the unique index on appointments is what really forbids double booking.
    """

    __tablename__ = "slots"
    __table_args__ = (
        UniqueConstraint("practitioner_id", "starts_at", name="uq_slot_practitioner_start"),
        Index("ix_slots_free", "practitioner_id", "taken", "closed", "starts_at"),
        Index("ix_slots_place_start", "place_id", "starts_at"),
        # Free future slots in time order: the search walks it in dense towns.
        Index(
            "ix_slots_free_start",
            "starts_at",
            "practitioner_id",
            sqlite_where=text("taken = 0 AND closed = 0"),
            postgresql_where=text("NOT taken AND NOT closed"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    opening_hours_id: Mapped[int | None] = mapped_column(
        ForeignKey("opening_hours.id", ondelete="SET NULL"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    taken: Mapped[bool] = mapped_column(Boolean, default=False)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


# ----------------------------------------------------------- people, devices


class Kiosk(Base):
    __tablename__ = "kiosks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    commune_insee: Mapped[str] = mapped_column(String(5))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    # What the kiosk last told about itself, for the counsellors' dashboard: never a person.
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime)
    printer: Mapped[str | None] = mapped_column(String(16))  # ready | no_paper | offline | none
    journey: Mapped[str | None] = mapped_column(String(80))  # the journey's title, or None
    step: Mapped[str | None] = mapped_column(String(60))  # journey step id, e.g. "booking.slot"
    progress: Mapped[str | None] = mapped_column(String(10))  # "2/6"
    mistakes: Mapped[int] = mapped_column(Integer, default=0)  # refused answers in a row
    # Workshops: the exercise a counsellor set (None: everyday use), how often it was reset,
    # and the exercises this kiosk offers, as it reported them ([{"id", "title"}]).
    workshop_exercise: Mapped[str | None] = mapped_column(String(30))
    workshop_resets: Mapped[int] = mapped_column(Integer, default=0)
    exercise_done: Mapped[bool] = mapped_column(Boolean, default=False)
    exercises: Mapped[list | None] = mapped_column(JSON)


class Account(Base):
    """A booking account: a verified French mobile number, nothing more is required."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    email: Mapped[str | None] = mapped_column(String(254))
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    consent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    patients: Mapped[list[Patient]] = relationship(back_populates="account", order_by="Patient.id")


class Patient(Base):
    """A person who can be booked for: the account holder, a relative, or a practice's patient.

    Fields of the "Ajouter mon profil" form (seed 001). Only sex, names and birth date are
    needed to book.
    """

    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_birth_date", "birth_date"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    is_account_holder: Mapped[bool] = mapped_column(Boolean, default=False)
    relationship_label: Mapped[str | None] = mapped_column(String(40))  # "enfant", "conjoint"…
    sex: Mapped[Sex | None] = mapped_column(_enum(Sex))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    birth_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    born_in_france: Mapped[bool | None] = mapped_column(Boolean)
    birth_commune_insee: Mapped[str | None] = mapped_column(String(5))
    birth_country: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    postcode: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(String(100))
    # Contact for patients a practice created without an account.
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    practice_id: Mapped[int | None] = mapped_column(ForeignKey("practices.id"), index=True)
    name_key: Mapped[str | None] = mapped_column(String(220), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    account: Mapped[Account | None] = relationship(back_populates="patients")


class UsualPractitioner(Base):
    """Seed 003: a patient with a usual practitioner in a practice is booked with that one."""

    __tablename__ = "usual_practitioners"
    __table_args__ = (UniqueConstraint("patient_id", "practice_id", name="uq_usual_per_practice"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id", ondelete="CASCADE"))


class Verification(Base):
    """A one-time code sent by SMS (phone) or e-mail. Only an HMAC of the code is stored."""

    __tablename__ = "verifications"
    __table_args__ = (Index("ix_verifications_target_created", "target", "created_at"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    purpose: Mapped[str] = mapped_column(String(8), default="phone")  # phone | email
    target: Mapped[str] = mapped_column(String(254))  # E.164 phone or e-mail address
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    tries_left: Mapped[int] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuthSession(Base):
    """A person's signed-in session at a kiosk. Only a hash of the token is stored."""

    __tablename__ = "auth_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    phone: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


# --------------------------------------------------------------- appointments


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        # Two holding appointments can never share a slot: enforced by the database.
        Index(
            "uq_appointment_active_slot",
            "slot_id",
            unique=True,
            sqlite_where=text(_HOLDING_SQL),
            postgresql_where=text(_HOLDING_SQL),
        ),
        Index("ix_appointments_practitioner_start", "practitioner_id", "starts_at"),
        Index("ix_appointments_status_hold", "status", "hold_expires_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("slots.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioners.id"))
    place_id: Mapped[int] = mapped_column(ForeignKey("places.id"))
    motive_id: Mapped[int] = mapped_column(ForeignKey("motives.id"))
    # Null once the patient's data is erased: the practice keeps the time as taken.
    patient_id: Mapped[int | None] = mapped_column(
        ForeignKey("patients.id", ondelete="SET NULL"), index=True
    )
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    # patient | practice | counsellor (for the person, under their consent)
    booked_by: Mapped[str] = mapped_column(String(16), default="patient")
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosks.id"))
    first_visit: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[AppointmentStatus] = mapped_column(
        _enum(AppointmentStatus), default=AppointmentStatus.PENDING
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    hold_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by: Mapped[str | None] = mapped_column(String(16))  # patient | practice
    missed_excused: Mapped[bool | None] = mapped_column(Boolean)

    slot: Mapped[Slot] = relationship()
    practitioner: Mapped[Practitioner] = relationship()
    place: Mapped[Place] = relationship()
    motive: Mapped[Motive] = relationship()
    patient: Mapped[Patient | None] = relationship()


class WaitlistEntry(Base):
    """Seed 003: a freed slot is offered to the waiting list; the first to book gets it."""

    __tablename__ = "waitlist"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    practitioner_id: Mapped[int] = mapped_column(
        ForeignKey("practitioners.id", ondelete="CASCADE"), index=True
    )
    motive_id: Mapped[int | None] = mapped_column(ForeignKey("motives.id", ondelete="CASCADE"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_notified_at: Mapped[datetime | None] = mapped_column(DateTime)


class IdempotencyRecord(Base):
    """The first answer to a write, replayed when the same key comes again."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_idempotency_scope_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(100))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)  # None while in progress
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


# ------------------------------------------------------------------- call-backs


class CallbackRequest(Base):
    """A caller on a kiosk's telephone line asked a counsellor of the centre to call them back.

    The number is kept only until the call-back is done; the step says where the person was
    stuck, never anything about them.
    """

    __tablename__ = "callback_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"))  # whose line took the call
    phone: Mapped[str | None] = mapped_column(String(20))  # E.164; None once called back
    step: Mapped[str] = mapped_column(String(60))  # journey step, e.g. "booking.slot"
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)

    kiosk: Mapped[Kiosk] = relationship()


# ----------------------------------------------------------------- counsellors


class Counsellor(Base):
    """A digital-inclusion counsellor of the centre: signs in to the dashboard with a password
    and a time-based code (TOTP) from an authenticator app."""

    __tablename__ = "counsellors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    login: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(80))  # shown to visitors: "Camille arrive"
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret: Mapped[str] = mapped_column(String(64))
    totp_last_step: Mapped[int] = mapped_column(BigInteger, default=0)  # no code used twice
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Wrong passwords or codes in the current window, and the lockout they caused.
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CounsellorSession(Base):
    """A dashboard session. `second_factor_at` is None until the TOTP code was given: until
    then the session opens nothing but the code page. Only a hash of the token is stored."""

    __tablename__ = "counsellor_sessions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    second_factor_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    counsellor: Mapped[Counsellor] = relationship()


class HelpRequest(Base):
    """A visitor pressed "Aide" at a kiosk. A counsellor answers "J'arrive", then closes it;
    the kiosk closes it too when the visitor's session ends. Nothing about the person."""

    __tablename__ = "help_requests"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"), index=True)
    step: Mapped[str] = mapped_column(String(60))
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    coming_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    coming_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    kiosk: Mapped[Kiosk] = relationship()
    coming: Mapped[Counsellor | None] = relationship()


class JourneyRun(Base):
    """One journey done or given up at a kiosk, for the centre's statistics: which journey,
    how it ended, the last step reached, how long it took, and the day. No person, no time
    of day (a kiosk and an hour could point at someone)."""

    __tablename__ = "journey_runs"
    __table_args__ = (Index("ix_journey_runs_day", "day"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kiosk_id: Mapped[int] = mapped_column(ForeignKey("kiosks.id"))
    journey: Mapped[str] = mapped_column(String(80))  # the journey's title
    completed: Mapped[bool] = mapped_column(Boolean)
    last_step: Mapped[str] = mapped_column(String(60))
    seconds: Mapped[int] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)


class Mandate(Base):
    """A visitor's consent that the centre's counsellors act for them: book, move and cancel
    medical appointments, for a limited time, until it ends or the visitor revokes it.

    Confirmed by a code sent to the visitor's phone (asked from the dashboard) or by the
    visitor at a kiosk, signed in with their own code (asked from their account).
    """

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    scope: Mapped[str] = mapped_column(String(20), default="appointments")
    duration: Mapped[str] = mapped_column(String(10))  # visit | day | month | year
    confirmed_by: Mapped[str] = mapped_column(String(10))  # sms_code | kiosk
    granted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    counsellor: Mapped[Counsellor | None] = relationship()


class JournalEntry(Base):
    """What was done for a visitor, by whom, when: never a medical detail (no practitioner,
    no specialty, no motive), only the appointment's reference. Rows are only ever added
    (`server.services.journal` refuses changes); they go with the account when it is erased.
    """

    __tablename__ = "journal"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    counsellor_name: Mapped[str] = mapped_column(String(80))  # kept as it was then
    action: Mapped[str] = mapped_column(String(30))
    patient: Mapped[str | None] = mapped_column(String(80))  # for whom: a first name
    reference: Mapped[str | None] = mapped_column(String(20))  # the appointment's reference
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# -------------------------------------------------------------- notifications


class OutboxMessage(Base):
    """A message to send. Workers claim a row before sending, so each goes out once."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # confirmation, reminder, change, …
    channel: Mapped[str] = mapped_column(String(8))  # sms | email
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8), default="fr")
    appointment_id: Mapped[int | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_by: Mapped[str | None] = mapped_column(String(64))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


# ------------------------------------------------------------------- sync feed


class DirectoryChange(Base):
    """One row per change to the directory or to slot availability, read by kiosks' sync.

    On PostgreSQL `txid` records the writing transaction, so a reader never skips a row
    that commits late (see services/sync.py).
    """

    __tablename__ = "directory_changes"
    __table_args__ = (Index("ix_directory_changes_txid", "txid", "id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    txid: Mapped[int | None] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(16))  # practitioner | place | motive | slot
    entity_id: Mapped[int] = mapped_column(BigInteger)
    practitioner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
