"""The workshop page: set an exercise for the centre's kiosks, follow each participant, reset
a kiosk to the start of its exercise, end the workshop.

The page's live part (the participants and the exercise phone) is one `WorkshopLive` value:
the stream (`/conseil/atelier/flux`) sends it again whenever its fingerprint changes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Form, Request, Response
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse

from server.api.deps import get_db, get_settings
from server.clock import utcnow
from server.dashboard import french
from server.dashboard.guard import PREFIX, Refused, SameOrigin, SignedIn, dashboard_router
from server.dashboard.pages import page
from server.db import Database
from server.models import Kiosk
from server.services import presence, workshop
from server.services.phones import format_phone_fr

router = dashboard_router()

PAGE = f"{PREFIX}/atelier"
STARTED = "L'exercice est commencé. Les bornes choisies le reçoivent dans quelques secondes."
ENDED = (
    "L'atelier est terminé. Les bornes sont revenues à l'usage habituel "
    "et tout ce que les participants ont tapé est effacé."
)
NO_EXERCISE = "Choisissez un exercice."
NO_KIOSK = "Choisissez au moins une borne."
UNKNOWN_EXERCISE = "Cet exercice n'est proposé par aucune borne. Choisissez-en un autre."


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    name: str
    exercise: str  # the exercise's title, as the kiosk reported it
    shows: str  # "Prendre un rendez-vous, étape 2 sur 6" or "Accueil"
    done: bool
    mistakes: int  # answers refused in a row at the step shown
    online: bool


@dataclass(frozen=True)
class MessageRow:
    received: str  # "il y a 2 minutes"
    phone: str  # "06 12 34 56 78"
    text: str


@dataclass(frozen=True)
class WorkshopLive:
    participants: list[ParticipantRow]
    messages: list[MessageRow]

    def fingerprint(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()


@dataclass(frozen=True)
class Choice:
    id: str
    title: str


@dataclass(frozen=True)
class KioskChoice:
    id: int
    name: str
    online: bool
    exercise: str | None  # the title of the exercise it works on, if in the workshop


@dataclass
class StartForm:
    """What the "Commencer un exercice" form offers, what was chosen, and what was wrong."""

    exercises: list[Choice]
    kiosks: list[KioskChoice]
    exercise: str = ""
    chosen: set[int] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)  # field name → French message


def read_live(request: Request) -> WorkshopLive:
    """The live part now, read from the centre's database and the workshops' sandbox."""
    zone = ZoneInfo(get_settings(request).timezone)
    with get_db(request).reading() as db:
        return live(db, request.app.state.sandbox, zone)


def live(db: Session, sandbox: Database, zone: ZoneInfo) -> WorkshopLive:
    now = utcnow()
    kiosks = sorted(workshop.in_workshop(db), key=lambda kiosk: (kiosk.name, kiosk.id))
    return WorkshopLive(
        participants=[
            ParticipantRow(
                id=kiosk.id,
                name=kiosk.name,
                exercise=_title(kiosk, kiosk.workshop_exercise),
                shows=_shows(kiosk.journey, kiosk.progress),
                done=kiosk.exercise_done,
                mistakes=kiosk.mistakes or 0,
                online=presence.is_online(kiosk, now),
            )
            for kiosk in kiosks
        ],
        messages=_messages(sandbox, now, zone) if kiosks else [],
    )


def _messages(sandbox: Database, now: datetime, zone: ZoneInfo) -> list[MessageRow]:
    try:
        with sandbox.reading() as box:
            return [
                MessageRow(
                    received=french.ago(message.created_at, now, zone),
                    phone=format_phone_fr(message.recipient),
                    text=message.body,
                )
                for message in workshop.exercise_messages(box, now=now)
            ]
    except (OperationalError, ProgrammingError):
        # The sandbox is being built or wiped at this very moment: nothing to show yet.
        return []


def _title(kiosk: Kiosk, exercise: str | None) -> str:
    for offered in kiosk.exercises or []:
        if offered["id"] == exercise:
            return offered["title"]
    return exercise or ""


def _shows(journey: str | None, progress: str | None) -> str:
    """As the home page writes it."""
    if not journey:
        return "Accueil"
    return f"{journey}, {french.progress(progress)}" if progress else journey


def _start_form(db: Session) -> StartForm:
    """The exercises the kiosks reported (in their order, each once) and the kiosks; the
    online ones are checked."""
    now = utcnow()
    kiosks = presence.centre_kiosks(db)
    exercises: dict[str, Choice] = {}
    for kiosk in kiosks:
        for offered in kiosk.exercises or []:
            exercises.setdefault(offered["id"], Choice(offered["id"], offered["title"]))
    choices = [
        KioskChoice(
            id=kiosk.id,
            name=kiosk.name,
            online=presence.is_online(kiosk, now),
            exercise=_title(kiosk, kiosk.workshop_exercise) if kiosk.workshop_exercise else None,
        )
        for kiosk in kiosks
    ]
    return StartForm(
        list(exercises.values()),
        choices,
        chosen={kiosk.id for kiosk in choices if kiosk.online},
    )


def _page(request: Request, me, form: StartForm, notice: str | None = None) -> Response:  # noqa: ANN001
    zone = ZoneInfo(get_settings(request).timezone)
    with get_db(request).reading() as db:
        current = live(db, request.app.state.sandbox, zone)
    context = {"me": me, "form": form, "live": current, "notice": notice, "here": "atelier"}
    return page(request, "atelier.html", context)


@router.get("/atelier")
def workshop_page(
    request: Request, me: SignedIn, commence: str | None = None, termine: str | None = None
):
    with get_db(request).reading() as db:
        form = _start_form(db)
    notice = STARTED if commence else ENDED if termine else None
    return _page(request, me, form, notice)


@router.post("/atelier/commencer", dependencies=[SameOrigin])
def start(
    request: Request,
    me: SignedIn,
    exercise: Annotated[str, Form()] = "",
    kiosks: Annotated[list[str], Form()] = [],  # noqa: B006 - FastAPI copies the default
) -> Response:
    """Set the exercise for the kiosks checked; the first start builds the sandbox (a few
    seconds), which is why this route is a plain function run in a thread."""
    chosen = _kiosk_ids(kiosks)
    with get_db(request).writing() as db:
        form = _start_form(db)
        form.exercise, form.chosen = exercise, set(chosen)
        if not exercise:
            form.errors["exercise"] = NO_EXERCISE
        elif exercise not in {choice.id for choice in form.exercises}:
            form.errors["exercise"] = UNKNOWN_EXERCISE
        if not chosen:
            form.errors["kiosks"] = NO_KIOSK
        elif exercise and not form.errors:
            missing = _not_offering(db, chosen, exercise)
            if missing:
                form.errors["kiosks"] = _not_offered(missing)
        if not form.errors:
            workshop.start(db, request.app.state.sandbox, chosen, exercise)
    if form.errors:
        return _page(request, me, form)
    return RedirectResponse(f"{PAGE}?commence=1#participants", status_code=303)


@router.post("/atelier/{kiosk_id}/recommencer", dependencies=[SameOrigin])
def reset(request: Request, kiosk_id: int, _me: SignedIn) -> Response:
    """The kiosk ends the participant's session and goes back to the start of the exercise."""
    with get_db(request).writing() as db:
        workshop.reset(db, kiosk_id)
    return RedirectResponse(f"{PAGE}#participants", status_code=303)


@router.get("/atelier/terminer")
def end_confirmation(request: Request, me: SignedIn):
    with get_db(request).reading() as db:
        running = bool(workshop.in_workshop(db))
    return page(request, "atelier_fin.html", {"me": me, "running": running, "here": "atelier"})


@router.post("/atelier/terminer", dependencies=[SameOrigin])
def end(request: Request, _me: SignedIn) -> Response:
    """Every kiosk back to everyday use; the sandbox and all that was typed in it wiped."""
    with get_db(request).writing() as db:
        workshop.end(db, request.app.state.sandbox)
    return RedirectResponse(f"{PAGE}?termine=1", status_code=303)


def _kiosk_ids(values: list[str]) -> list[int]:
    if not all(value.isdigit() for value in values):
        raise Refused(422, "Cette borne est introuvable.")
    return list(dict.fromkeys(int(value) for value in values))


def _not_offering(db: Session, kiosk_ids: list[int], exercise: str) -> list[str]:
    """The names of the chosen kiosks that did not report this exercise."""
    names = []
    for kiosk_id in kiosk_ids:
        kiosk = db.get(Kiosk, kiosk_id)
        if kiosk is None:
            raise Refused(404, "Cette borne est introuvable.")
        if exercise not in {offered["id"] for offered in kiosk.exercises or []}:
            names.append(kiosk.name)
    return names


def _not_offered(names: list[str]) -> str:
    if len(names) == 1:
        return f"{names[0]} n'a pas signalé cet exercice : allumez-la d'abord, ou décochez-la."
    return (
        f"Ces bornes n'ont pas signalé cet exercice : {', '.join(names)}. "
        "Allumez-les d'abord, ou décochez-les."
    )
