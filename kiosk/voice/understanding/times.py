"""Times of day said in French: "quatorze heures trente", "deux heures et demie de
l'après-midi", "midi moins le quart", or as Whisper writes them, "14 h 30", "14h30"."""

from __future__ import annotations

import re
from datetime import time

from kiosk.voice.understanding.words import FILLERS, tokens, without

# Words before a time that do not change it: "à quatorze heures", "vers midi".
AROUND_TIMES = FILLERS | {"a", "vers", "pour", "le", "la", "plutot", "c", "est"}
_HOURS = frozenset({"h", "heure", "heures"})
_MINUTES = frozenset({"minute", "minutes", "min", "mn"})
_WRITTEN = re.compile(r"(\d{1,2})[h:.](\d{2})")
_NOON = {"midi": 12, "minuit": 0}
# "de l'après-midi", "du soir": the afternoon and evening hours of a 12-hour time.
_AFTERNOON = (("de", "l", "apres", "midi"), ("de", "l", "aprem"), ("du", "soir"))
_MORNING = (("du", "matin"), ("de", "la", "nuit"))
_DAY = 24 * 60


def spoken_time(text: str) -> time | None:
    """The time said, alone or with a few words around it; None if anything else is said.

    Two bare numbers are a time too ("quatorze trente"), as people read a clock.
    """
    words = tokens(text)
    if words is None:
        return None
    words = without(words, AROUND_TIMES)
    if len(words) == 2 and all(w.isdigit() for w in words) and int(words[1]) < 60:
        return _time(int(words[0]), int(words[1]))
    found = find_time(words, 0)
    return found[0] if found and found[1] == len(words) else None


def find_time(words: list[str], start: int) -> tuple[time, int] | None:
    """The time beginning at words[start] (as `tokens` gives them) and where it ends."""
    i = start
    word = words[i] if i < len(words) else ""
    if match := _WRITTEN.fullmatch(word):  # "14h30", "14:30"
        hour, minutes, i = int(match.group(1)), int(match.group(2)), i + 1
    elif word in _NOON:
        hour, minutes, i = _NOON[word], 0, i + 1
    elif word.isdigit() and _at(words, i + 1) in _HOURS:
        hour, minutes, i = int(word), 0, i + 2
    else:
        return None
    added, i = _minutes(words, i)
    if word not in _NOON:
        hour, i = _half_day(words, i, hour)
    if hour > 23 or not -60 < added < 60 or minutes > 59:
        return None
    total = (hour * 60 + minutes + added) % _DAY
    return time(total // 60, total % 60), i


def _minutes(words: list[str], i: int) -> tuple[int, int]:
    """The minutes after the hour, and where they end: "trente", "et quart", "moins le quart"."""
    following = tuple(words[i : i + 3])
    for said, minutes in _FRACTIONS.items():
        if following[: len(said)] == said:
            return minutes, i + len(said)
    if _at(words, i) == "moins" and _at(words, i + 1).isdigit():
        return -int(words[i + 1]), i + 2
    if _at(words, i).isdigit():
        return int(words[i]), i + 2 if _at(words, i + 1) in _MINUTES else i + 1
    return 0, i


_FRACTIONS = {
    ("et", "quart"): 15,
    ("et", "demi"): 30,
    ("et", "demie"): 30,
    ("et", "3", "quarts"): 45,
    ("moins", "le", "quart"): -15,
    ("moins", "quart"): -15,
}


def _half_day(words: list[str], i: int, hour: int) -> tuple[int, int]:
    following = tuple(words[i : i + 4])
    for said in _AFTERNOON:
        if following[: len(said)] == said:
            return (hour + 12 if 1 <= hour < 12 else hour), i + len(said)
    for said in _MORNING:
        if following[: len(said)] == said:
            return hour, i + len(said)
    return hour, i


def _at(words: list[str], i: int) -> str:
    return words[i] if i < len(words) else ""


def _time(hour: int, minutes: int) -> time | None:
    return time(hour, minutes) if hour < 24 and minutes < 60 else None
