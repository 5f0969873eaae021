"""French phone numbers: however people type them, one E.164 form, or a message they can act on.

Signing in is "phone number + SMS code", so `normalize_mobile` accepts only numbers that
receive SMS: mobiles of metropolitan France and of the overseas departments, never landlines,
08 or 09. A counsellor calling a person back can call any line (`normalize_phone`), but not
a special number.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from server.errors import ApiError

# Overseas departments share the 10-digit national plan: "0690 12 34 56" is dialled as is
# from Paris, but libphonenumber only knows it under its own region.
_NATIONAL_REGIONS = ("FR", "GP", "MQ", "GF", "RE", "YT")
_FRENCH_REGIONS = frozenset({*_NATIONAL_REGIONS, "BL", "MF"})
# A call reaches the overseas collectivities too, though no SMS code is sent there.
_CALLABLE_REGIONS = frozenset({*_FRENCH_REGIONS, "PM", "NC", "PF", "WF"})
# Mayotte used the Comoros code (+269) until 2007; people still write it.
_OLD_MAYOTTE = re.compile(r"^\+269(639\d{6})$")
_ALLOWED = re.compile(r"^[\d\s.\-/()+]+$")
_EXAMPLE = "comme 06 12 34 56 78"
_MOBILE, _PHONE = "numéro de portable", "numéro de téléphone"  # what messages call the field
_NEEDS_MOBILE = "Il faut un numéro de portable pour recevoir le code."
_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
# 09 numbers (VOIP) are home boxes: they ring like a landline.
_CALLABLE_TYPES = (*_MOBILE_TYPES, PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP)
_SPECIAL_TYPES = (
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
)


def _refuse(message: str, error: str = "invalid") -> ApiError:
    return ApiError(422, error, message, "phone")


def _compact(text: str, noun: str) -> str:
    """Digits with an optional leading "+"; "(0)" after a country code is the trunk 0."""
    if not text.strip():
        raise _refuse(f"Écrivez votre {noun}, {_EXAMPLE}.")
    if not _ALLOWED.match(text):
        raise _refuse(f"Écrivez seulement des chiffres, {_EXAMPLE}.")
    compact = re.sub(r"[^\d+]", "", text.replace("(0)", ""))
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if "+" in compact[1:]:
        raise _refuse(f"Ce numéro n'est pas valide. Écrivez-le {_EXAMPLE}.")
    return _OLD_MAYOTTE.sub(r"+262\1", compact)


def _parse(compact: str, noun: str) -> phonenumbers.PhoneNumber:
    """The first reading of the number that is valid, trying the overseas plans after France."""
    if compact.startswith("+"):
        candidates = [(compact, None)]
    elif len(compact) != 10 or not compact.startswith("0"):
        raise _refuse(f"Un {noun} a 10 chiffres, {_EXAMPLE}.")
    else:
        candidates = [(compact, region) for region in _NATIONAL_REGIONS]
    for number, region in candidates:
        try:
            parsed = phonenumbers.parse(number, region)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            return parsed
    raise _refuse(f"Ce numéro n'existe pas. Vérifiez-le : il s'écrit {_EXAMPLE}.")


def _french(text: str, noun: str, regions: frozenset[str]) -> phonenumbers.PhoneNumber:
    """A valid number of one of `regions`, or a 422 whose message calls the field `noun`."""
    parsed = _parse(_compact(text, noun), noun)
    if phonenumbers.region_code_for_number(parsed) not in regions:
        raise _refuse(f"Il faut un {noun} français.")
    return parsed


def normalize_mobile(text: str) -> str:
    """The E.164 form ("+33612345678") of a French mobile number, or a 422 on field "phone"."""
    parsed = _french(text, _MOBILE, _FRENCH_REGIONS)
    kind = phonenumbers.number_type(parsed)
    if kind == PhoneNumberType.FIXED_LINE:
        raise _refuse(f"Ce numéro est un fixe. {_NEEDS_MOBILE}", "not_mobile")
    if kind in _SPECIAL_TYPES:
        raise _refuse(f"Ce numéro est un numéro spécial. {_NEEDS_MOBILE}", "not_mobile")
    if kind == PhoneNumberType.VOIP:
        raise _refuse(
            f"Les numéros en 09 ne reçoivent pas toujours les SMS. {_NEEDS_MOBILE}", "not_mobile"
        )
    if kind not in _MOBILE_TYPES:
        raise _refuse(f"Ce numéro n'est pas un portable. {_NEEDS_MOBILE}", "not_mobile")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_phone(text: str) -> str:
    """The E.164 form of a French number a person can be called on, mobile or landline, or a
    422 on field "phone". Special numbers (08…) are refused: calling them may cost the centre,
    and they seldom reach the person."""
    parsed = _french(text, _PHONE, _CALLABLE_REGIONS)
    if phonenumbers.number_type(parsed) not in _CALLABLE_TYPES:
        raise _refuse(
            "Ce numéro est un numéro spécial. "
            "Il faut un numéro de portable ou de fixe pour vous rappeler.",
            "not_callable",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone_fr(e164: str) -> str:
    """How French people write a number: "+33612345678" → "06 12 34 56 78".

    Overseas numbers are written the same way ("06 90 12 34 56"): that is how they are
    dialled from anywhere in France.
    """
    parsed = phonenumbers.parse(e164, None)
    national = f"0{parsed.national_number}"
    if len(national) != 10:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return " ".join(national[i : i + 2] for i in range(0, 10, 2))
