"""My account and my relatives: check my profile, add, change or remove a relative.

Relatives (seed 001, "Mes proches") are people the account books for: a child, a partner, a
parent. Adding one is also called from booking ("Pour qui ?"), and hands back there.
"""

from __future__ import annotations

from kiosk.workflows.flow import Context
from kiosk.workflows.i18n import N_
from kiosk.workflows.journeys.sign_in import (
    birth_date_step,
    name_step,
    profile_review,
    remember,
    save_profile,
    sex_step,
)
from kiosk.workflows.journeys.words import SEXES, birth_words, people, person_words
from kiosk.workflows.services import dump
from kiosk.workflows.steps import RETURN, Choice, Journey, Kind, Option, ReviewItem, Step

LINKS = (
    Choice("enfant", N_("Mon enfant"), "child_care"),
    Choice("conjoint", N_("Mon conjoint ou ma conjointe"), "favorite"),
    Choice("parent", N_("Mon père ou ma mère"), "elderly"),
    Choice("autre", N_("Une autre personne"), "person"),
)
FIELDS = ("relative.sex", "relative.first_name", "relative.last_name", "relative.birth_date")


def start_new_relative(ctx: Context) -> None:
    """A blank form: nothing of a relative seen before is shown again."""
    ctx.data.pop("editing", None)
    for step in (*FIELDS, "relative.link"):
        ctx.answers.pop(step, None)


def _relatives(ctx: Context) -> list[Option]:
    holder = ctx.data.get("holder_id")
    return [Option(p.id, person_words(p), "person") for p in people(ctx) if p.id != holder]


def _menu(ctx: Context, choice: str) -> None:
    if choice == "add":
        start_new_relative(ctx)


def _after_menu(ctx: Context) -> str:
    choice = ctx.answers["account.menu"]
    if choice == "email":
        return ctx.call("sign_in.email", then="account.menu")
    if choice == "helpers":
        ctx.data.pop("helpers", None)  # read afresh: a counsellor may have acted since
    steps = {
        "profile": "account.profile",
        "add": "relative.sex",
        "relatives": "account.relatives",
        "helpers": "helpers.overview",
    }
    return steps.get(choice) or ctx.home()


def _edit(ctx: Context, choice: str) -> None:
    if choice == "remove":
        return
    relative = next(p for p in people(ctx) if p.id == ctx.answers["account.relatives"])
    ctx.data["editing"] = relative.id
    ctx.answers.update(
        {
            "relative.sex": relative.sex,
            "relative.first_name": relative.first_name,
            "relative.last_name": relative.last_name,
            "relative.birth_date": dump(relative.birth_date),
            "relative.link": relative.relationship,
        }
    )


def _relative_review(ctx: Context) -> list[ReviewItem]:
    link = next((c.label for c in LINKS if c.value == ctx.answers.get("relative.link")), None)
    return [
        ReviewItem(ctx.t(N_("Civilité")), ctx.t(SEXES[ctx.answers["relative.sex"]]), FIELDS[0]),
        ReviewItem(ctx.t(N_("Prénom")), ctx.answers["relative.first_name"], FIELDS[1]),
        ReviewItem(ctx.t(N_("Nom")), ctx.answers["relative.last_name"], FIELDS[2]),
        ReviewItem(
            ctx.t(N_("Date de naissance")),
            birth_words(ctx, ctx.answers["relative.birth_date"]),
            FIELDS[3],
        ),
        ReviewItem(ctx.t(N_("Lien")), ctx.t(link) if link else "", "relative.link"),
    ]


def _save_relative(ctx: Context, _: object) -> None:
    fields = {
        "sex": ctx.answers["relative.sex"],
        "first_name": ctx.answers["relative.first_name"],
        "last_name": ctx.answers["relative.last_name"],
        "birth_date": ctx.answers["relative.birth_date"],
        "relationship_label": ctx.answers["relative.link"],
    }
    if editing := ctx.data.get("editing"):
        ctx.services.update_relative(editing, fields)
    else:
        ctx.data["new_relative"] = ctx.services.add_relative(fields).id
    remember(ctx, ctx.services.me())


def _remove(ctx: Context, yes: bool) -> None:
    if yes:
        ctx.services.remove_relative(ctx.answers["account.relatives"])
        remember(ctx, ctx.services.me())


ACCOUNT = Journey(
    name="account",
    title=N_("Mon compte et mes proches"),
    start="account.menu",
    steps=(
        Step(
            id="account.menu",
            kind=Kind.CHOICE,
            prompt=N_("Que voulez-vous faire ?"),
            help=N_("Vos proches sont les personnes pour qui vous prenez rendez-vous."),
            pictogram="manage_accounts",
            choices=(
                Choice("profile", N_("Voir mes informations"), "badge"),
                Choice("add", N_("Ajouter un proche"), "person_add"),
                Choice("relatives", N_("Changer ou retirer un proche"), "group"),
                Choice("email", N_("Recevoir aussi des e-mails"), "mail"),
                Choice("helpers", N_("L'aide des conseillers"), "support_agent"),
                Choice("home", N_("Revenir à l'accueil"), "home"),
            ),
            act=_menu,
            next=_after_menu,
            goes_to=(
                "account.profile",
                "relative.sex",
                "account.relatives",
                "sign_in.email",
                "helpers.overview",
                "welcome.menu",
            ),
        ),
        Step(
            id="account.profile",
            kind=Kind.REVIEW,
            prompt=N_("Vos informations"),
            help=N_("Touchez Modifier pour changer une information."),
            pictogram="badge",
            review=profile_review,
            act=save_profile,
            next="account.menu",
        ),
        Step(
            id="account.relatives",
            kind=Kind.CHOICE,
            prompt=N_("Quel proche ?"),
            help=N_("Touchez le nom de la personne."),
            pictogram="group",
            options=_relatives,
            lines=lambda ctx: (
                [] if _relatives(ctx) else [ctx.t(N_("Vous n'avez encore aucun proche."))]
            ),
            next="account.relative",
        ),
        Step(
            id="account.relative",
            kind=Kind.CHOICE,
            prompt=N_("Que voulez-vous faire pour ce proche ?"),
            help=N_("Retirer un proche efface ses informations."),
            pictogram="person",
            choices=(
                Choice("change", N_("Changer ses informations"), "edit"),
                Choice("remove", N_("Retirer ce proche"), "person_remove"),
            ),
            act=_edit,
            next=lambda ctx: (
                "relative.review"
                if ctx.answers["account.relative"] == "change"
                else "account.remove"
            ),
            goes_to=("relative.review", "account.remove"),
        ),
        Step(
            id="account.remove",
            kind=Kind.YES_NO,
            prompt=N_("Voulez-vous vraiment retirer ce proche ?"),
            help=N_("Ses rendez-vous à venir restent prévus."),
            pictogram="person_remove",
            act=_remove,
            next="account.menu",
        ),
        sex_step("relative.sex", N_("Votre proche est une femme ou un homme ?"), FIELDS[1]),
        name_step("relative.first_name", N_("Quel est son prénom ?"), N_("Prénom"), FIELDS[2]),
        name_step("relative.last_name", N_("Quel est son nom ?"), N_("Nom"), FIELDS[3]),
        birth_date_step(
            "relative.birth_date", N_("Quelle est sa date de naissance ?"), "relative.link"
        ),
        Step(
            id="relative.link",
            kind=Kind.CHOICE,
            prompt=N_("Qui est cette personne pour vous ?"),
            help=N_("Choisissez le lien avec vous."),
            pictogram="family_restroom",
            choices=LINKS,
            next="relative.review",
            independent=True,
        ),
        Step(
            id="relative.review",
            kind=Kind.REVIEW,
            prompt=N_("Vérifiez les informations de votre proche."),
            help=N_("Touchez Modifier pour changer une information."),
            pictogram="fact_check",
            review=_relative_review,
            act=_save_relative,
            next=lambda ctx: RETURN if ctx.state.returns else "account.menu",
            goes_to=(RETURN, "account.menu"),
        ),
    ),
)
