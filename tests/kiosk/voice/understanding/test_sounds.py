"""A free recogniser's near misses at a step whose answers are all known."""

from __future__ import annotations

import pytest

from kiosk.voice.understanding import expected_phrases
from kiosk.voice.understanding.sounds import sound, sounds_like

SPECIALTIES = ["Médecin généraliste", "Dentiste", "Kinésithérapeute", "Médecin des yeux", "Nom"]
AT_A_CHOICE = expected_phrases("choice", SPECIALTIES)
AT_A_YES_NO = expected_phrases("yes_no")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("plus fort", "plie fort"),
        ("quatre", "katr"),
        ("c'est ça", "sessa"),
        ("cent", "sang"),
        ("vingt", "vin"),
        ("trois", "troi"),
        ("deux", "d'eux"),
        ("médecin", "mes des saints"),
    ],
)
def test_spellings_of_one_sound_share_a_key(one: str, other: str):
    assert sound(one) == sound(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("un", "une"), ("non", "nous"), ("dent", "don"), ("sept", "seize"), ("chat", "gars")],
)
def test_different_sounds_keep_different_keys(one: str, other: str):
    assert sound(one) != sound(other)


@pytest.mark.parametrize(
    ("heard", "meant"),
    [  # what Whisper base wrote for synthesised answers
        ("d'autiste", "dentiste"),
        ("Me d'assain généraliste.", "médecin généraliste"),
        ("D'oeuf !", "deux"),
        ("plie fort", "plus fort"),
    ],
)
def test_a_near_miss_is_taken_for_the_answer_it_sounds_like(heard: str, meant: str):
    assert sounds_like(heard, AT_A_CHOICE) == meant


def test_pas_du_is_taken_for_pas_du_tout_where_yes_or_no_is_asked():
    assert sounds_like("Pas du...", AT_A_YES_NO) == "pas du tout"


@pytest.mark.parametrize(
    "heard",
    [
        "à tour",  # as near "quatre" as "retour": neither is taken
        "Mouabite !",
        "Martin",
        "",
        "😀",
        "euh",
        "x" * 400,
    ],
)
def test_nothing_is_taken_when_no_answer_is_clearly_the_closest(heard: str):
    assert sounds_like(heard, AT_A_CHOICE) is None


@pytest.mark.parametrize(
    "heard", ["Je prends le deuxième.", "3", "oui merci", "Dentiste, s'il vous plaît"]
)
def test_an_answer_said_word_for_word_is_left_to_the_parsers(heard: str):
    assert sounds_like(heard, [*AT_A_CHOICE, *AT_A_YES_NO]) is None
