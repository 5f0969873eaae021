"""What the person most likely said, when a free recogniser wrote something close to it.

Whisper writes what it hears as French words, and a short answer often comes out as other
words that sound alike: "à tour" for "retour", "d'autiste" for "dentiste", "plie fort" for
"plus fort". At a step with a closed set of answers, the answer is taken as the expected
phrase that sounds most like what was written, when it is clearly the closest one.
Sounds are compared through a rough French spelling-to-sound key: enough to tell the
phrases of one step apart, not a phonetic transcription.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from rapidfuzz.distance import Indel

from kiosk.voice.understanding.answers import COMMANDS, NO, YES
from kiosk.voice.understanding.words import plain, tokens

CLOSE_ENOUGH = 0.75  # share of the sound key in common to take one for the other
AHEAD_BY = 0.1  # lead the closest phrase needs over a phrase that sounds different
# Sounds in a key below which another way of saying yes, no or a command is taken word for
# word only: "ok", "si" or "fin" are too short to be told from a near miss (a town, a name).
LONG_ENOUGH = 4

# Spelling → sound, applied in this order to one word without accents. Capitals and digits
# stand for sounds: E "é", O "eu", U "ou", S "ch", J "j", 1 "in", 2 "an", 3 "on".
_VOWEL = "aeiouy"
_NASAL_END = r"(?![aeiouyn]|m(?!$))"
_ELIDED = {"c": "s", "ca": "sa", "j": "J", "qu": "k"}  # "c'est", "ça", "j'ai", "qu'il"
_RULES = [
    (r"^h|(?<=[^cps])h", ""),
    (r"(?<=.)[stdxzpg]+$", ""),  # silent endings: "trois", "pieds", "vingt", "sang"
    (r"(?<=..)(er|ez)$", "E"),
    (rf"(?<=[{_VOWEL}])s(?=[{_VOWEL}])", "z"),
    (r"sch|ch", "S"),
    (r"ph", "f"),
    (r"qu|q|c(?![eiy])", "k"),
    (r"c", "s"),
    (r"g(?=[eiy])|j", "J"),
    (r"gu(?=[eiy])", "g"),
    (r"gn", "n"),
    (r"x", "ks"),
    (r"eau|au", "o"),
    (r"oeu|eu|oe", "O"),
    (r"ou", "U"),
    (r"oi|oy", "wa"),
    (rf"(ain|ein|in|im|un|um|yn){_NASAL_END}", "1"),
    (rf"(an|am|en|em){_NASAL_END}", "2"),
    (rf"(on|om){_NASAL_END}", "3"),
    (r"ai|ei", "E"),
    (r"u", "y"),
    (r"U", "u"),
    (r"y", "i"),
    (r"(?<=..)e$", ""),
    (r"(.)\1+", r"\1"),
]
_COMPILED = [(re.compile(pattern), sound) for pattern, sound in _RULES]

Meaning = TypeVar("Meaning")


def understood(
    text: str, read: Callable[[str], Meaning | None], closed_set: Sequence[str]
) -> Meaning | None:
    """`read(text)`; failing that, what the closed set's phrase that `text` sounds like means."""
    meaning = read(text)
    if meaning is None and closed_set and (near := sounds_like(text, closed_set)):
        meaning = read(near)
    return meaning


def closed_set(expected: Sequence[str], *, yes_no: bool) -> list[str]:
    """What a near miss may be taken for at a step whose answers are all known: the step's
    expected phrases (few: they are the recogniser's grammar or prompt), then the other ways of
    saying a command, and of saying yes or no where they are asked, that are long enough.

    Ending the visit wipes it: its other ways ("au revoir", "c'est fini") count word for word
    only, never from a near miss."""
    others = [p for name, phrases in COMMANDS.items() if name != "stop" for p in phrases]
    others += [*YES, *NO] if yes_no else []
    return list(dict.fromkeys([*expected, *(p for p in others if len(sound(p)) >= LONG_ENOUGH)]))


@lru_cache(maxsize=4096)
def sound(text: str) -> str:
    """A rough sound key: "retour" → "retur", "dentiste" → "d2tist", "une femme" → "ynfem"."""
    keys = []
    for word in plain(text) or []:
        if word in _ELIDED:
            keys.append(_ELIDED[word])
            continue
        for pattern, replacement in _COMPILED:
            word = pattern.sub(replacement, word)
        keys.append(word)
    return "".join(keys)


def sounds_like(text: str, phrases: Sequence[str]) -> str | None:
    """The phrase of `phrases` that `text` most likely is, or None if none is clearly closest.

    Text that already holds one of the phrases word for word is left to the parsers.
    """
    words = plain(text)
    if not words or _holds_one(text, phrases):
        return None
    heard = sound(text)
    scored = sorted(
        ((Indel.normalized_similarity(heard, sound(p)), sound(p), p) for p in phrases if p),
        reverse=True,
    )
    if not scored or scored[0][0] < CLOSE_ENOUGH:
        return None
    best, best_sound, phrase = scored[0]
    rivals = [score for score, key, _ in scored[1:] if key != best_sound]
    return phrase if not rivals or best - rivals[0] >= AHEAD_BY else None


def _holds_one(text: str, phrases: Sequence[str]) -> bool:
    """Numbers compared as numbers: "3" holds "trois"."""
    said = f" {' '.join(tokens(text) or [])} "
    return any(f" {' '.join(tokens(p) or [])} " in said for p in phrases if tokens(p))
