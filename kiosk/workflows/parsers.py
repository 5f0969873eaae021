"""Turning what a person typed, tapped or said into clean values, or a short French reason.

Every parser accepts the many ways people write the same thing ("06.12.34.56.78",
"+33 6 12 34 56 78", "12 mars 1950", "12/03/1950") and raises `Invalid` with a message id
that names the field, so the step can show it without losing the answer.
The server checks again: this is for immediate, kind feedback at the kiosk.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
from babel.dates import get_month_names
from phonenumbers import PhoneNumberType

from kiosk.workflows.i18n import N_, Message

NAME_MAX = 100
EMAIL_MAX = 254
EARLIEST_BIRTH_YEAR = 1900
# France and the overseas departments and territories whose mobiles get our SMS.
FRENCH_REGIONS = frozenset({"FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF", "NC", "PF", "WF"})
_MOBILE_TYPES = {PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE}
_CALLABLE_TYPES = _MOBILE_TYPES | {PhoneNumberType.FIXED_LINE, PhoneNumberType.VOIP}
_NAME_PUNCTUATION = frozenset(" -'")
_SPACES = re.compile(r"\s+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WORDED_DATE = re.compile(r"^(\d{1,2})(?:er)? ([^\d ]+) (\d{4})$")


class Invalid(ValueError):
    """A message id (French) saying what is wrong, naming the field."""

    def __init__(self, message: Message, **params: object) -> None:
        """`params` fill the message's {placeholders}; a `field` param is a message id too."""
        super().__init__(message)
        self.message, self.params = message, params


def tidy(text: str) -> str:
    """One Unicode form, curly apostrophes made straight, single spaces, no spaces at the ends."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace("ʼ", "'")
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """Lower case without accents: "Élodie" and "elodie" compare equal."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def digits_only(text: str) -> str:
    return "".join(c for c in str(text) if c.isdigit())


def parse_mobile(text: str) -> str:
    """A French or overseas mobile number, returned as +33612345678."""
    number = _french_number(text, _MOBILE_WORDS)
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise Invalid(N_("Numéro de portable : ce numéro est un fixe. Il faut un portable."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def parse_phone(text: str) -> str:
    """A French number a person can be called on, mobile or not, returned as +33327000000."""
    number = _french_number(text, _PHONE_WORDS)
    if phonenumbers.number_type(number) not in _CALLABLE_TYPES:
        raise Invalid(N_("Numéro de téléphone : donnez un numéro de portable ou de fixe."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# What is said when the digits are missing, when the number is wrong, when it is not French.
_MOBILE_WORDS = (
    N_("Numéro de portable : écrivez les 10 chiffres."),
    N_("Numéro de portable : ce numéro est incomplet ou faux."),
    N_("Numéro de portable : donnez un numéro français."),
)
_PHONE_WORDS = (
    N_("Numéro de téléphone : écrivez les 10 chiffres."),
    N_("Numéro de téléphone : ce numéro est incomplet ou faux."),
    N_("Numéro de téléphone : donnez un numéro français."),
)


def _french_number(text: str, words: tuple[str, str, str]) -> phonenumbers.PhoneNumber:
    raw = tidy(str(text))
    if not digits_only(raw):
        raise Invalid(words[0])
    number = _first_valid_number(raw)
    if number is None:
        raise Invalid(words[1])
    if phonenumbers.region_code_for_number(number) not in FRENCH_REGIONS:
        raise Invalid(words[2])
    return number


def _first_valid_number(raw: str) -> phonenumbers.PhoneNumber | None:
    """Read as dialled in France first, then as in an overseas department ("0692…")."""
    for region in ("FR", *sorted(FRENCH_REGIONS - {"FR"})):
        try:
            number = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_valid_number(number):
            return number
    return None


def parse_code(text: str) -> str:
    """The 6 digits of a code received by SMS or e-mail."""
    code = digits_only(text)
    if len(code) != 6 or len(tidy(str(text)).replace(" ", "")) != 6:
        raise Invalid(N_("Code : écrivez les 6 chiffres reçus."))
    return code


def parse_name(text: str, field: str = N_("Nom")) -> str:
    """A first or last name: letters with accents, hyphens, apostrophes and spaces.

    `field` is the message id of the field's name ("Prénom"), said in every error.
    """
    name = tidy(str(text))
    if not name:
        raise Invalid(N_("{field} : écrivez au moins une lettre."), field=field)
    if len(name) > NAME_MAX:
        raise Invalid(N_("{field} : {limit} lettres au maximum."), field=field, limit=NAME_MAX)
    if any(c.isdigit() for c in name):
        raise Invalid(N_("{field} : écrivez sans chiffres."), field=field)
    if not all(c.isalpha() or unicodedata.combining(c) or c in _NAME_PUNCTUATION for c in name):
        raise Invalid(
            N_("{field} : écrivez seulement des lettres, des tirets et des apostrophes."),
            field=field,
        )
    if not any(c.isalpha() for c in name):
        raise Invalid(N_("{field} : écrivez au moins une lettre."), field=field)
    return name


def parse_email(text: str) -> str:
    email = tidy(str(text)).replace(" ", "").lower()
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise Invalid(N_("Adresse e-mail : elle doit ressembler à nom@exemple.fr."))
    return email


def parse_postcode(text: str) -> str:
    """Five digits, spaces allowed: "59 500" → "59500"."""
    code = tidy(str(text)).replace(" ", "")
    if not (len(code) == 5 and code.isdigit()):
        raise Invalid(N_("Code postal : écrivez les 5 chiffres."))
    return code


def parse_date(value: object, today: date, field: str = N_("Date")) -> date:
    """A date given as a date, a {day, month, year} mapping or text in any usual form.

    `field` is the message id of the field's name ("Date de naissance"), said in every error.
    """
    if isinstance(value, date):
        return value
    if isinstance(value, dict):
        parts = (value.get("day"), value.get("month"), value.get("year"))
        if not all(isinstance(p, int) or (isinstance(p, str) and p.isdigit()) for p in parts):
            raise Invalid(N_("{field} : choisissez le jour, le mois et l'année."), field=field)
        day, month, year = (int(p) for p in parts)
        return _real_date(year, month, day, field)
    text = fold(tidy(str(value)))
    if match := _ISO_DATE.match(text):
        year, month, day = (int(p) for p in match.groups())
    elif match := _NUMERIC_DATE.match(text):
        day, month, year = (int(p) for p in match.groups())
        if year < 100:  # "12/03/50": the most recent past century
            year += 2000 if 2000 + year <= today.year else 1900
    elif match := _WORDED_DATE.match(text):
        day, year = int(match.group(1)), int(match.group(3))
        month = _month_number(match.group(2), field)
    else:
        raise Invalid(N_("{field} : écrivez par exemple 12 mars 1950."), field=field)
    return _real_date(year, month, day, field)


def parse_birth_date(value: object, today: date) -> date:
    born = parse_date(value, today, field=N_("Date de naissance"))
    if born > today:
        raise Invalid(N_("Date de naissance : elle est dans le futur."))
    if born.year < EARLIEST_BIRTH_YEAR:
        raise Invalid(N_("Date de naissance : l'année est trop ancienne."))
    return born


# Month names as people write them, from Babel's CLDR data: French first, then English and
# Arabic as written in the East and in the Maghreb ("جويلية", "غشت").
MONTH_LOCALES = ("fr", "en", "ar", "ar_DZ", "ar_MA")
MONTHS = [fold(name) for name in get_month_names("wide", locale="fr").values()]
OTHER_MONTHS = {
    fold(name): number
    for locale in MONTH_LOCALES[1:]
    for number, name in get_month_names("wide", locale=locale).items()
}


def _month_number(word: str, field: str) -> int:
    """ "mars", "mar", "March", "مارس": French first, then the kiosk's other languages."""
    if word in MONTHS:
        return MONTHS.index(word) + 1
    if word in OTHER_MONTHS:
        return OTHER_MONTHS[word]
    starts = [i for i, m in enumerate(MONTHS) if m.startswith(word[:3])]
    if len(word) >= 3 and len(starts) == 1:  # "fev", "sept", "dec."
        return starts[0] + 1
    raise Invalid(N_("{field} : le mois est inconnu. Écrivez par exemple mars."), field=field)


def _real_date(year: int, month: int, day: int, field: str) -> date:
    try:
        return date(year, month, day)
    except ValueError as error:
        raise Invalid(N_("{field} : cette date n'existe pas."), field=field) from error
