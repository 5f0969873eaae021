"""What a recogniser wrote, made into words a parser can compare.

Whisper writes "Zéro six, 12." or "06 12", vosk writes "zero six douze", people drop accents
and hyphens: every form becomes the same lower-case, accent-free tokens, with spelled
numbers turned into digits by text2num ("soixante dix huit" → "78").
"""

from __future__ import annotations

import re

from text_to_num import alpha2digit

from kiosk.workflows.parsers import fold, tidy

# A recogniser gives a sentence or two per answer; anything longer is noise or a wrong turn,
# and is never parsed (nor logged).
MAX_CHARS = 300

# Sounds and words that carry no answer, whatever the step.
HESITATIONS = frozenset(
    {"euh", "heu", "euhm", "hein", "hum", "hmm", "mmh", "bah", "ben", "bon", "alors", "donc"}
    | {"ah", "oh", "eh", "ha"}
)
# "merci", "s'il vous plaît", "s'il te plaît"
FILLERS = HESITATIONS | {"merci", "svp", "s", "il", "vous", "te", "plait"}

_DIGITS = "zéro|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|\\d"
_REPEATED = re.compile(rf"\b(double|triple) ({_DIGITS})\b")
_ZERO = re.compile(r"\bzero\b")
_HYPHEN_IN_WORD = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")
# "+", a number as Whisper writes it ("06.12", "14h30", "03/03/1950", "1er"), or a word.
_TOKEN = re.compile(r"\+|[0-9]+(?:[:/.h-][0-9]+)*(?:ere|er|re|eme|e)?|[^\W\d_]+")


def plain(text: str) -> list[str] | None:
    """Lower-case words without accents, apostrophes, hyphens or punctuation; None if too long.

    "Aujourd’hui, c'est ça !" → ["aujourd", "hui", "c", "est", "ca"]; digits stay as written.
    """
    clean = _clean(text)
    return None if clean is None else _found(clean)


def tokens(text: str) -> list[str] | None:
    """Like `plain`, with every spelled number as digits; None if too long.

    "Zéro six, douze" → ["06", "12"]; "double neuf" says the digit twice, as in phone numbers.
    Ordinals stay words ("deuxieme") except "premier", which text2num writes "1er".
    """
    if len(text) > MAX_CHARS:
        return None
    # text2num knows "zéro" only with its accent, and reads commas as the end of a number.
    spoken = _ZERO.sub("zéro", fold(tidy(text)).replace("'", " "))
    spoken = alpha2digit(_REPEATED.sub(_repeat, spoken), "fr", threshold=0)
    # Hyphens first tell "vingt, quatre-vingts" (20 80) from "vingt-quatre, vingt" (24 20);
    # then the compounds text2num leaves whole ("dix-neuf-cent-trente") are read word by word.
    spoken = alpha2digit(_HYPHEN_IN_WORD.sub(" ", spoken), "fr", threshold=0)
    return _found(fold(spoken))


def _clean(text: str) -> str | None:
    if len(text) > MAX_CHARS:
        return None
    return _HYPHEN_IN_WORD.sub(" ", fold(tidy(text)).replace("'", " "))


def _found(text: str) -> list[str]:
    """The tokens, without the digits of other scripts ("¹", "١") a French answer never has."""
    return [token for token in _TOKEN.findall(text) if token[0] in "+0123456789" or token.isalpha()]


def _repeat(match: re.Match[str]) -> str:
    return " ".join([match.group(2)] * (2 if match.group(1) == "double" else 3))


def without(words: list[str], ignored: frozenset[str]) -> list[str]:
    return [word for word in words if word not in ignored]
