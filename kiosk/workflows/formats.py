"""Dates, times, phone numbers and distances written the way people read them (FALC).

French: "mardi 13 octobre 2026", "14 h 30", "06 12 34 56 78", "à 2 kilomètres".
Other languages use their own CLDR patterns through Babel.
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_time

from kiosk.workflows.i18n import translate, translate_plural


def day_words(day: date, lang: str = "fr") -> str:
    """ "mardi 13 octobre 2026": weekday, day, month name and year, never digits only."""
    return format_date(day, "EEEE d MMMM y", locale=lang)


def time_words(moment: time | datetime, lang: str = "fr") -> str:
    """ "14 h 30", "9 h" in French; the locale's short time elsewhere."""
    if lang == "fr":
        return f"{moment.hour} h" if moment.minute == 0 else f"{moment.hour} h {moment.minute:02d}"
    return format_time(moment, "short", locale=lang)


def moment_words(moment: datetime, lang: str = "fr") -> str:
    """ "mardi 13 octobre 2026 à 14 h 30" (the joining word comes from the catalogue)."""
    return translate(lang, "{day} à {time}").format(
        day=day_words(moment.date(), lang), time=time_words(moment, lang)
    )


def phone_words(digits: str) -> str:
    """ "0612345678" → "06 12 34 56 78"; other lengths are grouped by two from the left."""
    digits = "".join(c for c in digits if c.isdigit() or c == "+")
    if digits.startswith("+33") and len(digits) == 12:
        digits = "0" + digits[3:]
    return " ".join(digits[i : i + 2] for i in range(0, len(digits), 2))


def distance_words(km: float | None, lang: str = "fr") -> str | None:
    if km is None:
        return None
    if km < 1:
        return translate(lang, "à moins de 1 kilomètre")
    km = round(km)
    return translate_plural(lang, "à {n} kilomètre", "à {n} kilomètres", km).format(n=km)


def euros_words(cents: int, lang: str = "fr") -> str:
    """ "26 euros 50", "30 euros": spoken and read the same way."""
    euros, rest = divmod(cents, 100)
    if rest:
        words = translate_plural(lang, "{n} euro {cents}", "{n} euros {cents}", euros)
        return words.format(n=euros, cents=f"{rest:02d}")
    return translate_plural(lang, "{n} euro", "{n} euros", euros).format(n=euros)
