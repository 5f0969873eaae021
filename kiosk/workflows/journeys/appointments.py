"""My appointments: those of the person and their relatives; confirm, cancel, move, or ask
to be told when an earlier time frees up (seed 001: "confirmer ou annuler un rendez-vous")."""

from __future__ import annotations

from kiosk.workflows.flow import Context
from kiosk.workflows.formats import phone_words
from kiosk.workflows.i18n import N_
from kiosk.workflows.journeys.booking import (
    DONE_CHOICES,
    after_done,
    chosen_slot,
    forget_slots,
    rebook,
    slot_options,
    start_booking,
)
from kiosk.workflows.journeys.words import when_words
from kiosk.workflows.services import Appointment, dump, load
from kiosk.workflows.steps import Journey, Kind, Option, Redirect, Step
from kiosk.workflows.ticket import ticket_for

UPCOMING = ("pending", "confirmed")
REBOOK = 2  # practitioners offered for "another appointment with…"


def _load(ctx: Context) -> list[Appointment]:
    if "appointments" not in ctx.data:
        ctx.data["appointments"] = dump(ctx.services.appointments())
    every = [load(Appointment, a) for a in ctx.data["appointments"]]
    return [a for a in every if a.status in UPCOMING]


def refresh(ctx: Context) -> None:
    ctx.data.pop("appointments", None)


def chosen(ctx: Context) -> Appointment:
    return next(a for a in _load(ctx) if a.id == ctx.answers["appointments.list"])


def _words(ctx: Context, a: Appointment) -> str:
    text = ctx.t(
        N_("{moment}. {who}."), moment=when_words(ctx, a.starts_at), who=a.practitioner_name
    )
    if a.patient_first_name:
        text += " " + ctx.t(N_("Pour {patient}."), patient=a.patient_first_name)
    return ctx.t(N_("À confirmer : {text}"), text=text) if a.status == "pending" else text


def _list(ctx: Context) -> list[Option]:
    """Upcoming appointments, then a new one with each practitioner already seen."""
    options = [Option(a.id, _words(ctx, a), "event") for a in _load(ctx)]
    seen: dict[int, str] = {}
    for a in (load(Appointment, a) for a in ctx.data["appointments"]):
        seen.setdefault(a.practitioner_id, a.practitioner_name)
    options += [
        Option(
            f"again:{pid}", ctx.t(N_("Un autre rendez-vous avec {who}"), who=who), "event_repeat"
        )
        for pid, who in list(seen.items())[:REBOOK]
    ]
    return options or [Option("book", ctx.t(N_("Prendre un rendez-vous")), "calendar_add_on")]


def _after_list(ctx: Context) -> str:
    choice = ctx.answers["appointments.list"]
    if choice == "book":
        start_booking(ctx)
        return "booking.what"
    if isinstance(choice, str) and choice.startswith("again:"):
        rebook(ctx, int(choice.removeprefix("again:")))
        return "booking.for_whom"
    return "appointments.detail"


def _detail_lines(ctx: Context) -> list[str]:
    a = chosen(ctx)
    lines = [
        ctx.t(N_("Le {moment}."), moment=when_words(ctx, a.starts_at)),
        ctx.t(N_("Avec {who}."), who=a.practitioner_name),
        ctx.t(N_("Adresse : {address}."), address=a.address),
        ctx.t(N_("Raison : {motive}."), motive=a.motive_label),
    ]
    if a.status == "pending":
        lines.append(ctx.t(N_("Ce rendez-vous attend votre confirmation.")))
    return lines


def _detail_options(ctx: Context) -> list[Option]:
    t = ctx.t
    options = []
    if chosen(ctx).status == "pending":
        options.append(Option("confirm", t(N_("Confirmer ce rendez-vous")), "check"))
    return [
        *options,
        Option("move", t(N_("Changer l'horaire")), "edit_calendar"),
        Option("cancel", t(N_("Annuler ce rendez-vous")), "event_busy"),
        Option("waitlist", t(N_("Être prévenu d'une place plus tôt")), "notifications"),
        Option("list", t(N_("Voir mes autres rendez-vous")), "event_note"),
    ]


def _act(ctx: Context, choice: str) -> None:
    a = chosen(ctx)
    if choice == "confirm":
        ctx.data["changed"] = dump(ctx.services.confirm(a.id))
        refresh(ctx)
    elif choice in ("cancel", "move") and not a.can_cancel_online:
        raise Redirect("appointments.too_late")
    elif choice == "move":
        forget_slots(ctx)


def _after_detail(ctx: Context) -> str:
    return {
        "confirm": "appointments.confirmed",
        "move": "appointments.move",
        "cancel": "appointments.cancel",
        "waitlist": "appointments.waitlist",
        "list": "appointments.list",
    }[ctx.answers["appointments.detail"]]


def _cancel(ctx: Context, yes: bool) -> None:
    if yes:
        ctx.data["changed"] = dump(ctx.services.cancel(chosen(ctx).id))


def _move(ctx: Context, yes: bool) -> None:
    if yes:
        slot = chosen_slot(ctx, "appointments.move")
        ctx.data["changed"] = dump(ctx.services.move(chosen(ctx).id, slot.id))


def _waitlist(ctx: Context, yes: bool) -> None:
    if yes:
        a = chosen(ctx)
        ctx.services.join_waitlist(
            practitioner_id=a.practitioner_id, patient_id=a.patient_id, motive_id=a.motive_id
        )


def changed(ctx: Context) -> Appointment:
    return load(Appointment, ctx.data["changed"])


def _result(step_id: str, prompt: str, lines: list[str], ticket: bool = False) -> Step:
    """The end of an action; `ticket`: the changed appointment can be taken away again."""
    return Step(
        id=step_id,
        kind=Kind.DONE,
        prompt=prompt,
        help=N_("Vous pouvez revenir à l'accueil ou terminer."),
        pictogram="event_available",
        lines=lambda ctx: [ctx.t(line) for line in lines],
        ticket=(lambda ctx: ticket_for(ctx, changed(ctx))) if ticket else None,
        choices=DONE_CHOICES,
        next=lambda ctx: after_done(ctx, step_id),
        goes_to=("welcome.menu", "end"),
    )


APPOINTMENTS = Journey(
    name="appointments",
    title=N_("Mes rendez-vous"),
    start="appointments.list",
    steps=(
        Step(
            id="appointments.list",
            kind=Kind.CHOICE,
            prompt=N_("Vos rendez-vous à venir"),
            help=N_("Touchez un rendez-vous pour le confirmer, le changer ou l'annuler."),
            pictogram="event_note",
            options=_list,
            lines=lambda ctx: (
                [] if _load(ctx) else [ctx.t(N_("Vous n'avez aucun rendez-vous à venir."))]
            ),
            next=_after_list,
            goes_to=("booking.what", "booking.for_whom", "appointments.detail"),
        ),
        Step(
            id="appointments.detail",
            kind=Kind.CHOICE,
            prompt=N_("Que voulez-vous faire ?"),
            help=N_("Annuler libère la place pour un autre patient."),
            pictogram="event",
            lines=_detail_lines,
            options=_detail_options,
            act=_act,
            next=_after_detail,
            goes_to=(
                "appointments.confirmed",
                "appointments.move",
                "appointments.cancel",
                "appointments.waitlist",
                "appointments.list",
            ),
        ),
        Step(
            id="appointments.too_late",
            kind=Kind.INFO,
            prompt=N_("Il est trop tard pour le faire ici."),
            help=N_("Le cabinet peut encore vous aider par téléphone."),
            pictogram="call",
            lines=lambda ctx: [
                ctx.t(N_("Appelez le cabinet au {phone}."), phone=phone_words(p))
                if (p := chosen(ctx).practice_phone)
                else ctx.t(N_("Appelez le cabinet."))
            ],
            next="appointments.list",
        ),
        Step(
            id="appointments.cancel",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous vraiment annuler ce rendez-vous ?"),
            help=N_("La place sera donnée à un autre patient."),
            pictogram="event_busy",
            lines=_detail_lines,
            act=_cancel,
            next=lambda ctx: (
                "appointments.cancelled"
                if ctx.answers["appointments.cancel"]
                else "appointments.detail"
            ),
            goes_to=("appointments.cancelled", "appointments.detail"),
            irreversible=True,
            locked=N_("Le rendez-vous est annulé. Vous pouvez en prendre un autre."),
        ),
        Step(
            id="appointments.move",
            kind=Kind.SLOT,
            prompt=N_("Choisissez le nouvel horaire."),
            help=N_("Votre rendez-vous actuel reste prévu tant que vous n'avez pas confirmé."),
            pictogram="edit_calendar",
            options=lambda ctx: slot_options(
                ctx, chosen(ctx).practitioner_id, chosen(ctx).motive_id
            ),
            next="appointments.move_ok",
        ),
        Step(
            id="appointments.move_ok",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous changer pour le {moment} ?"),
            params=lambda ctx: {
                "moment": when_words(ctx, chosen_slot(ctx, "appointments.move").starts_at)
            },
            help=N_("L'ancien horaire sera libéré."),
            pictogram="edit_calendar",
            act=_move,
            next=lambda ctx: (
                "appointments.moved"
                if ctx.answers["appointments.move_ok"]
                else "appointments.detail"
            ),
            goes_to=("appointments.moved", "appointments.detail"),
            irreversible=True,
            locked=N_("Le rendez-vous est déjà changé. Regardez dans Mes rendez-vous."),
        ),
        Step(
            id="appointments.waitlist",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous un SMS si une place se libère plus tôt ?"),
            help=N_("Vous gardez votre rendez-vous. Vous pourrez choisir la nouvelle place."),
            pictogram="notifications",
            act=_waitlist,
            next=lambda ctx: (
                "appointments.waiting"
                if ctx.answers["appointments.waitlist"]
                else "appointments.detail"
            ),
            goes_to=("appointments.waiting", "appointments.detail"),
        ),
        _result(
            "appointments.confirmed",
            N_("Votre rendez-vous est confirmé."),
            [N_("Vous allez recevoir un SMS de confirmation.")],
            ticket=True,
        ),
        _result(
            "appointments.cancelled",
            N_("Votre rendez-vous est annulé."),
            [N_("Vous allez recevoir un SMS.")],
        ),
        _result(
            "appointments.moved",
            N_("Votre rendez-vous est changé."),
            [N_("Vous allez recevoir un SMS avec le nouvel horaire.")],
            ticket=True,
        ),
        _result(
            "appointments.waiting",
            N_("C'est noté."),
            [N_("Nous vous envoyons un SMS si une place se libère.")],
        ),
    ),
)
