"""Helping a visitor: record their consent, then book, move or cancel for them; the journal.

The rules are in `server.services.assistance`: these pages only ask and show. Every page
about a person needs their consent in force (`assistance.acting_for`); without it, the
answer is a page that says how to ask for it. The phone number never goes in an address:
it travels in form bodies only. Account, appointment and practitioner ids may.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import qrcode
import qrcode.constants
import qrcode.image.svg
from babel.dates import format_datetime
from fastapi import APIRouter, Form, Request, Response
from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse

from server.api.deps import get_db, get_settings
from server.clock import utcnow
from server.config import Settings
from server.dashboard import french
from server.dashboard.guard import PREFIX, DashboardRoute, SameOrigin, SignedIn
from server.dashboard.pages import page
from server.errors import ApiError
from server.models import Account, Appointment, AppointmentStatus, Counsellor, Motive, Slot
from server.services import assistance, booking, directory, journal, presence
from server.services.counsellors import SessionCheck
from server.services.notifications import appointment_facts
from server.services.phones import format_phone_fr
from server.services.search import search_practitioners
from server.services.specialties import SPECIALTIES

HOME = f"{PREFIX}/personnes"
MAX_TIMES = 20  # free times offered on one page
SLOT_DAYS = 30  # looked at ahead, below directory.MAX_SLOT_DAYS
RESULTS = 10  # practitioners shown for one search
RADIUS_KM = 20

CHOICES = {
    "visit": "Pendant cette visite",
    "day": "Pendant 1 jour",
    "month": "Pendant 1 mois",
    "year": "Pendant 1 an",
}
NOTICES = {
    "retire": "L'accord est retiré. Les conseillers ne peuvent plus agir pour cette personne.",
    "pris": "Le rendez-vous est pris. Il est noté dans le journal.",
    "change": "L'horaire du rendez-vous est changé. C'est noté dans le journal.",
    "annule": "Le rendez-vous est annulé. C'est noté dans le journal.",
}
# The services' field names, as the pages name their fields.
FIELDS = {
    "phone": "phone",
    "code": "code",
    "specialty": "specialite",
    "near": "ville",
    "commune": "ville",
    "q": "nom",
    "patient_id": "pour",
    "motive_id": "motif",
    "first_visit": "premiere",
    "slot_id": "horaire",
}


@dataclass(frozen=True)
class Problem:
    """What went wrong, and the field it is about (None: the whole form)."""

    field: str | None
    message: str


def _problem(refused: ApiError) -> Problem:
    return Problem(FIELDS.get(refused.field or ""), refused.message)


# ----------------------------------------------------------------- refusals


class _NoConsent(Exception):
    def __init__(self, me: SessionCheck, message: str, status: int) -> None:
        super().__init__(message)
        self.me, self.message, self.status = me, message, status


class _PersonRoute(DashboardRoute):
    """A dashboard route whose refusal for lack of consent links to asking for it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def refused(request: Request) -> Response:
            try:
                return await handler(request)
            except _NoConsent as no:
                context = _ctx(no.me, message=no.message)
                return page(request, "personne-refus.html", context, no.status)

        return refused


router = APIRouter(prefix=PREFIX, route_class=_PersonRoute, include_in_schema=False)


def _ctx(me: SessionCheck, **more: Any) -> dict[str, Any]:  # noqa: ANN401
    return {"me": me, "here": "personnes", **more}


def _acting(db: Session, account_id: int, me: SessionCheck) -> Account:
    try:
        return assistance.acting_for(db, account_id)
    except ApiError as refused:
        raise _NoConsent(me, refused.message, refused.status) from refused


def _zone(request: Request) -> ZoneInfo:
    return ZoneInfo(get_settings(request).timezone)


def _to(location: str) -> Response:
    return RedirectResponse(location, status_code=303)


def _number(text: str | None) -> int | None:
    """A positive id typed in a form or an address, or None."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and 0 < len(text) < 16 else None


# ------------------------------------------------------------ how things read


def _day(moment: datetime, zone: ZoneInfo) -> str:
    """ "mardi 24 novembre 2026", from a stored naive UTC time."""
    return format_datetime(moment.replace(tzinfo=UTC), "EEEE d MMMM y", tzinfo=zone, locale="fr_FR")


def _hour(moment: datetime, zone: ZoneInfo) -> str:
    """ "14 h 30"."""
    return format_datetime(moment.replace(tzinfo=UTC), "H 'h' mm", tzinfo=zone, locale="fr_FR")


def _person_name(person: Any) -> str:  # noqa: ANN401 - a Patient
    return " ".join(part for part in (person.first_name, person.last_name) if part) or "Sans nom"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    role: str  # "Titulaire du compte", "Proche : enfant"


def _people(account: Account) -> list[Person]:
    return [
        Person(
            id=p.id,
            name=_person_name(p),
            role="Titulaire du compte"
            if p.is_account_holder
            else f"Proche : {p.relationship_label}"
            if p.relationship_label
            else "Proche",
        )
        for p in account.patients
    ]


@dataclass(frozen=True)
class AppointmentView:
    id: int
    when: str  # "mardi 24 novembre 2026 à 14 h 30"
    day: str
    hour: str
    practitioner: str
    address: str
    phone: str | None
    for_whom: str
    reference: str
    changeable: bool  # online, before the deadline


def _appointment(appointment: Appointment, settings: Settings, zone: ZoneInfo) -> AppointmentView:
    facts = appointment_facts(appointment.practitioner, appointment.place, appointment.starts_at)
    return AppointmentView(
        id=appointment.id,
        when=french.full_datetime(appointment.starts_at, zone),
        day=_day(appointment.starts_at, zone),
        hour=_hour(appointment.starts_at, zone),
        practitioner=facts.practitioner,
        address=facts.address,
        phone=facts.phone,
        for_whom=_person_name(appointment.patient) if appointment.patient else "Personne effacée",
        reference=appointment.reference,
        changeable=booking.cancellable_online(appointment, settings),
    )


@dataclass(frozen=True)
class JournalLine:
    when: str
    who: str
    what: str
    for_whom: str
    reference: str


def _journal(db: Session, account_id: int, zone: ZoneInfo) -> list[JournalLine]:
    return [
        JournalLine(
            when=french.full_datetime(entry.at, zone),
            who=entry.counsellor_name or "La personne elle-même",
            what=journal.ACTIONS.get(entry.action, entry.action),
            for_whom=entry.patient or "Tout le compte",
            reference=entry.reference or "Aucune",
        )
        for entry in journal.entries(db, account_id)
    ]


@dataclass(frozen=True)
class Time:
    slot_id: int
    hour: str


@dataclass(frozen=True)
class Day:
    title: str
    times: list[Time]


def _free_times(db: Session, settings: Settings, practitioner_id: int, motive_id: int) -> list[Day]:
    """The next free times for this motive, at most MAX_TIMES, by local day."""
    zone = ZoneInfo(settings.timezone)
    today = utcnow().replace(tzinfo=UTC).astimezone(zone).date()
    listing = directory.free_slots(
        db,
        settings,
        practitioner_id=practitioner_id,
        motive_id=motive_id,
        start=today,
        end=today + timedelta(days=SLOT_DAYS),
    )
    days, left = [], MAX_TIMES
    for found in listing.days:
        if left <= 0:
            break
        slots = found.slots[:left]
        left -= len(slots)
        days.append(
            Day(french.full_date(found.day), [Time(s.id, _hour(s.starts_at, zone)) for s in slots])
        )
    return days


# ------------------------------------------------------------------ consent


@router.get("/personnes")
def find_form(request: Request, me: SignedIn, avis: str | None = None):
    notice = NOTICES.get(avis or "") if avis == "retire" else None
    return page(request, "personne-numero.html", _ctx(me, phone="", notice=notice))


@router.post("/personnes", dependencies=[SameOrigin])
def find(request: Request, me: SignedIn, phone: Annotated[str, Form()] = "") -> Response:
    """A known number: the person's page when a consent is in force, else the consent."""
    try:
        with get_db(request).reading() as db:
            account = assistance.account_by_phone(db, phone)
            in_force = assistance.current(db, account.id) is not None
    except ApiError as refused:
        context = _ctx(me, phone=phone, error=Problem("phone", refused.message))
        return page(request, "personne-numero.html", context, 422)
    if in_force:
        return _to(f"{HOME}/{account.id}")
    return _consent_page(request, me, account.phone, "visit")


def _known(duration: str) -> str:
    """A consent's duration from a form; anything else is this visit, the shortest."""
    return duration if duration in assistance.DURATIONS else "visit"


def _consent_page(
    request: Request,
    me: SessionCheck,
    phone: str,
    duration: str,
    error: Problem | None = None,
    status: int = 200,
) -> Response:
    context = _ctx(
        me,
        phone=phone,
        shown_phone=format_phone_fr(phone),
        duration=duration,
        text=assistance.consent_text(duration),
        choices=[(key, words, assistance.consent_text(key)[-1]) for key, words in CHOICES.items()],
        error=error,
    )
    return page(request, "personne-accord.html", context, status)


@router.post("/personnes/accord", dependencies=[SameOrigin])
def ask(
    request: Request,
    me: SignedIn,
    phone: Annotated[str, Form()] = "",
    duration: Annotated[str, Form()] = "visit",
    action: Annotated[str, Form()] = "envoyer",
) -> Response:
    """Send the code to the person's phone; or, without JavaScript, show the text again
    for the chosen duration."""
    duration = _known(duration)
    if action == "texte":
        return _consent_page(request, me, phone, duration)
    try:
        with get_db(request).writing() as db:
            asked = assistance.ask_by_code(db, get_settings(request), phone=phone)
    except ApiError as refused:
        return _consent_page(request, me, phone, duration, Problem(None, refused.message), 422)
    return _code_page(request, me, asked.verification_id, duration)


def _code_page(
    request: Request,
    me: SessionCheck,
    verification_id: str,
    duration: str,
    code: str = "",
    error: Problem | None = None,
    status: int = 200,
) -> Response:
    context = _ctx(
        me,
        verification_id=verification_id,
        duration=duration,
        last_sentence=assistance.consent_text(duration)[-1],
        code=code,
        error=error,
    )
    return page(request, "personne-code.html", context, status)


@router.post("/personnes/code", dependencies=[SameOrigin])
def confirm(
    request: Request,
    me: SignedIn,
    verification_id: Annotated[str, Form()] = "",
    duration: Annotated[str, Form()] = "visit",
    code: Annotated[str, Form()] = "",
) -> Response:
    duration = _known(duration)
    try:
        with get_db(request).writing() as db:
            mandate = assistance.confirm_by_code(
                db,
                get_settings(request),
                counsellor=db.get(Counsellor, me.counsellor_id),
                verification_id=verification_id,
                code=code,
                duration=duration,
            )
            account_id = mandate.account_id
    except ApiError as refused:
        problem = Problem("code", refused.message)
        return _code_page(request, me, verification_id, duration, code, problem, 422)
    return _to(f"{HOME}/{account_id}")


# ------------------------------------------------------------- the person


@router.get("/personnes/{account_id}")
def person(request: Request, account_id: int, me: SignedIn, avis: str | None = None):
    """Consulting the appointments is journaled: once per page view."""
    settings, zone = get_settings(request), _zone(request)
    with get_db(request).writing() as db:
        account = _acting(db, account_id, me)
        counsellor = db.get(Counsellor, me.counsellor_id)
        now = utcnow()
        upcoming = [
            _appointment(a, settings, zone)
            for a in assistance.appointments_for(db, account_id, counsellor)
            if a.starts_at >= now
            and a.status in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
        ]
        mandate = assistance.current(db, account_id)
        context = _ctx(
            me,
            account_id=account_id,
            until=french.full_datetime(mandate.expires_at, zone),
            people=_people(account),
            appointments=upcoming,
            journal=_journal(db, account_id, zone),
            notice=NOTICES.get(avis or "") if avis != "retire" else None,
        )
    return page(request, "personne.html", context)


@router.post("/personnes/{account_id}/retirer", dependencies=[SameOrigin])
def revoke(request: Request, account_id: int, me: SignedIn) -> Response:
    with get_db(request).writing() as db:
        assistance.revoke(db, account_id, by=db.get(Counsellor, me.counsellor_id))
    return _to(f"{HOME}?avis=retire")


# ------------------------------------------------------------------ booking


@dataclass(frozen=True)
class Found:
    practitioner_id: int
    name: str
    specialty: str
    address: str
    next_time: str


@router.get("/personnes/{account_id}/recherche")
def search(
    request: Request,
    account_id: int,
    me: SignedIn,
    specialite: str = "",
    ville: str = "",
    nom: str = "",
):
    """A specialty and a town, or a name: the practitioners who take appointments online."""
    settings, zone = get_settings(request), _zone(request)
    specialite, ville, nom = specialite.strip()[:100], ville.strip()[:100], nom.strip()[:200]
    asked = bool(specialite or ville or nom)
    results: list[Found] = []
    error = None
    with get_db(request).reading() as db:
        _acting(db, account_id, me)
        if asked:
            kiosks = presence.centre_kiosks(db)
            try:
                found = search_practitioners(
                    db,
                    q=nom or None,
                    specialty=specialite or None,
                    near=ville or None,
                    radius_km=RADIUS_KM,
                    limit=RESULTS * 2,
                    offset=0,
                    default_near=kiosks[0].commune_insee if kiosks else None,
                    settings=settings,
                )
            except ApiError as refused:
                error, found = _problem(refused), []
            for result in found:
                if not result.bookable_online or len(results) >= RESULTS:
                    continue
                place = result.place
                town = " ".join(p for p in (place.postcode, place.city) if p) if place else ""
                results.append(
                    Found(
                        practitioner_id=result.practitioner_id,
                        name=_practitioner_name(
                            result.civility, result.first_name, result.last_name
                        ),
                        specialty=result.specialty_label or "Spécialité non précisée",
                        address=", ".join(p for p in (place.address, town) if p) if place else "",
                        next_time=french.full_datetime(result.next_free_slot, zone)
                        if result.next_free_slot
                        else "Aucun horaire libre pour le moment",
                    )
                )
    context = _ctx(
        me,
        account_id=account_id,
        specialties=sorted(SPECIALTIES, key=lambda s: s.label),
        specialite=specialite,
        ville=ville,
        nom=nom,
        asked=asked,
        results=results,
        error=error,
    )
    return page(request, "personne-recherche.html", context, 422 if error else 200)


def _practitioner_name(civility: str | None, first_name: str, last_name: str) -> str:
    words = (directory.CIVILITIES.get(civility or ""), first_name, last_name)
    return " ".join(w for w in words if w)


@dataclass
class Choice:
    """What the counsellor chose with the person; None until chosen."""

    patient: int | None = None
    motive: int | None = None
    first: str | None = None  # "oui" | "non"
    slot: int | None = None

    @classmethod
    def read(cls, pour: str | None, motif: str | None, premiere: str | None, horaire: str | None):  # noqa: ANN206
        return cls(
            _number(pour),
            _number(motif),
            premiere if premiere in ("oui", "non") else None,
            _number(horaire),
        )

    def missing(self) -> list[Problem]:
        checks = (
            (self.patient, "pour", "Choisissez pour qui est le rendez-vous."),
            (self.motive, "motif", "Choisissez le motif du rendez-vous."),
            (self.first, "premiere", "Dites si c'est la première visite chez ce praticien."),
            (self.slot, "horaire", "Choisissez un horaire."),
        )
        return [Problem(field, message) for value, field, message in checks if value is None]


@dataclass(frozen=True)
class MotiveView:
    id: int
    label: str
    detail: str


def _motives(db: Session, practitioner_id: int) -> list[MotiveView]:
    return [
        MotiveView(
            m.id,
            m.label,
            ", ".join(
                w
                for w in (
                    directory.MODALITIES.get(m.modality, "").lower(),
                    None if m.open_to_new_patients else "seulement pour les patients déjà suivis",
                )
                if w
            ),
        )
        for m in directory.active_motives(db, practitioner_id)
    ]


@dataclass(frozen=True)
class PractitionerView:
    id: int
    name: str
    specialty: str
    address: str
    phone: str | None


def _practitioner(db: Session, practitioner_id: int) -> PractitionerView:
    card = directory.practitioner_card(db, practitioner_id)
    place = card.places[0] if card.places else None
    facts = appointment_facts(card, place, utcnow()) if place else None
    return PractitionerView(
        id=card.id,
        name=_practitioner_name(card.civility, card.first_name, card.last_name),
        specialty=card.specialty.label if card.specialty else "Spécialité non précisée",
        address=facts.address if facts else "",
        phone=facts.phone if facts else None,
    )


def _choose_page(
    request: Request,
    me: SessionCheck,
    account_id: int,
    practitioner_id: int,
    choice: Choice,
    problems: list[Problem] | None = None,
    status: int = 200,
) -> Response:
    settings = get_settings(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        practitioner = _practitioner(db, practitioner_id)
        motives = _motives(db, practitioner_id)
        if choice.motive not in {m.id for m in motives}:
            choice.motive = None
        days = _free_times(db, settings, practitioner_id, choice.motive) if choice.motive else []
        people = _people(account)
    context = _ctx(
        me,
        account_id=account_id,
        practitioner=practitioner,
        people=[(p.id, f"{p.name}, {p.role[0].lower()}{p.role[1:]}") for p in people],
        motives=[(m.id, f"{m.label} ({m.detail})" if m.detail else m.label) for m in motives],
        days=days,
        choice=choice,
        errors={p.field: p.message for p in problems or [] if p.field},
        error=next((p.message for p in problems or [] if not p.field), None),
    )
    return page(request, "personne-praticien.html", context, status)


@router.get("/personnes/{account_id}/praticiens/{practitioner_id}")
def choose(
    request: Request,
    account_id: int,
    practitioner_id: int,
    me: SignedIn,
    pour: str | None = None,
    motif: str | None = None,
    premiere: str | None = None,
    horaire: str | None = None,
):
    """For whom, the motive, first visit or not; then, once the motive is known, a free time."""
    choice = Choice.read(pour, motif, premiere, horaire)
    return _choose_page(request, me, account_id, practitioner_id, choice)


@router.get("/personnes/{account_id}/praticiens/{practitioner_id}/verifier")
def review(
    request: Request,
    account_id: int,
    practitioner_id: int,
    me: SignedIn,
    pour: str | None = None,
    motif: str | None = None,
    premiere: str | None = None,
    horaire: str | None = None,
):
    """Everything chosen, once more, before "Confirmer"."""
    choice = Choice.read(pour, motif, premiere, horaire)
    if problems := choice.missing():
        return _choose_page(request, me, account_id, practitioner_id, choice, problems, 422)
    zone = _zone(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        practitioner = _practitioner(db, practitioner_id)
        patient = next((p for p in account.patients if p.id == choice.patient), None)
        motive = db.get(Motive, choice.motive)
        slot = db.get(Slot, choice.slot)
        problems = []
        if patient is None:
            problems.append(Problem("pour", "Cette personne est introuvable."))
        if motive is None or motive.practitioner_id != practitioner_id:
            problems.append(Problem("motif", "Ce motif est introuvable."))
        if slot is None or slot.practitioner_id != practitioner_id or slot.taken or slot.closed:
            problems.append(Problem("horaire", booking.SLOT_TAKEN))
        if not problems:
            context = _ctx(
                me,
                account_id=account_id,
                practitioner=practitioner,
                for_whom=_person_name(patient),
                motive=motive.label,
                first="Oui" if choice.first == "oui" else "Non",
                day=_day(slot.starts_at, zone),
                hour=_hour(slot.starts_at, zone),
                choice=choice,
            )
    if problems:
        return _choose_page(request, me, account_id, practitioner_id, choice, problems, 409)
    return page(request, "personne-verifier.html", context)


@router.post(
    "/personnes/{account_id}/praticiens/{practitioner_id}/reserver", dependencies=[SameOrigin]
)
def book(
    request: Request,
    account_id: int,
    practitioner_id: int,
    me: SignedIn,
    pour: Annotated[str, Form()] = "",
    motif: Annotated[str, Form()] = "",
    premiere: Annotated[str, Form()] = "",
    horaire: Annotated[str, Form()] = "",
) -> Response:
    choice = Choice.read(pour, motif, premiere, horaire)
    if problems := choice.missing():
        return _choose_page(request, me, account_id, practitioner_id, choice, problems, 422)
    try:
        with get_db(request).writing() as db:
            _acting(db, account_id, me)
            slot = db.get(Slot, choice.slot)
            if slot is None or slot.practitioner_id != practitioner_id:
                raise ApiError(404, "not_found", "Ce créneau est introuvable.", "slot_id")
            assistance.book_for(
                db,
                get_settings(request),
                counsellor=db.get(Counsellor, me.counsellor_id),
                account_id=account_id,
                slot_id=choice.slot,
                motive_id=choice.motive,
                patient_id=choice.patient,
                first_visit=choice.first == "oui",
            )
    except ApiError as refused:
        problem = _problem(refused)
        if problem.field == "horaire":
            choice.slot = None  # that time is gone: choose another
        return _choose_page(
            request, me, account_id, practitioner_id, choice, [problem], refused.status
        )
    return _to(f"{HOME}/{account_id}?avis=pris")


# ------------------------------------------------------- move and cancel


def _move_page(
    request: Request,
    me: SessionCheck,
    account_id: int,
    appointment_id: int,
    slot: int | None = None,
    problem: Problem | None = None,
    status: int = 200,
) -> Response:
    settings, zone = get_settings(request), _zone(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        found = booking.appointment_of_account(db, account, appointment_id)
        shown = _appointment(found, settings, zone)
        days = _free_times(db, settings, found.practitioner_id, found.motive_id)
        days = [Day(d.title, [t for t in d.times if t.slot_id != found.slot_id]) for d in days]
    context = _ctx(
        me,
        account_id=account_id,
        appointment=shown,
        days=[d for d in days if d.times],
        slot=slot,
        errors={problem.field: problem.message} if problem and problem.field else {},
        error=problem.message if problem and not problem.field else None,
    )
    return page(request, "personne-changer.html", context, status)


@router.get("/personnes/{account_id}/rendez-vous/{appointment_id}/changer")
def move_form(
    request: Request,
    account_id: int,
    appointment_id: int,
    me: SignedIn,
    horaire: str | None = None,
):
    """Another free time of the same practitioner, for the same motive."""
    return _move_page(request, me, account_id, appointment_id, _number(horaire))


@router.get("/personnes/{account_id}/rendez-vous/{appointment_id}/changer/verifier")
def move_review(
    request: Request,
    account_id: int,
    appointment_id: int,
    me: SignedIn,
    horaire: str | None = None,
):
    slot_id = _number(horaire)
    if slot_id is None:
        problem = Problem("horaire", "Choisissez un nouvel horaire.")
        return _move_page(request, me, account_id, appointment_id, None, problem, 422)
    settings, zone = get_settings(request), _zone(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        found = booking.appointment_of_account(db, account, appointment_id)
        shown = _appointment(found, settings, zone)
        slot = db.get(Slot, slot_id)
        free = (
            slot is not None
            and slot.practitioner_id == found.practitioner_id
            and not slot.taken
            and not slot.closed
        )
        if free:
            context = _ctx(
                me,
                account_id=account_id,
                appointment=shown,
                day=_day(slot.starts_at, zone),
                hour=_hour(slot.starts_at, zone),
                slot=slot_id,
            )
    if not free:
        problem = Problem("horaire", booking.SLOT_TAKEN)
        return _move_page(request, me, account_id, appointment_id, None, problem, 409)
    return page(request, "personne-changer-verifier.html", context)


@router.post(
    "/personnes/{account_id}/rendez-vous/{appointment_id}/changer", dependencies=[SameOrigin]
)
def move(
    request: Request,
    account_id: int,
    appointment_id: int,
    me: SignedIn,
    horaire: Annotated[str, Form()] = "",
) -> Response:
    slot_id = _number(horaire)
    if slot_id is None:
        problem = Problem("horaire", "Choisissez un nouvel horaire.")
        return _move_page(request, me, account_id, appointment_id, None, problem, 422)
    try:
        with get_db(request).writing() as db:
            _acting(db, account_id, me)
            assistance.move_for(
                db,
                get_settings(request),
                counsellor=db.get(Counsellor, me.counsellor_id),
                account_id=account_id,
                appointment_id=appointment_id,
                slot_id=slot_id,
            )
    except ApiError as refused:
        problem = _problem(refused)
        return _move_page(request, me, account_id, appointment_id, None, problem, refused.status)
    return _to(f"{HOME}/{account_id}?avis=change")


def _cancel_page(
    request: Request,
    me: SessionCheck,
    account_id: int,
    appointment_id: int,
    error: str | None = None,
    status: int = 200,
) -> Response:
    settings, zone = get_settings(request), _zone(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        found = booking.appointment_of_account(db, account, appointment_id)
        shown = _appointment(found, settings, zone)
    context = _ctx(me, account_id=account_id, appointment=shown, error=error)
    return page(request, "personne-annuler.html", context, status)


@router.get("/personnes/{account_id}/rendez-vous/{appointment_id}/annuler")
def cancel_form(request: Request, account_id: int, appointment_id: int, me: SignedIn):
    return _cancel_page(request, me, account_id, appointment_id)


@router.post(
    "/personnes/{account_id}/rendez-vous/{appointment_id}/annuler", dependencies=[SameOrigin]
)
def cancel(request: Request, account_id: int, appointment_id: int, me: SignedIn) -> Response:
    try:
        with get_db(request).writing() as db:
            _acting(db, account_id, me)
            assistance.cancel_for(
                db,
                get_settings(request),
                counsellor=db.get(Counsellor, me.counsellor_id),
                account_id=account_id,
                appointment_id=appointment_id,
            )
    except ApiError as refused:
        return _cancel_page(
            request, me, account_id, appointment_id, refused.message, refused.status
        )
    return _to(f"{HOME}/{account_id}?avis=annule")


# ------------------------------------------------------- the printed sheet


@router.get("/personnes/{account_id}/rendez-vous/{appointment_id}/fiche")
def sheet(request: Request, account_id: int, appointment_id: int, me: SignedIn):
    """An A4 sheet for the person: when, who, where, how to cancel, and a QR code that adds
    the appointment to a phone's calendar. Never the motive: a sheet can be left behind."""
    settings, zone = get_settings(request), _zone(request)
    with get_db(request).reading() as db:
        account = _acting(db, account_id, me)
        found = booking.appointment_of_account(db, account, appointment_id)
        shown = _appointment(found, settings, zone)
        event = calendar_event(found, shown)
    context = _ctx(
        me,
        account_id=account_id,
        appointment=shown,
        deadline_hours=settings.cancel_deadline_hours,
        qr=qr_svg(event),
    )
    return page(request, "personne-fiche.html", context)


def calendar_event(appointment: Appointment, shown: AppointmentView) -> str:
    """The appointment as an iCalendar event (RFC 5545): times in UTC, no motive."""

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return (
            value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        )

    details = f"Référence {shown.reference}."
    if shown.phone:
        details += f" Cabinet : {shown.phone}."
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Kiosque santé//Fiche de rendez-vous//FR",
        "BEGIN:VEVENT",
        f"UID:{shown.reference}@kiosque-sante",
        f"DTSTAMP:{stamp(utcnow())}",
        f"DTSTART:{stamp(appointment.starts_at)}",
        f"DTEND:{stamp(appointment.ends_at)}",
        f"SUMMARY:{text(f'Rendez-vous avec {shown.practitioner}')}",
        f"LOCATION:{text(shown.address)}",
        f"DESCRIPTION:{text(details)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def qr_svg(data: str) -> Markup:
    """A QR code as inline SVG (a data: image would be blocked by the page's CSP)."""
    image = qrcode.make(
        data,
        image_factory=qrcode.image.svg.SvgPathImage,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", image.to_string(encoding="unicode"))
    svg = svg.replace(
        "<svg ",
        '<svg class="personne-qr" role="img" aria-label="Code QR du rendez-vous" ',
        1,
    )
    return Markup(svg)  # noqa: S704 - drawn by qrcode from our own text, no markup inside
