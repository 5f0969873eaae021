"""Global commands, yes or no, and names spelled letter by letter."""

from __future__ import annotations

import pytest

from kiosk.voice.understanding import command, spelled, yes_no
from kiosk.voice.understanding.answers import COMMANDS

EVERY_COMMAND_PHRASE = [(phrase, name) for name, phrases in COMMANDS.items() for phrase in phrases]


@pytest.mark.parametrize(("said", "expected"), EVERY_COMMAND_PHRASE)
def test_every_command_phrase_is_understood_however_it_is_written(said: str, expected: str) -> None:
    assert command(said) == expected
    assert command(said.upper() + ".") == expected
    assert command(said.replace("é", "e").replace("ê", "e").replace("è", "e")) == expected
    assert command(f"Euh, {said}, s’il vous plaît !") == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [("Pouvez-vous répéter ?", "repeat"), ("est-ce que tu peux répéter", "repeat"),
     ("je voudrais un conseiller", "help"), ("parlez plus fort", "louder"),
     ("Parlez moins vite, merci.", "slower"), ("bah, retour", "back"),
     ("autres choix", "more"), ("stop", "stop"), ("au secours", "help")],
)  # fmt: skip
def test_commands_wrapped_in_a_polite_request(said: str, expected: str) -> None:
    assert command(said) == expected


@pytest.mark.parametrize(
    "said",
    ["je veux revenir mardi", "retour le 3 mars", "encore un rendez-vous", "aide-soignante",
     "le plus tôt possible", "oui", "", "🛑", "plus fort que moi"],
)  # fmt: skip
def test_a_command_word_inside_a_longer_answer_is_not_a_command(said: str) -> None:
    assert command(said) is None


@pytest.mark.parametrize(
    "said",
    ["oui", "Oui.", "OUI !", "ouais", "d'accord", "d’accord", "c'est ça", "c'est ca", "exactement",
     "bien sûr", "bien sur", "tout à fait", "volontiers", "confirmer", "je confirme",
     "Oui, c'est ça.", "euh oui", "oui merci", "oui oui", "ok", "si", "voilà",
     "bien sûr que oui", "oui, s'il vous plaît", "Si, c'est ça.", "euh si"],
)  # fmt: skip
def test_yes_in_every_usual_form(said: str) -> None:
    assert yes_no(said) is True


@pytest.mark.parametrize(
    "said",
    ["non", "Non.", "non merci", "pas du tout", "ce n'est pas ça", "ce n’est pas ça",
     "c'est pas ça", "surtout pas", "bien sûr que non", "non non", "Euh… non.",
     "je ne suis pas d'accord", "non, c'est le quatre mars"],
)  # fmt: skip
def test_no_in_every_usual_form(said: str) -> None:
    assert yes_no(said) is False


@pytest.mark.parametrize(
    "said",
    ["oui non", "peut-être", "je ne sais pas", "annuler", "ce n'est pas exactement ça", "",
     "euh", "👍", "bonjour", "non mais oui", "une chocolatine si vous plaît",
     "je viens si je peux"],
)  # fmt: skip
def test_unclear_yes_or_no_gives_none(said: str) -> None:
    """ "annuler" is neither: after "Voulez-vous annuler ?" it means yes, elsewhere no. "si"
    is yes only as the first word: a recorded "une chocolatine si vous plaît" is no answer."""
    assert yes_no(said) is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [("D comme Denise, U, P, O, N, T", "DUPONT"), ("D U P O N T", "DUPONT"),
     ("D.U.P.O.N.T", "DUPONT"), ("d-u-p-o-n-t", "DUPONT"), ("dé, u, pé, o, enne, té", "DUPONT"),
     ("M, A, deux L, E, T", "MALLET"), ("M A double L E T", "MALLET"),
     ("E accent aigu, L, O, D, I, E", "ÉLODIE"),
     ("L, apostrophe, H, O, P, I, T, A, L", "L'HOPITAL"),
     ("J, E, A, N, tiret, P, A, U, L", "JEAN-PAUL"), ("euh, B comme Bernard, O, B", "BOB"),
     ("double V, A, T, T", "WATT"), ("I grec, V, E, S", "YVES"), ("F comme François", "F")],
)  # fmt: skip
def test_a_name_spelled_letter_by_letter(said: str, expected: str) -> None:
    assert spelled(said) == expected


@pytest.mark.parametrize("said", ["Dupont", "je ne sais pas", "", "😀", "D, U, 3"])
def test_anything_but_letters_is_not_spelled(said: str) -> None:
    assert spelled(said) is None
