"""Numbers said in French: phone numbers and codes by pairs or digit by digit, and back.

"zéro six, douze, trente-quatre" and "06 12 34" both give "061234"; "plus trente-trois" gives
"+33"; "double neuf" gives "99". The journeys' own parsers then check the length and kind.
"""

from __future__ import annotations

import re

from kiosk.voice.understanding.words import FILLERS, tokens, without

# Words around a number that do not change it: "mon numéro c'est le zéro six…".
AROUND_NUMBERS = FILLERS | {"oui", "voila", "c", "est", "ca", "mon", "ma", "le", "la", "l"}
AROUND_NUMBERS |= {"numero", "code", "telephone", "portable", "mobile", "de", "du", "j", "ai"}
AROUND_NUMBERS |= {"recu", "fait", "tiret", "point", "espace", "virgule"}
_NUMBER = re.compile(r"\d+(?:[:/.h-]\d+)*")

_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
          "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize",
          "dix-sept", "dix-huit", "dix-neuf")  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante", 8: "quatre-vingt"}


def digits(text: str) -> str | None:
    """The digits said, in order, with a leading "+" for "plus"; None if anything else is said."""
    words = tokens(text)
    if words is None:
        return None
    words = without(words, AROUND_NUMBERS)
    plus = bool(words) and words[0] in ("+", "plus")
    if plus:
        words = words[1:]
    if not words or not all(_NUMBER.fullmatch(word) for word in words):
        return None
    return ("+" if plus else "") + "".join(c for word in words for c in word if c.isdigit())


def number(text: str) -> int | None:
    """One whole number said alone ("cent deux", "102", "le trois"); None otherwise."""
    words = tokens(text)
    if words is None:
        return None
    words = without(words, AROUND_NUMBERS)
    return int(words[0]) if len(words) == 1 and words[0].isdigit() else None


def say(n: int) -> str:
    """A whole number from 0 to 999 999 in French words, as a recogniser expects to hear it.

    Traditional spelling: "soixante et onze", "quatre-vingts", "deux cents", "deux cent un".
    """
    if not 0 <= n < 1_000_000:
        raise ValueError(n)
    thousands, rest = divmod(n, 1000)
    if not thousands:
        return _below_thousand(n, plural=True)
    head = "mille" if thousands == 1 else f"{_below_thousand(thousands, plural=False)} mille"
    return f"{head} {_below_thousand(rest, plural=True)}" if rest else head


def _below_thousand(n: int, plural: bool) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_hundred(n, plural)
    head = "cent" if hundreds == 1 else f"{_UNITS[hundreds]} cent"
    if not rest:
        return head + ("s" if hundreds > 1 and plural else "")
    return f"{head} {_below_hundred(rest, plural)}"


def _below_hundred(n: int, plural: bool) -> str:
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):  # soixante-dix, quatre-vingt-dix: the teens after sixty and eighty
        tens, unit = tens - 1, unit + 10
    word = _TENS[tens]
    if unit == 0:
        return word + ("s" if tens == 8 and plural else "")
    if unit in (1, 11) and tens != 8:
        return f"{word} et {_UNITS[unit]}"
    return f"{word}-{_UNITS[unit]}"
