"""Which of the offered options a person means: by its number or by words of its label.

"le deuxième", "numéro deux", "2" pick by number; "le docteur Martin" picks
"Dr Claire Martin, médecin généraliste"; "mardi quatorze heures trente" picks
"mardi 13 octobre, 14 h 30". Times are compared as times, so "quatorze heures" picks
"14 h", not "14 h 30".
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

from kiosk.voice.understanding.times import find_time
from kiosk.voice.understanding.words import FILLERS, tokens, without

ORDINALS = {
    "premier": 1, "premiere": 1, "1er": 1, "1re": 1, "1ere": 1, "deuxieme": 2, "second": 2,
    "seconde": 2, "troisieme": 3, "quatrieme": 4, "cinquieme": 5, "sixieme": 6,
    "septieme": 7, "huitieme": 8, "neuvieme": 9, "dixieme": 10,
}  # fmt: skip
_LAST = frozenset({"dernier", "derniere"})
# Words around a choice that do not say which: "je prends le numéro deux", "c'est pour".
AROUND_CHOICES = FILLERS | {"le", "la", "l", "les", "un", "une", "de", "du", "des", "d", "a"}
AROUND_CHOICES |= {"numero", "choix", "option", "reponse", "je", "prends", "veux", "voudrais"}
AROUND_CHOICES |= {"choisis", "c", "est", "celui", "celle", "ci", "avec", "pour", "au", "aux"}
AROUND_CHOICES |= {"et", "en", "voir", "oui", "h"}
# Titles as written on labels: "Dr Martin" is said "docteur Martin".
_TITLES = {"docteur": "dr", "doctoresse": "dr", "professeur": "pr", "madame": "mme"}
_TITLES |= {"monsieur": "m", "mademoiselle": "mlle"}
_CLOSE = 0.8  # letters in common for two words to be one word misheard ("Martine")
_SHORTEST_FUZZY = 4


def pick(text: str, labels: Sequence[str]) -> int | None:
    """The 0-based index of the option meant; None if none fits or two fit equally."""
    words = tokens(text)
    if words is None or not labels:
        return None
    said = _content(words)
    if len(said) == 1 and (index := _by_number(said[0], len(labels))) is not None:
        return index
    if not said:
        return None
    scores = sorted(
        ((_score(said, _content(tokens(label) or [])), i) for i, label in enumerate(labels)),
        reverse=True,
    )
    (best, index), runner_up = scores[0], scores[1][0] if len(scores) > 1 else None
    if best[0] < len(said) / 2 or best == runner_up:
        return None
    return index


def _by_number(word: str, count: int) -> int | None:
    number = ORDINALS.get(word, int(word) if word.isdigit() else None)
    if word in _LAST:
        number = count
    return number - 1 if number is not None and 1 <= number <= count else None


def _content(words: list[str]) -> list[str]:
    """The words that tell options apart, each time of day made one word ("@14:30")."""
    out, i = [], 0
    while i < len(words):
        if found := find_time(words, i):
            moment, i = found
            out.append(f"@{moment:%H:%M}")
            continue
        out.append(_TITLES.get(words[i], words[i]))
        i += 1
    return without(out, AROUND_CHOICES)


def _score(said: list[str], label: list[str]) -> tuple[float, float]:
    """How much of what was said is in the label, then how much of the label was said."""
    if not label:
        return 0.0, 0.0
    matched = [max((_likeness(word, other) for other in label), default=0.0) for word in said]
    found = sum(matched)
    return found, found / len(label)


def _likeness(word: str, other: str) -> float:
    if word == other:
        return 1.0
    if min(len(word), len(other)) < _SHORTEST_FUZZY or not (word.isalpha() and other.isalpha()):
        return 0.0
    if other.startswith(word):  # "kiné" for "kinésithérapeute"
        return _CLOSE
    ratio = SequenceMatcher(None, word, other).ratio()
    return ratio if ratio >= _CLOSE else 0.0
