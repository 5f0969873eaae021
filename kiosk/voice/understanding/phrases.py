"""What a person is likely to say at a step: a vosk grammar, or a Whisper `initial_prompt`.

Both work best short, so each kind lists only its own answers and the main commands, in
words as spoken ("quatorze heures trente", never "14 h 30"), lower case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kiosk.voice.understanding.dates import WEEKDAYS
from kiosk.voice.understanding.numbers import say
from kiosk.workflows.parsers import tidy

COMMAND_PHRASES = ("répéter", "retour", "aide", "arrêter", "plus fort", "moins fort")
COMMAND_PHRASES += ("moins vite", "plus vite")
_MORE = "plus de choix"
# The words of every number up to 99 (and "cent", "mille" for years).
_NUMBER_WORDS = [say(n) for n in range(17)] + ["vingt", "trente", "quarante", "cinquante"]
_NUMBER_WORDS += ["soixante", "quatre-vingt", "cent", "et"]
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
_MONTHS += ["septembre", "octobre", "novembre", "décembre"]
_DATE = ["premier", *_MONTHS, *_NUMBER_WORDS[1:], "mille", "deux mille"]
_DATE += ["aujourd'hui", "demain", "après-demain", *WEEKDAYS, "prochain"]
_ORDINALS = ("premier", "deuxième", "troisième", "quatrième", "cinquième")  # spoken menus: ≤ 5
_BY_KIND = {
    "info": ["continuer", "d'accord", "oui"],
    "yes_no": ["oui", "non", "d'accord", "c'est ça", "pas du tout"],
    "digits": [*_NUMBER_WORDS, "plus", "double"],
    "date": _DATE,
    "review": ["oui", "confirmer", "modifier", "non"],
}
_WITH_OPTIONS = frozenset({"info", "choice", "slot", "review", "done"})
_ABBREVIATIONS = {"dr": "docteur", "pr": "professeur", "mme": "madame"}
_CLOCK = re.compile(r"\b(\d{1,2}) ?[h:] ?(\d{2})?\b")
_NUMBER = re.compile(r"\d+")
_NOT_SPOKEN = re.compile(r"[^\w' -]+")


def expected_phrases(kind: str, labels: Sequence[str] = ()) -> list[str]:
    """The phrases likely at a step of this kind (a `Kind` value), then the commands.

    `labels` are the options offered (choice, slot, done, info) or the items to check (review).
    """
    phrases = list(_BY_KIND.get(kind, []))
    if kind in _WITH_OPTIONS and labels:
        phrases += [say(n) for n in range(1, len(labels) + 1)]
        phrases += [*_ORDINALS[: len(labels)], "dernier"]
        phrases += [spoken(label) for label in labels]
    phrases += COMMAND_PHRASES
    if kind in ("choice", "slot"):
        phrases.append(_MORE)
    return list(dict.fromkeys(phrase for phrase in phrases if phrase))


def spoken(label: str) -> str:
    """A label as said: "Dr Martin, 14 h 30" → "docteur martin quatorze heures trente"."""
    text = _CLOCK.sub(_clock, tidy(label).lower())
    text = _NUMBER.sub(lambda match: say(int(match.group())), text)
    words = _NOT_SPOKEN.sub(" ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def _clock(match: re.Match[str]) -> str:
    hours = int(match.group(1))
    minutes = f" {say(int(match.group(2)))}" if match.group(2) and int(match.group(2)) else ""
    hour = "une heure" if hours == 1 else f"{say(hours)} heure{'s' if hours else ''}"
    return hour + minutes
