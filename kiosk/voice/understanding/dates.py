"""Dates said in French: "le 3 mars 1950", "trois mars cinquante", "premier avril", "demain",
"lundi prochain", or as Whisper writes them, "03/03/1950".

A date that does not exist ("31 février") gives None: the journey then explains.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from babel.dates import get_day_names

from kiosk.voice.understanding.words import FILLERS, tokens, without
from kiosk.workflows.parsers import MONTHS, fold

# Words around a date that do not change it: "je suis née le 3 mars de l'année 1950".
AROUND_DATES = FILLERS | {"le", "la", "l", "de", "du", "en", "an", "annee", "pour", "a"}
AROUND_DATES |= {"je", "suis", "ne", "nee", "c", "est", "ca"}
_DAY_NAMES = get_day_names("wide", locale="fr")
WEEKDAYS = [fold(_DAY_NAMES[i]) for i in range(7)]  # Monday first, as date.weekday()
_FIRST = frozenset({"premier", "premiere", "1er", "1re", "1ere"})
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})")
_RELATIVE = {("aujourd", "hui"): 0, ("demain",): 1, ("apres", "demain"): 2}
_NEXT = frozenset({"prochain", "qui", "vient"})  # "lundi prochain", "lundi qui vient"
_LEAP_CYCLE = 8  # years within which a day and month that exist at all come back


def spoken_date(text: str, today: date, *, past: bool) -> date | None:
    """The date said; None if unclear or impossible.

    `past` is for dates already gone, like a birth date: a two-digit year is then the latest
    that is not after today, and a date needs its year. Otherwise a two-digit or missing year
    is the next one from today, and "demain", "mardi", "lundi prochain" are understood.
    """
    words = tokens(text)
    if words is None:
        return None
    words = without(words, AROUND_DATES)
    if not past and (relative := _relative(words, today)):
        return relative
    if words and words[0] in WEEKDAYS:  # "mardi 3 mars": the day's name adds nothing
        words = words[1:]
    if len(words) == 1 and (match := _NUMERIC.fullmatch(words[0])):
        day, month, year = (int(part) for part in match.groups())
        return _dated(day, month, year, len(match.group(3)), today, past)
    if len(words) < 2 or (day := _day(words[0])) is None:
        return None
    if words[1] in MONTHS:
        month, rest = MONTHS.index(words[1]) + 1, words[2:]
    elif words[1].isdigit() and len(words) > 2:  # "trois, trois, mille neuf cent cinquante"
        month, rest = int(words[1]), words[2:]
    else:
        return None
    if not rest:
        return None if past else _next(day, month, today)
    if len(rest) == 2 and rest[0] in ("19", "20") and len(rest[1]) == 2:  # "dix-neuf cinquante"
        rest = [rest[0] + rest[1]]
    if len(rest) != 1 or not rest[0].isdigit() or len(rest[0]) not in (2, 4):
        return None
    return _dated(day, month, int(rest[0]), len(rest[0]), today, past)


def _relative(words: list[str], today: date) -> date | None:
    if (shift := _RELATIVE.get(tuple(words))) is not None:
        return today + timedelta(days=shift)
    if words and words[0] in WEEKDAYS and set(words[1:]) <= _NEXT:
        days = (WEEKDAYS.index(words[0]) - today.weekday() - 1) % 7 + 1  # never today
        return today + timedelta(days=days)
    return None


def _day(word: str) -> int | None:
    if word in _FIRST:
        return 1
    return int(word) if word.isdigit() and 1 <= int(word) <= 31 else None


def _dated(day: int, month: int, year: int, width: int, today: date, past: bool) -> date | None:
    if width == 4:
        return _real(year, month, day)
    century = today.year // 100 * 100
    years = [century + year + 100 * k for k in (1, 0, -1, -2)]  # latest first
    if not past:
        years.reverse()
    for candidate in years:
        found = _real(candidate, month, day)
        if found is None:
            return None
        if (found <= today) if past else (found >= today):
            return found
    return None


def _next(day: int, month: int, today: date) -> date | None:
    """The first such day from today, today included (29 February may be years away)."""
    for year in range(today.year, today.year + _LEAP_CYCLE + 1):
        found = _real(year, month, day)
        if found is not None and found >= today:
            return found
    return None


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
