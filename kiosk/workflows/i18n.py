"""Languages and gettext catalogues.

French is the source language: message ids ARE the French text, marked with `N_` where they
are declared and translated when a step is shown, in the language of the flow. Catalogues are
the .po files under locales/<lang>/LC_MESSAGES/kiosk.po, compiled in memory on first use so a
stale .mo can never show old words.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "kiosk"
LOCALES = Path(__file__).resolve().parents[2] / "locales"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, as a person recognises it
    rtl: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("fr", "Français"),
    Language("en", "English"),
    Language("ar", "العربية", rtl=True),
)
SOURCE = "fr"


# A message with a count: its singular and plural forms, the count always named {n}.
Plural = tuple[str, str]
Message = str | Plural


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, in the flow's language."""
    return message


def Np_(singular: str, plural: str) -> Plural:  # noqa: N802 - named like N_
    """Mark a message with a count ("1 essai", "4 essais") for extraction."""
    return singular, plural


def language(code: str) -> Language:
    return next((lang for lang in LANGUAGES if lang.code == code), LANGUAGES[0])


@cache
def translations(code: str) -> gettext.NullTranslations:
    """The catalogue of a language; French (the source) needs none."""
    po = LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"
    if code == SOURCE or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=code)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translate(code: str, message: str) -> str:
    return translations(code).gettext(message)


def phrase(code: str, message: Message, **params: object) -> str:
    """A message in a language, filled in: a plural is counted by {n}, a `field` param (a
    message id naming a field) is translated too."""
    if isinstance(message, str):
        text = translate(code, message)
    else:
        text = translate_plural(code, *message, n=int(params["n"]))  # type: ignore[call-overload]
    if "field" in params:
        params["field"] = translate(code, str(params["field"]))
    return text.format(**params) if params else text


def translate_plural(code: str, singular: str, plural: str, n: int) -> str:
    """The form for this count; French says "0 essai, 1 essai, 2 essais"."""
    if code == SOURCE:
        return singular if n <= 1 else plural
    return translations(code).ngettext(singular, plural, n)
