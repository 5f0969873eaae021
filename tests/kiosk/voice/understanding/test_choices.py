"""Which offered option a person means, by its number or by words of its label."""

from __future__ import annotations

import pytest

from kiosk.voice.understanding import pick, say

DOCTORS = ["Dr Claire Martin, médecin généraliste", "Dr Paul Dupont, pédiatre",
           "Dr Martine Leroy, dentiste"]  # fmt: skip
SPECIALTIES = ["Médecin généraliste", "Pédiatre", "Dentiste", "Kinésithérapeute", "Sage-femme"]
SLOTS = ["mardi 13 octobre, 14 h", "mardi 13 octobre, 14 h 30", "mercredi 14 octobre, 9 h 15",
         "jeudi 15 octobre, 14 h 30", "vendredi 16 octobre, 11 h"]  # fmt: skip
ORDINALS = ["premier", "deuxième", "troisième", "quatrième", "cinquième"]


@pytest.mark.parametrize("index", range(5))
def test_every_option_is_picked_by_its_number_said_any_way(index: int) -> None:
    n = index + 1
    for said in (
        str(n),
        say(n),
        f"le {ORDINALS[index]}",
        f"numéro {say(n)}",
        f"choix {n}",
        f"Euh… le numéro {n}, s'il vous plaît.",
        f"je prends le {say(n)}",
    ):
        assert pick(said, SPECIALTIES) == index, said


@pytest.mark.parametrize(
    ("said", "labels", "expected"),
    [("la première", SPECIALTIES, 0), ("le second", SPECIALTIES, 1), ("1er", SPECIALTIES, 0),
     ("le dernier", SPECIALTIES, 4), ("une", SPECIALTIES, 0)],
)  # fmt: skip
def test_ordinals_and_the_last_one(said: str, labels: list[str], expected: int) -> None:
    assert pick(said, labels) == expected


@pytest.mark.parametrize(
    ("said", "labels", "expected"),
    [("le docteur Martin", DOCTORS, 0), ("docteur martin", DOCTORS, 0), ("Martin", DOCTORS, 0),
     ("Martine", DOCTORS, 2), ("la pédiatre", DOCTORS, 1), ("le dentiste", DOCTORS, 2),
     ("je voudrais voir le docteur Dupont", DOCTORS, 1), ("généraliste", SPECIALTIES, 0),
     ("un généraliste", SPECIALTIES, 0), ("generaliste", SPECIALTIES, 0),
     ("pédiatres", SPECIALTIES, 1), ("kiné", SPECIALTIES, 3), ("sage femme", SPECIALTIES, 4),
     ("une sage-femme", SPECIALTIES, 4), ("le médecin généraliste", DOCTORS + SPECIALTIES, 3)],
)  # fmt: skip
def test_an_option_is_picked_by_words_of_its_label(
    said: str, labels: list[str], expected: int
) -> None:
    assert pick(said, labels) == expected


@pytest.mark.parametrize(
    ("said", "expected"),
    [("mardi quatorze heures trente", 1), ("mardi 14 h 30", 1), ("mardi quatorze heures", 0),
     ("mardi deux heures et demie de l'après-midi", 1), ("neuf heures et quart", 2),
     ("mercredi", 2), ("le jeudi", 3), ("onze heures", 4), ("vendredi onze heures", 4),
     ("le treize octobre à quatorze heures", 0), ("jeudi à 14 h 30", 3)],
)  # fmt: skip
def test_a_slot_is_picked_by_its_day_and_time_as_said(said: str, expected: int) -> None:
    """Times compare as times: "quatorze heures" is 14 h, not 14 h 30."""
    assert pick(said, SLOTS) == expected


@pytest.mark.parametrize(
    ("said", "labels"),
    [("quatorze heures trente", SLOTS), ("mardi", SLOTS), ("le docteur", DOCTORS),
     ("octobre", SLOTS), ("bonjour", SPECIALTIES), ("six", SPECIALTIES),
     ("cardiologue", SPECIALTIES), ("", SPECIALTIES), ("🩺", SPECIALTIES),
     ("le premier", []), ("un", [])],
)  # fmt: skip
def test_no_option_or_two_equally_good_ones_give_none(said: str, labels: list[str]) -> None:
    assert pick(said, labels) is None
