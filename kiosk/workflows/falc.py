"""Checks of French text against the FALC rules of ACCESSIBILITY.md ("Facile à lire et à
comprendre"): short sentences, everyday words, no abbreviations, dates and times in full.

Used by the tests on every message of every step, and usable by anyone writing new ones.
"""

from __future__ import annotations

import re
from string import Formatter

MAX_WORDS = 12
# Placeholders stand for several words once filled: "{moment}" is "mardi 13 octobre 2026 à 9 h".
PLACEHOLDER_WORDS = {"moment": 7, "day": 4, "time": 3, "phone": 5, "who": 3, "address": 5}
PLACEHOLDER_DEFAULT = 2
# Initials everyone knows, and the only ones allowed.
KNOWN_INITIALS = frozenset({"SMS"})
ABBREVIATIONS = re.compile(
    r"\b(RDV|Dr|Drs|Pr|Mme|Mmes|Mlle|Mr|St|Ste|SVP|tél|etc|cf|env|min|max|km|h\d)\b\.?"
    r"|\bn°|\bM\.\s",
    re.IGNORECASE,
)
FORBIDDEN_CHARACTERS = frozenset("()/&§;#%[]*_")
CLOCK_TIME = re.compile(r"\b\d{1,2}(:|h)\d{2}\b|\b\d{1,2}h\b")
NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}([./-]\d{2,4})?\b")
# Words of the trade and their everyday replacement: the same word for the same thing.
JARGON = {
    "praticien": "soignant",
    "praticienne": "soignant",
    "créneau": "horaire",
    "motif": "raison",
    "identifiant": "numéro de portable",
    "mot de passe": "code",
    "valider": "confirmer",
    "saisir": "écrire",
    "saisissez": "écrivez",
    "authentification": "code",
    "consentement": "accord",
    "données": "informations",
    "modalité": "comment",
    "patientèle": "patients",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line.strip()) if s]


def word_count(sentence: str) -> int:
    """Words as read, a placeholder counting for the words it will hold."""
    count = 0
    for literal, name, _, _ in Formatter().parse(sentence):
        count += len([w for w in re.split(r"[\s']+", literal) if re.search(r"\w", w)])
        if name is not None:
            count += PLACEHOLDER_WORDS.get(name, PLACEHOLDER_DEFAULT)
    return count


def problems(text: str) -> list[str]:
    """What breaks the rules in a French text, in plain words; empty when it is fine."""
    found = []
    for sentence in sentences(text):
        if (n := word_count(sentence)) > MAX_WORDS:
            found.append(f"phrase de {n} mots : {sentence}")
    literal = "".join(part for part, *_ in Formatter().parse(text))
    if match := ABBREVIATIONS.search(literal):
        found.append(f"abréviation : {match.group(0)}")
    for word in re.findall(r"\b[A-ZÀ-Ý]{2,}\b", literal):
        if word not in KNOWN_INITIALS:
            found.append(f"sigle ou capitales : {word}")
    if bad := sorted(FORBIDDEN_CHARACTERS & set(literal)):
        found.append(f"caractères à éviter : {' '.join(bad)}")
    if match := CLOCK_TIME.search(literal):
        found.append(f"heure à écrire « 14 h 30 » : {match.group(0)}")
    if match := NUMERIC_DATE.search(literal):
        found.append(f"date à écrire en toutes lettres : {match.group(0)}")
    folded = literal.lower()
    for word, better in JARGON.items():
        if re.search(rf"\b{re.escape(word)}\b", folded):
            found.append(f"mot difficile « {word} » : dites « {better} »")
    return found
