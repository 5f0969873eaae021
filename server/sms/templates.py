"""Texts of SMS and e-mails, per language.

SMS must stay GSM-7 (otherwise the gateway switches to UCS-2 and a message costs three
times more parts) and at most two parts; they carry only what the person needs: date,
time, practitioner, address, how to cancel. Never the motive or the specialty.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

LOCAL_TZ = ZoneInfo("Europe/Paris")
SMS_MAX_SEPTETS = 306  # two concatenated parts of 153 septets
DEFAULT_LANGUAGE = "fr"

# GSM 03.38 basic character set (one septet each) and its extension table (two septets).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
_REPLACEMENTS = {
    "ç": "c",
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
}


def septets(text: str) -> int:
    """Length of a GSM-7 text as the network counts it."""
    return sum(2 if char in _GSM_EXTENSION else 1 for char in text)


def is_gsm7(text: str) -> bool:
    return all(char in _GSM_BASIC or char in _GSM_EXTENSION for char in text)


def to_gsm7(text: str) -> str:
    """Transliterate to GSM-7: ê → e, œ → oe, ’ → '; characters with no equivalent (emoji) go."""
    out = []
    for char in text:
        if char in _GSM_BASIC or char in _GSM_EXTENSION:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        else:
            bare = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append("".join(c for c in bare if c in _GSM_BASIC))
    return "".join(out)


@dataclass(frozen=True)
class AppointmentFacts:
    """What a message may say about an appointment, and nothing more."""

    starts_at: datetime  # naive UTC, as stored
    practitioner: str  # "Docteur Claire Martin"
    address: str  # "12 rue X, 59500 Douai"
    phone: str | None  # the place's phone, to cancel by phone: "03 27 00 00 00"


_TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "code": (
            "Votre code pour le kiosque santé : {code}. Il est valable {minutes} minutes. "
            "Ne le donnez à personne."
        ),
        "mandate_code": (
            "Code pour qu'un conseiller France Services prenne vos rendez-vous : {code}. "
            "Donnez-le seulement au conseiller devant vous. Valable {minutes} minutes."
        ),
        "confirmation": (
            "Rendez-vous confirmé le {date} à {time} avec {practitioner}, {address}. {cancel}"
        ),
        "reminder": (
            "Rappel : vous avez rendez-vous le {date} à {time} avec {practitioner}, "
            "{address}. {cancel}"
        ),
        "change": (
            "Votre rendez-vous a changé. Nouvelle date : le {date} à {time} avec "
            "{practitioner}, {address}. {cancel}"
        ),
        "cancellation": (
            "Votre rendez-vous du {date} à {time} avec {practitioner} est annulé. "
            "Pour prendre un autre rendez-vous : kiosque santé{or_phone}."
        ),
        "waitlist": (
            "Un créneau s'est libéré le {date} à {time} avec {practitioner}, {address}. "
            "La première personne qui réserve l'obtient : kiosque santé{or_phone}."
        ),
        "cancel": "Pour annuler : kiosque santé{or_phone}.",
        "or_phone": ", ou {phone}",
        "time": "{hour} h {minute:02d}",
        "date_format": "EEEE d MMMM y",
        "civility.dr": "Docteur",
        "civility.mme": "Madame",
        "civility.m": "Monsieur",
        "subject.code": "Votre code pour le kiosque santé",
        "subject.confirmation": "Rendez-vous confirmé",
        "subject.reminder": "Rappel de votre rendez-vous",
        "subject.change": "Votre rendez-vous a changé",
        "subject.cancellation": "Rendez-vous annulé",
        "subject.waitlist": "Un créneau s'est libéré",
        "footer": "Ce message est envoyé automatiquement. Merci de ne pas y répondre.",
    },
}


def _language(language: str) -> str:
    """A language we have texts for: French when the person's language is not written yet."""
    return language if language in _TEXTS else DEFAULT_LANGUAGE


def _texts(language: str) -> dict[str, str]:
    return _TEXTS[_language(language)]


def civility(code: str | None, language: str = DEFAULT_LANGUAGE) -> str:
    """ "dr" → "Docteur": written in full, never abbreviated."""
    return _texts(language).get(f"civility.{code}", "") if code else ""


def _values(kind: str, facts: AppointmentFacts | None, language: str, extra: dict) -> dict:
    texts = _texts(language)
    values = dict(extra)
    if facts is not None:
        local = facts.starts_at.replace(tzinfo=UTC).astimezone(LOCAL_TZ)
        or_phone = texts["or_phone"].format(phone=facts.phone) if facts.phone else ""
        values |= {
            "date": format_date(
                local.date(), format=texts["date_format"], locale=_language(language)
            ),
            "time": texts["time"].format(hour=local.hour, minute=local.minute),
            "practitioner": facts.practitioner,
            "address": facts.address,
            "or_phone": or_phone,
            "cancel": texts["cancel"].format(or_phone=or_phone),
        }
    return values


def sms_text(
    kind: str,
    facts: AppointmentFacts | None = None,
    *,
    language: str = DEFAULT_LANGUAGE,
    **extra: object,
) -> str:
    """The SMS for `kind`, GSM-7 only and at most two parts.

    Too long names or addresses are shortened (longest first) rather than sending a third part.
    """
    values = {k: to_gsm7(str(v)) for k, v in _values(kind, facts, language, extra).items()}
    template = to_gsm7(_texts(language)[kind])
    text = template.format(**values)
    while septets(text) > SMS_MAX_SEPTETS:
        field = max(("practitioner", "address"), key=lambda name: len(values.get(name, "")))
        current = values.get(field, "")
        if len(current) <= 12:
            break
        values[field] = _shorten(current, len(current) - (septets(text) - SMS_MAX_SEPTETS))
        text = template.format(**values)
    return text


def _shorten(value: str, size: int) -> str:
    """Cut to about `size` characters, keeping what follows the last comma (the town)."""
    head, comma, tail = value.rpartition(", ")
    if not comma or len(tail) > size // 2:
        head, tail = value, ""
    keep = max(size - len(tail) - len(comma) - 3, 9)
    return head[:keep].rstrip(" ,.") + "..." + (comma + tail if tail else "")


def email_text(
    kind: str,
    facts: AppointmentFacts | None = None,
    *,
    language: str = DEFAULT_LANGUAGE,
    **extra: object,
) -> tuple[str, str]:
    """(subject, plain-text body) with the same facts as the SMS, in full."""
    texts = _texts(language)
    body = texts[kind].format(**_values(kind, facts, language, extra))
    return texts[f"subject.{kind}"], f"{body}\n\n{texts['footer']}\n"
