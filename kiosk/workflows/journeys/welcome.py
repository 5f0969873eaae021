"""Welcome: the main menu, in French first, with the other languages one touch away.

Searching needs no sign-in. The languages are named in their own words ("English",
"العربية"), so a person who reads no French finds theirs.
"""

from __future__ import annotations

from kiosk.workflows.flow import Context
from kiosk.workflows.i18n import LANGUAGES, N_
from kiosk.workflows.journeys.booking import start_booking
from kiosk.workflows.journeys.sign_in import signed_in
from kiosk.workflows.steps import Choice, Journey, Kind, Option, Step


def _languages(ctx: Context) -> list[Option]:
    return [Option(lang.code, lang.name, "language") for lang in LANGUAGES]


def _set_language(ctx: Context, code: str) -> None:
    ctx.state.language = code


MENU = (
    Choice("book", N_("Prendre un rendez-vous"), "calendar_add_on"),
    Choice("mine", N_("Mes rendez-vous"), "event_note"),
    Choice("account", N_("Mon compte et mes proches"), "family_restroom"),
    Choice("help", N_("Aide"), "help"),
)


def _menu(ctx: Context) -> list[Option]:
    others = " · ".join(lang.name for lang in LANGUAGES if lang.code != ctx.language)
    return [
        *(Option(c.value, ctx.t(c.label), c.pictogram) for c in MENU),
        Option("language", others, "language"),
    ]


def _after_menu(ctx: Context) -> str:
    choice = ctx.answers["welcome.menu"]
    if choice == "language":
        return "welcome.language"
    if choice == "book":
        start_booking(ctx)
        return "booking.what"
    if choice == "help":
        return "welcome.help"
    then = "appointments.list" if choice == "mine" else "account.menu"
    return then if signed_in(ctx) else ctx.call("sign_in.caller", then=then)


WELCOME = Journey(
    name="welcome",
    title=N_("Accueil"),
    start="welcome.menu",
    steps=(
        Step(
            id="welcome.language",
            kind=Kind.CHOICE,
            prompt=N_("Choisissez votre langue."),
            help=N_("Touchez le nom de votre langue."),
            pictogram="language",
            options=_languages,
            act=_set_language,
            next="welcome.menu",
        ),
        Step(
            id="welcome.menu",
            kind=Kind.CHOICE,
            prompt=N_("Bonjour. Que voulez-vous faire ?"),
            help=N_("Choisissez ce que vous voulez faire. Un conseiller peut vous aider."),
            pictogram="home",
            options=_menu,
            next=_after_menu,
            goes_to=(
                "welcome.language",
                "booking.what",
                "welcome.help",
                "appointments.list",
                "account.menu",
                "sign_in.caller",
            ),
        ),
        Step(
            id="welcome.help",
            kind=Kind.INFO,
            prompt=N_("Comment utiliser cette borne"),
            help=N_("Un conseiller peut venir vous aider."),
            pictogram="help",
            lines=lambda ctx: [
                ctx.t(N_("Répondez à une question à la fois.")),
                ctx.t(N_("Retour : revenir à la question d'avant.")),
                ctx.t(N_("Répéter : entendre encore la question.")),
                ctx.t(N_("Aide : appeler un conseiller.")),
                ctx.t(N_("Arrêter : tout effacer et partir.")),
            ],
            next="welcome.menu",
        ),
    ),
)
