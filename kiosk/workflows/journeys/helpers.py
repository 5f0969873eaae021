"""The counsellors' help: the person's consent that the centre's counsellors act for them,
and the journal of what they did (issue: assisted booking under a recorded consent).

The consent is shown and read before the person says yes; it has a scope (medical
appointments) and a duration, and can be withdrawn here at any time. The person is signed
in with the code sent to their phone: their "yes" at the kiosk confirms it.
"""

from __future__ import annotations

from kiosk.workflows.flow import Context
from kiosk.workflows.i18n import N_
from kiosk.workflows.journeys.words import when_words
from kiosk.workflows.services import Helpers, JournalLine, dump, load
from kiosk.workflows.steps import Choice, Journey, Kind, Option, Step

START = "helpers.overview"
SHOWN = 5  # journal lines read out at once

DURATIONS = (
    Choice("visit", N_("Pendant cette visite"), "schedule"),
    Choice("day", N_("Pendant 1 jour"), "today"),
    Choice("month", N_("Pendant 1 mois"), "calendar_month"),
    Choice("year", N_("Pendant 1 an"), "event"),
)
LASTS = {
    "visit": N_("Cet accord dure le temps de cette visite."),
    "day": N_("Cet accord dure 1 jour."),
    "month": N_("Cet accord dure 1 mois."),
    "year": N_("Cet accord dure 1 an."),
}
CONSENT = (
    N_("Vous autorisez les conseillers de ce centre à vous aider."),
    N_("Ils peuvent prendre, changer et annuler vos rendez-vous médicaux."),
    N_("Ils peuvent aussi le faire pour vos proches."),
    N_("Ils ne voient pas vos documents de santé."),
    N_("Chaque action est notée dans un journal. Vous pouvez le lire ici."),
    N_("Vous pouvez retirer votre accord quand vous voulez."),
)
# What each journal line says; {who} is the counsellor.
DONE_BY_COUNSELLOR = {
    "consent_given": N_("Vous avez donné votre accord à {who}."),
    "consent_revoked": N_("{who} a noté la fin de votre accord."),
    "appointments_seen": N_("{who} a regardé vos rendez-vous."),
    "booked": N_("{who} a pris un rendez-vous pour {patient}."),
    "moved": N_("{who} a changé un rendez-vous de {patient}."),
    "cancelled": N_("{who} a annulé un rendez-vous de {patient}."),
}
DONE_BY_YOU = {
    "consent_given": N_("Vous avez donné votre accord."),
    "consent_revoked": N_("Vous avez retiré votre accord."),
}


def _helpers(ctx: Context) -> Helpers:
    if "helpers" not in ctx.data:
        ctx.data["helpers"] = dump(ctx.services.helpers())
    return load(Helpers, ctx.data["helpers"])


def _keep(ctx: Context, helpers: Helpers) -> None:
    ctx.data["helpers"] = dump(helpers)


def _journal_line(ctx: Context, line: JournalLine) -> str:
    said = DONE_BY_YOU.get(line.action) if line.who is None else None
    text = ctx.t(
        said or DONE_BY_COUNSELLOR[line.action], who=line.who or "", patient=line.patient or ""
    )
    moment = when_words(ctx, line.at)
    return f"{moment[:1].upper()}{moment[1:]}. {text}"  # the day, then what: two short sentences


def _overview_lines(ctx: Context) -> list[str]:
    helpers = _helpers(ctx)
    status = (
        ctx.t(N_("Votre accord dure jusqu'au {moment}."), moment=when_words(ctx, helpers.until))
        if helpers.until
        else ctx.t(N_("Vous n'avez pas donné votre accord."))
    )
    journal = [_journal_line(ctx, line) for line in helpers.journal[:SHOWN]]
    return [status, *(journal or [ctx.t(N_("Les conseillers n'ont encore rien fait pour vous."))])]


def _overview_options(ctx: Context) -> list[Option]:
    t = ctx.t
    change = (
        Option("revoke", t(N_("Retirer mon accord")), "block")
        if _helpers(ctx).until
        else Option("give", t(N_("Donner mon accord")), "handshake")
    )
    return [change, Option("back", t(N_("Revenir à mon compte")), "manage_accounts")]


def _after_overview(ctx: Context) -> str:
    return {"give": "helpers.duration", "revoke": "helpers.revoke"}.get(
        ctx.answers[START], "account.menu"
    )


def _consent_lines(ctx: Context) -> list[str]:
    return [ctx.t(line) for line in (*CONSENT, LASTS[ctx.answers["helpers.duration"]])]


def _give(ctx: Context, yes: bool) -> None:
    if yes:
        _keep(ctx, ctx.services.give_mandate(ctx.answers["helpers.duration"]))


def _revoke(ctx: Context, yes: bool) -> None:
    if yes:
        _keep(ctx, ctx.services.revoke_mandate())


HELPERS = Journey(
    name="helpers",
    title=N_("L'aide des conseillers"),
    start=START,
    steps=(
        Step(
            id=START,
            kind=Kind.CHOICE,
            prompt=N_("L'aide des conseillers"),
            help=N_("Un conseiller peut prendre vos rendez-vous si vous êtes d'accord."),
            pictogram="support_agent",
            lines=_overview_lines,
            options=_overview_options,
            next=_after_overview,
            goes_to=("helpers.duration", "helpers.revoke", "account.menu"),
        ),
        Step(
            id="helpers.duration",
            kind=Kind.CHOICE,
            prompt=N_("Pour combien de temps ?"),
            help=N_("Vous pouvez retirer votre accord avant la fin."),
            pictogram="schedule",
            choices=DURATIONS,
            next="helpers.consent",
        ),
        Step(
            id="helpers.consent",
            kind=Kind.YES_NO,
            prompt=N_("Êtes-vous d'accord ?"),
            help=N_("Lisez ou écoutez le texte avant de répondre."),
            pictogram="handshake",
            lines=_consent_lines,
            act=_give,
            next=START,
        ),
        Step(
            id="helpers.revoke",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous retirer votre accord ?"),
            help=N_("Les conseillers ne pourront plus agir pour vous."),
            pictogram="block",
            act=_revoke,
            next=START,
        ),
    ),
)
