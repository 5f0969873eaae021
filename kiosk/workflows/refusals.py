"""The server's refusals in the kiosk's own words, so they are shown in every language.

The server answers an error code, a French sentence and, where words depend on the case,
`details` (tries left, a practitioner, a phone). The kiosk says the same thing from its
catalogue; a code it does not know keeps the server's French words, or in another language
a general sentence.
"""

from __future__ import annotations

from typing import Any

from kiosk.workflows.formats import phone_words
from kiosk.workflows.i18n import N_, SOURCE, Message, Np_
from kiosk.workflows.services import ServiceError

REFUSALS: dict[str, Message] = {
    "wrong_code": Np_(
        "Ce code n'est pas le bon. Il vous reste {n} essai.",
        "Ce code n'est pas le bon. Il vous reste {n} essais.",
    ),
    "code_blocked": N_("Trop d'essais avec ce code. Demandez un nouveau code."),
    "code_used": N_("Ce code a déjà servi. Demandez un nouveau code."),
    "code_expired": N_("Ce code n'est plus valable. Demandez un nouveau code."),
    "no_code": N_("Ce code n'est plus valable. Demandez un nouveau code."),
    "too_soon": N_("Attendez une minute avant de demander un nouveau code."),
    "too_many_codes": N_("Trop de codes demandés pour ce numéro. Réessayez dans une heure."),
    "kiosk_too_many_codes": N_("Cette borne a demandé trop de codes. Réessayez plus tard."),
    "session_expired": N_("Votre session est terminée. Reconnectez-vous."),
    "not_signed_in": N_("Connectez-vous d'abord avec votre numéro de portable."),
    "no_account": N_("Créez d'abord votre compte."),
    "consent_required": N_("Pour créer le compte, acceptez les conditions."),
    "profile_incomplete": N_("Complétez d'abord votre profil."),
    "has_appointments": N_("Cette personne a des rendez-vous à venir. Annulez-les d'abord."),
    "slot_closed": N_("Cet horaire n'est plus proposé. Choisissez un autre horaire."),
    "not_pending": N_("Ce rendez-vous ne peut plus être confirmé."),
    "not_cancellable": N_("Ce rendez-vous ne peut plus être annulé."),
    "not_changeable": N_("Ce rendez-vous ne peut plus être changé."),
    "too_late": N_("Il est trop tard pour le faire ici. Appelez le cabinet."),
}
TOO_LATE_CALL = N_("Il est trop tard pour le faire ici. Appelez le cabinet au {phone}.")
UNKNOWN = N_("Le service a refusé. Appuyez sur Aide pour parler à un conseiller.")


def refusal(refused: ServiceError, language: str) -> tuple[Message, dict[str, Any]]:
    """The message id and its parameters for a refusal, ready for `Context.t`."""
    details = refused.details
    if refused.code == "wrong_code" and "tries_left" in details:
        return REFUSALS["wrong_code"], {"n": details["tries_left"]}
    if refused.code == "too_late" and details.get("phone"):
        return TOO_LATE_CALL, {"phone": phone_words(details["phone"])}
    if refused.code in REFUSALS and refused.code != "wrong_code":
        return REFUSALS[refused.code], {}
    return (refused.message if language == SOURCE else UNKNOWN), {}
