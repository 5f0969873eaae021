"""Cleaning the fields of a person's civil status and address, as typed at a kiosk.

Each function returns the clean value or raises ValueError with the end of a French
sentence ("cette date n'existe pas."): the API prefixes it with the field's name.
Shared by the accounts and by the practices, who type their patients in too.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

NAME_MAX = 100
ADDRESS_MAX = 300
EMAIL_MAX = 254
EARLIEST_BIRTH_YEAR = 1900
_PARIS = ZoneInfo("Europe/Paris")
_NAME_PUNCTUATION = frozenset(" -'’")
# Addresses and towns also hold numbers and a little punctuation ("12 bis, rue …").
_ADDRESS_PUNCTUATION = frozenset(" -'’,./°()")
_SPACES = re.compile(r"\s+")
_FRENCH_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_POSTCODE = re.compile(r"^\d{5}$")
_INSEE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _tidy(text: str) -> str:
    """One Unicode form, no spaces at the ends, single spaces inside."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def _check_length(text: str, limit: int) -> None:
    if len(text) > limit:
        raise ValueError(f"{limit} caractères au maximum.")


def clean_name(text: str, limit: int = NAME_MAX) -> str | None:
    """A first name, last name or country: letters, accents, hyphens, apostrophes, spaces."""
    text = _tidy(text)
    if not text:
        return None
    _check_length(text, limit)
    if any(c.isdigit() for c in text):
        raise ValueError("les chiffres ne sont pas acceptés.")
    if not all(c.isalpha() or unicodedata.combining(c) or c in _NAME_PUNCTUATION for c in text):
        raise ValueError("écrivez seulement des lettres, des tirets et des apostrophes.")
    if not any(c.isalpha() for c in text):
        raise ValueError("il faut au moins une lettre.")
    return text


def clean_text(text: str, limit: int = ADDRESS_MAX) -> str | None:
    """An address or a town: letters, numbers and common punctuation, no symbols or emoji."""
    text = _tidy(text)
    if not text:
        return None
    _check_length(text, limit)
    if not all(c.isalnum() or unicodedata.combining(c) or c in _ADDRESS_PUNCTUATION for c in text):
        raise ValueError("écrivez seulement des lettres, des chiffres et de la ponctuation simple.")
    return text


def parse_birth_date(value: str | date) -> date | None:
    """ISO "1950-03-03" or French "03/03/1950"; a real date between 1900 and today."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return _check_birth_date(value)
    text = _tidy(value)
    if not text:
        return None
    if match := _ISO_DATE.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _FRENCH_DATE.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError("écrivez la date comme 03/03/1950.")
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueError("cette date n'existe pas.") from None
    return _check_birth_date(born)


def _check_birth_date(born: date) -> date:
    if born > datetime.now(_PARIS).date():
        raise ValueError("cette date est dans le futur.")
    if born.year < EARLIEST_BIRTH_YEAR:
        raise ValueError(f"l'année doit être {EARLIEST_BIRTH_YEAR} ou après.")
    return born


def clean_postcode(text: str) -> str | None:
    text = _SPACES.sub("", text)
    if not text:
        return None
    if not _POSTCODE.match(text):
        raise ValueError("il faut 5 chiffres, comme 59500.")
    return text


def clean_insee(text: str) -> str | None:
    """A commune's INSEE code (Corsica has 2A and 2B)."""
    text = _SPACES.sub("", text).upper()
    if not text:
        return None
    if not _INSEE.match(text):
        raise ValueError("le code de la commune n'est pas valide.")
    return text


def clean_email(text: str) -> str | None:
    """A sanity check, not a proof: the code sent to the address is the proof."""
    text = text.strip()
    if not text:
        return None
    _check_length(text, EMAIL_MAX)
    if not _EMAIL.match(text) or not text.isprintable():
        raise ValueError("l'adresse n'est pas valide. Exemple : prenom.nom@exemple.fr")
    local, _, domain = text.rpartition("@")
    return f"{local}@{domain.lower()}"


def clean_sex(text: str) -> str:
    text = text.strip().upper()
    if text not in ("F", "M"):
        raise ValueError("choisissez F (femme) ou M (homme).")
    return text


def clean_language(text: str) -> str:
    text = text.strip().lower()
    if not _LANGUAGE.match(text):
        raise ValueError("la langue n'est pas reconnue.")
    return text
