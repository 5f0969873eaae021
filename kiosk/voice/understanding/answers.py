"""Short spoken answers: the global commands, yes or no, and names spelled letter by letter."""

from __future__ import annotations

import unicodedata

from kiosk.voice.understanding.words import FILLERS, HESITATIONS, plain, without

# Said at any step, alone: "Pouvez-vous répéter, s'il vous plaît ?" is "repeat", but
# "je veux revenir mardi" is an answer, not "back".
COMMANDS = {
    "repeat": (
        "répéter", "répète", "répétez", "encore", "encore une fois", "pardon", "comment",
        "j'ai pas compris", "je n'ai pas compris", "je n'ai pas entendu", "répétez-le",
        "répète-le",
    ),
    "back": ("retour", "revenir", "reviens", "revenez", "en arrière", "précédent"),
    "help": (
        "aide", "aidez-moi", "à l'aide", "au secours", "conseiller", "un conseiller",
        "une conseillère", "parler à quelqu'un", "aide-moi",
    ),
    "stop": (
        "arrêter", "arrête", "arrêtez", "stop", "terminer", "termine", "quitter", "fin",
        "c'est fini", "au revoir",
    ),
    "louder": ("plus fort",),
    "softer": ("moins fort",),
    "slower": ("moins vite", "plus lentement", "lentement"),
    "faster": ("plus vite", "plus rapidement", "plus rapide"),
    "more": ("plus", "plus de choix", "autres choix", "d'autres choix", "suivant", "la suite"),
}  # fmt: skip
# Ways of asking that wrap a command: "pouvez-vous", "est-ce que tu peux", "parlez plus fort".
_ASKING = frozenset(
    {"je", "voudrais", "veux", "vous", "pouvez", "pourriez", "peux", "tu", "on", "peut"}
    | {"est", "ce", "que", "parle", "parlez", "parler"}
)

YES = (
    "oui", "ouais", "ouai", "si", "ok", "okay", "d'accord", "c'est ça", "c'est bien ça",
    "c'est bon", "c'est juste", "c'est correct", "exactement", "exact", "bien sûr",
    "bien sûr que oui", "tout à fait", "volontiers", "absolument", "parfait", "voilà",
    "confirmer", "je confirme", "confirme", "je veux bien", "évidemment", "certainement",
)  # fmt: skip
# "annuler" is neither: after "Voulez-vous annuler ?" it means yes, elsewhere no.
NO = (
    "non", "pas du tout", "ce n'est pas ça", "c'est pas ça", "pas ça", "surtout pas",
    "bien sûr que non", "absolument pas", "certainement pas", "jamais", "c'est faux",
    "pas d'accord", "je ne veux pas", "je veux pas", "pas vraiment",
)  # fmt: skip
# Negations outside a "no" phrase make a "yes" doubtful: "ce n'est pas exactement ça".
_NEGATIONS = frozenset({"ne", "n", "pas", "jamais", "plus"})
# "si" says yes only as an answer's first word ("si, c'est ça"): further on it is "if", or a
# clipped "s'il vous plaît" ("une chocolatine si vous plaît").
_OPENING_ONLY = ("si",)

# French letter names as a recogniser may write them, folded: "D", "dé", "elle" (L).
LETTERS = {
    "a": "a ah", "b": "be", "c": "ce", "d": "de", "e": "e", "f": "effe ef", "g": "ge",
    "h": "ache hache", "i": "", "j": "ji gi", "k": "ka", "l": "elle el", "m": "emme em",
    "n": "enne en", "o": "oh eau au", "p": "pe", "q": "ku qu cu", "r": "erre ere air",
    "s": "esse es", "t": "te the", "u": "hu", "v": "ve", "w": "", "x": "ixe iks",
    "y": "igrec", "z": "zed zede",
}  # fmt: skip
_LETTER_OF = {name: key for key, names in LETTERS.items() for name in [key, *names.split()]}
_SPELLING_SIGNS = {("tiret",): "-", ("trait", "d", "union"): "-", ("apostrophe",): "'",
                   ("espace",): " ", ("double", "ve"): "w", ("double", "v"): "w",
                   ("i", "grec"): "y"}  # fmt: skip
_ACCENTS = {("accent", "aigu"): "\u0301", ("accent", "grave"): "\u0300",
            ("accent", "circonflexe"): "\u0302", ("trema",): "\u0308",
            ("cedille",): "\u0327"}  # fmt: skip


def _phrases(table: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(plain(phrase) or ()) for phrase in table)


_COMMAND_OF = {words: name for name, phrases in COMMANDS.items() for words in _phrases(phrases)}
_YES, _NO = _phrases(YES), _phrases(NO)
_LONGEST = max(len(words) for words in (*_YES, *_NO))


def command(text: str) -> str | None:
    """The global command said alone ("repeat", "back"…), or None."""
    words = plain(text)
    if not words:
        return None
    said = tuple(without(words, FILLERS))
    if said in _COMMAND_OF:
        return _COMMAND_OF[said]
    return _COMMAND_OF.get(tuple(without(list(said), _ASKING)))


def yes_no(text: str) -> bool | None:
    """True for yes, False for no; None when unclear ("oui non", "peut-être", "annuler")."""
    words = plain(text)
    if not words:
        return None
    found: set[bool] = set()
    rest: list[str] = []
    opening = next((i for i, word in enumerate(words) if word not in HESITATIONS), 0)
    i = 0
    while i < len(words):
        for size in range(min(_LONGEST, len(words) - i), 0, -1):
            said = tuple(words[i : i + size])
            if said == _OPENING_ONLY and i != opening:
                continue
            if said in _YES or said in _NO:
                found.add(said in _YES)
                i += size
                break
        else:
            rest.append(words[i])
            i += 1
    if len(found) != 1 or (True in found and _NEGATIONS & set(rest)):
        return None
    return found.pop()


def spelled(text: str) -> str | None:
    """The letters spelled, in capitals: "D comme Denise, U, P, O, N, T" → "DUPONT".

    "X comme Xavier" takes the word's first letter; "deux L" or "double L" doubles a letter;
    "tiret", "apostrophe", "espace" and accents ("E accent aigu") are understood.
    """
    words = plain(text)
    if not words:
        return None
    out: list[str] = []
    i = 0
    while i < len(words):
        step = _spelled_at(words, i, out)
        if not step:
            return None
        i += step
    name = unicodedata.normalize("NFC", "".join(out).upper())
    return name if name.strip() else None


def _spelled_at(words: list[str], i: int, out: list[str]) -> int:
    """Adds what words[i:] begins with to `out` and returns how many words it took (0: unknown)."""
    word = words[i]
    for said, sign in _SPELLING_SIGNS.items():
        if tuple(words[i : i + len(said)]) == said:
            out.append(sign)
            return len(said)
    for said, accent in _ACCENTS.items():
        if out and tuple(words[i : i + len(said)]) == said:
            out[-1] += accent
            return len(said)
    if word in ("2", "deux", "double") and i + 1 < len(words) and words[i + 1] in _LETTER_OF:
        out.append(_LETTER_OF[words[i + 1]] * 2)
        return 2
    if i + 2 < len(words) and words[i + 1] == "comme" and words[i + 2].isalpha():
        out.append(words[i + 2][0])
        return 3
    if word in _LETTER_OF:
        out.append(_LETTER_OF[word])
        return 1
    return 1 if word in HESITATIONS else 0
