"""Sign in or create an account: mobile number, SMS code, consent, profile; e-mail later.

Never a password. A known person is signed in as soon as the code is right; a new person
agrees in plain words and gives four facts (seed 001: civility, first name, last name, birth
date), saved at once. The optional e-mail is offered in "Mon compte", so booking stays short.
Called from other journeys, it hands back where it was called.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from kiosk.workflows.flow import Context
from kiosk.workflows.formats import phone_words
from kiosk.workflows.i18n import N_, Np_
from kiosk.workflows.journeys.words import SEXES, birth_words
from kiosk.workflows.parsers import (
    Invalid,
    parse_birth_date,
    parse_code,
    parse_email,
    parse_mobile,
    parse_name,
)
from kiosk.workflows.services import CodeSent, Me, dump, load
from kiosk.workflows.steps import RETURN, Choice, Journey, Kind, ReviewItem, Step

PROFILE_STEPS = ("sign_in.sex", "sign_in.first_name", "sign_in.last_name", "sign_in.birth_date")


def signed_in(ctx: Context) -> bool:
    return bool(ctx.data.get("signed_in"))


def remember(ctx: Context, me: Me) -> None:
    """Keep what the journeys need of the account: who can have appointments."""
    holder = [me.profile] if me.profile else []
    ctx.data["people"] = dump(holder + me.relatives)
    ctx.data["holder_id"] = me.profile.id if me.profile else None
    ctx.data["profile_complete"] = bool(me.profile and me.profile.complete)
    if me.profile:
        ctx.answers.update(
            {
                "sign_in.sex": me.profile.sex,
                "sign_in.first_name": me.profile.first_name,
                "sign_in.last_name": me.profile.last_name,
                "sign_in.birth_date": dump(me.profile.birth_date),
            }
        )


def profile_fields(ctx: Context) -> dict[str, Any]:
    return {
        "sex": ctx.answers["sign_in.sex"],
        "first_name": ctx.answers["sign_in.first_name"],
        "last_name": ctx.answers["sign_in.last_name"],
        "birth_date": ctx.answers["sign_in.birth_date"],
    }


def caller_mobile(ctx: Context) -> str | None:
    """The number the person calls from (a telephone line), when it is a French mobile."""
    try:
        return parse_mobile(ctx.caller) if ctx.caller else None
    except Invalid:
        return None


def _use_caller(ctx: Context, agreed: bool) -> None:
    if agreed:
        ctx.answers["sign_in.phone"] = caller_mobile(ctx)
        _send_code(ctx, ctx.answers["sign_in.phone"])


def _send_code(ctx: Context, phone: str) -> None:
    sent = ctx.services.request_code(phone)
    ctx.data["verification"] = dump(sent)
    ctx.data["code_sent_at"] = ctx.now()


def _check_code(ctx: Context, code: str) -> None:
    if code == "no_code":
        return
    verification = load(CodeSent, ctx.data["verification"])
    exists = ctx.services.check_code(verification.verification_id, code)
    ctx.data["signed_in"] = True
    if exists:
        remember(ctx, ctx.services.me())


def _after_code(ctx: Context) -> str:
    if ctx.answers["sign_in.code"] == "no_code":
        return "sign_in.no_code"
    if "holder_id" not in ctx.data:
        return "sign_in.consent"
    return RETURN if ctx.data["profile_complete"] else "sign_in.sex"


def _no_code(ctx: Context, choice: str) -> None:
    if choice == "help":
        ctx.call_counsellor()
    elif choice == "resend":
        sent = load(CodeSent, ctx.data["verification"])
        wait = sent.resend_after - (ctx.now() - ctx.data["code_sent_at"])
        if wait > 0:
            wait_words = Np_("Attendez encore {n} seconde.", "Attendez encore {n} secondes.")
            raise Invalid(wait_words, n=math.ceil(wait))
        _send_code(ctx, ctx.answers["sign_in.phone"])


def save_profile(ctx: Context, _: object) -> None:
    """Create the account with the person's agreement, or save a change to the profile."""
    consent = True if "holder_id" not in ctx.data else None
    remember(ctx, ctx.services.save_profile(profile_fields(ctx), consent=consent))


def profile_review(ctx: Context) -> list[ReviewItem]:
    return [
        ReviewItem(ctx.t(N_("Civilité")), ctx.t(SEXES[ctx.answers["sign_in.sex"]]), "sign_in.sex"),
        ReviewItem(ctx.t(N_("Prénom")), ctx.answers["sign_in.first_name"], "sign_in.first_name"),
        ReviewItem(ctx.t(N_("Nom")), ctx.answers["sign_in.last_name"], "sign_in.last_name"),
        ReviewItem(
            ctx.t(N_("Date de naissance")),
            birth_words(ctx, ctx.answers["sign_in.birth_date"]),
            "sign_in.birth_date",
        ),
    ]


def name_step(step_id: str, prompt: str, field: str, then: str) -> Step:
    return Step(
        id=step_id,
        kind=Kind.TEXT,
        prompt=prompt,
        help=N_("Écrivez avec le clavier. Les accents et les tirets sont acceptés."),
        pictogram="badge",
        stage="profile",
        field=field,
        parse=lambda ctx, text: parse_name(text, field),
        next=then,
        independent=True,
    )


def sex_step(step_id: str, prompt: str, then: str) -> Step:
    return Step(
        id=step_id,
        kind=Kind.CHOICE,
        prompt=prompt,
        help=N_("Les soignants doivent connaître le sexe écrit sur les papiers."),
        pictogram="wc",
        stage="profile",
        field=N_("Civilité"),
        choices=(
            Choice("F", N_("Une femme"), "woman", also=N_("madame, féminin")),
            Choice("M", N_("Un homme"), "man", also=N_("monsieur, masculin")),
        ),
        next=then,
        independent=True,
    )


def birth_date_step(
    step_id: str,
    prompt: str,
    then: str,
    act: Callable[[Context, Any], None] | None = None,
) -> Step:
    return Step(
        id=step_id,
        kind=Kind.DATE,
        prompt=prompt,
        help=N_("Donnez le jour, le mois et l'année. Par exemple 12 mars 1950."),
        pictogram="cake",
        stage="profile",
        field=N_("Date de naissance"),
        parse=lambda ctx, value: parse_birth_date(value, ctx.today()),
        act=act,
        next=then,
        independent=True,
    )


SIGN_IN = Journey(
    name="sign_in",
    title=N_("Se connecter"),
    start="sign_in.caller",
    stages=("phone", "code", "profile"),
    steps=(
        Step(  # by telephone only: the number the person calls from, offered first
            id="sign_in.caller",
            kind=Kind.YES_NO,
            prompt=N_("Vous appelez du {phone}. Est-ce votre numéro de portable ?"),
            help=N_("Nous envoyons un code par SMS à ce numéro. Il faut un portable."),
            params=lambda ctx: {"phone": phone_words(caller_mobile(ctx) or "")},
            pictogram="smartphone",
            stage="phone",
            auto=lambda ctx: None if caller_mobile(ctx) else False,
            act=_use_caller,
            next=lambda ctx: "sign_in.code" if ctx.answers["sign_in.caller"] else "sign_in.phone",
            goes_to=("sign_in.code", "sign_in.phone"),
        ),
        Step(
            id="sign_in.phone",
            kind=Kind.DIGITS,
            prompt=N_("Quel est votre numéro de portable ?"),
            help=N_("Nous envoyons un code par SMS à ce numéro. Il faut un portable."),
            pictogram="smartphone",
            stage="phone",
            field=N_("Numéro de portable"),
            parse=lambda ctx, text: parse_mobile(text),
            act=_send_code,
            next="sign_in.code",
        ),
        Step(
            id="sign_in.code",
            kind=Kind.DIGITS,
            prompt=N_("Quel code avez-vous reçu par SMS ?"),
            help=N_("Le code a 6 chiffres. Il arrive en moins de 2 minutes."),
            pictogram="sms",
            stage="code",
            field=N_("Code"),
            private=True,
            lines=lambda ctx: [
                ctx.t(
                    N_("Nous avons envoyé un code au {phone}."),
                    phone=phone_words(ctx.answers["sign_in.phone"]),
                )
            ],
            choices=(Choice("no_code", N_("Je n'ai pas reçu le code"), "help"),),
            parse=lambda ctx, text: parse_code(text),
            act=_check_code,
            next=_after_code,
            goes_to=("sign_in.no_code", "sign_in.consent", "sign_in.sex", RETURN),
        ),
        Step(
            id="sign_in.no_code",
            kind=Kind.CHOICE,
            prompt=N_("Vous n'avez pas reçu le code ?"),
            help=N_("Vérifiez le numéro. Un conseiller peut aussi vous aider."),
            pictogram="sms_failed",
            stage="code",
            lines=lambda ctx: [
                ctx.t(
                    N_("Votre numéro : {phone}."), phone=phone_words(ctx.answers["sign_in.phone"])
                )
            ],
            choices=(
                Choice("resend", N_("Envoyer un nouveau code"), "send"),
                Choice("change", N_("Changer de numéro"), "edit"),
                Choice("help", N_("Demander à un conseiller"), "support_agent"),
            ),
            act=_no_code,
            next=lambda ctx: {"change": "sign_in.phone"}.get(
                ctx.answers["sign_in.no_code"], "sign_in.code"
            ),
            goes_to=("sign_in.phone", "sign_in.code"),
        ),
        Step(
            id="sign_in.consent",
            kind=Kind.YES_NO,
            prompt=N_("Êtes-vous d'accord ?"),
            help=N_("Sans votre accord, nous ne créons pas de compte."),
            pictogram="handshake",
            stage="profile",
            lines=lambda ctx: [
                ctx.t(N_("Nous créons un compte avec votre numéro.")),
                ctx.t(N_("Nous gardons vos rendez-vous et ceux de vos proches.")),
                ctx.t(N_("Seuls vos soignants les voient.")),
                ctx.t(N_("Vous pouvez tout effacer quand vous voulez.")),
            ],
            next=lambda ctx: "sign_in.sex" if ctx.answers["sign_in.consent"] else "sign_in.refused",
            goes_to=("sign_in.sex", "sign_in.refused"),
        ),
        Step(
            id="sign_in.refused",
            kind=Kind.INFO,
            prompt=N_("Nous ne créons pas de compte."),
            help=N_("Vous pouvez quand même chercher un soignant."),
            pictogram="info",
            lines=lambda ctx: [ctx.t(N_("Vous pouvez quand même chercher un soignant."))],
            next=lambda ctx: ctx.home(),
            goes_to=("welcome.menu",),
        ),
        sex_step("sign_in.sex", N_("Êtes-vous une femme ou un homme ?"), "sign_in.first_name"),
        name_step(
            "sign_in.first_name", N_("Quel est votre prénom ?"), N_("Prénom"), "sign_in.last_name"
        ),
        name_step("sign_in.last_name", N_("Quel est votre nom ?"), N_("Nom"), "sign_in.birth_date"),
        birth_date_step(
            "sign_in.birth_date",
            N_("Quelle est votre date de naissance ?"),
            RETURN,
            act=save_profile,
        ),
        Step(
            id="sign_in.email",
            kind=Kind.TEXT,
            prompt=N_("Quelle est votre adresse e-mail ?"),
            help=N_("Par exemple marie.dupont@exemple.fr."),
            pictogram="mail",
            stage="profile",
            field=N_("Adresse e-mail"),
            parse=lambda ctx, text: parse_email(text),
            act=lambda ctx, email: remember(ctx, ctx.services.save_profile({"email": email})),
            next="sign_in.email_code",
        ),
        Step(
            id="sign_in.email_code",
            kind=Kind.DIGITS,
            prompt=N_("Quel code avez-vous reçu par e-mail ?"),
            help=N_("Le code a 6 chiffres. Regardez aussi dans les courriers indésirables."),
            pictogram="mark_email_read",
            stage="profile",
            field=N_("Code"),
            private=True,
            choices=(Choice("later", N_("Passer cette étape"), "skip_next"),),
            parse=lambda ctx, text: parse_code(text),
            act=lambda ctx, code: None if code == "later" else ctx.services.check_email(code),
            next=RETURN,
        ),
    ),
)
